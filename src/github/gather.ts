/**
 * Gathering a pull request: which Python files and manifests it changes, which lines of them,
 * and the Python files' contents at the head commit, in as few API requests as GitHub allows:
 * one `pulls.listFiles` page per 100 files and one GraphQL query per 50 files. A file that
 * cannot be fetched becomes a `skipped` entry with a reason; only a failure to list the files
 * at all throws (there is nothing to review then, and the caller completes the check run).
 */
import type { RestEndpointMethodTypes } from '@octokit/rest';
import { parsePatch, type FileChanges } from '../diff/index.js';
import { formatBytes, type SkippedFile, type SourceFile } from '../scan/index.js';
import type { ChangedFile, GatheredPullRequest, GatherOptions, GitHubClient, PullRequestRef } from './contracts.js';
import { classifyPath } from './manifests.js';

/** `pulls.listFiles` stops at 3,000 files however many the PR changes. */
export const LIST_FILES_LIMIT = 3000;
const PAGE_SIZE = 100;
/** Files per GraphQL query: large enough for the API budget, small enough to stay under GitHub's timeouts. */
export const BLOB_BATCH_SIZE = 50;
export const DEFAULT_MAX_REST_FALLBACKS = 20;

type ListedFile = RestEndpointMethodTypes['pulls']['listFiles']['response']['data'][number];

/** What `... on Blob { ... }` returns; `{}` when the path is a tree or a submodule commit. */
interface BlobObject {
  oid?: string;
  text?: string | null;
  isBinary?: boolean | null;
  isTruncated?: boolean;
  byteSize?: number;
}

interface Wanted {
  file: ChangedFile;
  /** Fetch the base commit's version (of `previousPath` for renames) instead of the head's. */
  base?: boolean;
  /** Blob SHA from listFiles (or GraphQL's oid): lets the REST fallback fetch by content address. */
  blobSha?: string;
  /** Size in bytes, once GraphQL told us. */
  size?: number;
}

interface Fallback extends Wanted {
  /** Why GraphQL did not deliver the text (kept for the skip reason when the fallback budget runs out). */
  why: string;
}

export async function gatherPullRequest(
  client: GitHubClient,
  pr: PullRequestRef,
  opts: GatherOptions,
): Promise<GatheredPullRequest> {
  let apiCalls = 0;
  const count = (): void => {
    apiCalls++;
  };

  const listed = await listFiles(client, pr, count);
  const truncated =
    opts.changedFiles !== undefined ? opts.changedFiles > listed.length : listed.length >= LIST_FILES_LIMIT;

  const files: ChangedFile[] = [];
  const wanted: Wanted[] = [];
  for (const item of listed) {
    // Nothing to scan in a deleted file; its old findings simply stop being reported.
    if (item.status === 'removed') continue;
    const kind = classifyPath(item.filename);
    if (!kind) continue;
    if (opts.include && !opts.include(item.filename)) continue;
    const file: ChangedFile = { path: item.filename, status: item.status, kind, changes: changesOf(item) };
    if (item.previous_filename) file.previousPath = item.previous_filename;
    files.push(file);
    wanted.push({ file, ...(item.sha ? { blobSha: item.sha } : {}) });
    // A changed manifest is also read as it was on the base commit, so the review can tell the
    // vulnerabilities a PR introduces from those that were already there (same GraphQL batch).
    if (kind === 'manifest' && item.status !== 'added' && item.status !== 'copied') {
      wanted.push({ file, base: true });
    }
  }

  const contents = new Map<string, { bytes: Uint8Array; size: number }>();
  const baseContents = new Map<string, { bytes: Uint8Array; size: number }>();
  const skipped: SkippedFile[] = [];
  const fallbacks: Fallback[] = [];
  const skip = (path: string, reason: string, error = false): void => {
    skipped.push({ path, reason, ...(error ? { error: true } : {}) });
  };

  // Sequential on purpose: Probot serializes requests per installation anyway, and one query at
  // a time keeps a 3,000-file PR from tripping GitHub's secondary rate limits.
  for (let i = 0; i < wanted.length; i += BLOB_BATCH_SIZE) {
    const batch = wanted.slice(i, i + BLOB_BATCH_SIZE);
    count();
    const { objects, complete } = await queryBlobs(client, pr, batch);
    batch.forEach((w, j) => {
      const obj = objects[j];
      const path = w.file.path;
      if (w.base) {
        // Best effort: without the base version every finding counts as introduced by the PR,
        // which errs towards reporting. No REST fallback for it.
        if (obj && typeof obj.text === 'string' && !obj.isTruncated && !obj.isBinary && (obj.byteSize ?? 0) <= opts.maxFileSize) {
          baseContents.set(path, { bytes: new TextEncoder().encode(obj.text), size: obj.byteSize ?? obj.text.length });
        }
        return;
      }
      if (obj === null || obj === undefined) {
        // In a clean answer null means "no such path at the head commit" (a race with a force
        // push, or a path GitHub listed but cannot resolve); after an error it means "not answered".
        if (complete) skip(path, `not found at the head commit ${pr.headSha.slice(0, 7)}`);
        else fallbacks.push({ ...w, why: 'GitHub\u2019s GraphQL API did not return it' });
        return;
      }
      if (obj.byteSize === undefined) {
        skip(path, 'not a regular file at the head commit (a directory or submodule)');
        return;
      }
      const target: Wanted = { ...w, size: obj.byteSize, ...(obj.oid ? { blobSha: obj.oid } : {}) };
      // Checked before any download: GraphQL's text is capped by GitHub, the REST fallback is not.
      if (obj.byteSize > opts.maxFileSize) {
        skip(path, `larger than the ${formatBytes(opts.maxFileSize)} limit (${formatBytes(obj.byteSize)})`);
        return;
      }
      if (obj.isBinary) {
        skip(path, 'binary file');
        return;
      }
      if (obj.isTruncated || typeof obj.text !== 'string') {
        fallbacks.push({ ...target, why: 'too large for GitHub\u2019s GraphQL API' });
        return;
      }
      if (declaresNonUtf8Coding(obj.text)) {
        // GraphQL hands out text as UTF-8 however the file is encoded; a PEP 263 `coding: latin-1`
        // file needs its real bytes so scan() decodes it the way Python would.
        fallbacks.push({ ...target, why: 'declares a non-UTF-8 source encoding' });
        return;
      }
      contents.set(path, { bytes: new TextEncoder().encode(obj.text), size: obj.byteSize });
    });
  }

  // One REST request per file is the slow path: bounded, so a GraphQL outage on a 3,000-file PR
  // costs at most `limit` requests instead of thousands; the rest are reported, not hidden.
  const limit = opts.maxRestFallbacks ?? DEFAULT_MAX_REST_FALLBACKS;
  for (const [n, fb] of fallbacks.entries()) {
    const path = fb.file.path;
    if (n >= limit) {
      skip(path, `not fetched: ${fb.why}, and the limit of ${limit} single-file downloads was reached`, true);
      continue;
    }
    count();
    const got = await fetchRaw(client, pr, fb, opts.maxFileSize);
    if ('reason' in got) skip(path, got.reason, got.error);
    else contents.set(path, { bytes: got.bytes, size: got.bytes.length });
  }

  const sources: SourceFile[] = [];
  const baseSources: SourceFile[] = [];
  for (const w of wanted) {
    const c = (w.base ? baseContents : contents).get(w.file.path);
    if (c) (w.base ? baseSources : sources).push({ path: w.file.path, content: c.bytes, size: c.size, kind: w.file.kind });
  }
  return { files, sources, baseSources, skipped, truncated, apiCalls };
}

/**
 * Added lines per gathered file, the `changedLines` scan() filters findings by. Files without a
 * patch (GitHub omits it for huge diffs) get 'all': their findings go to the check run, and the
 * publish step decides what is commentable from `changes` (there is none for such files).
 */
export function changedLinesFor(gathered: Pick<GatheredPullRequest, 'files'>): Map<string, ReadonlySet<number> | 'all'> {
  const out = new Map<string, ReadonlySet<number> | 'all'>();
  for (const f of gathered.files) out.set(f.path, f.changes ? f.changes.added : 'all');
  return out;
}

async function listFiles(client: GitHubClient, pr: PullRequestRef, count: () => void): Promise<ListedFile[]> {
  const maxPages = LIST_FILES_LIMIT / PAGE_SIZE;
  let pages = 0;
  return client.paginate(
    client.rest.pulls.listFiles,
    { owner: pr.owner, repo: pr.repo, pull_number: pr.number, per_page: PAGE_SIZE },
    (response, done) => {
      count();
      // GitHub stops linking a next page at 3,000 files; stop ourselves too should it not.
      if (++pages >= maxPages) done();
      return response.data;
    },
  );
}

/** Lines of the diff; an empty set for a pure rename (no patch because nothing changed). */
function changesOf(item: ListedFile): FileChanges | undefined {
  if (item.patch === undefined || item.patch === null) {
    return item.changes === 0 ? { added: new Set(), commentable: new Set(), hunks: [] } : undefined;
  }
  try {
    return parsePatch(item.patch);
  } catch {
    // A patch parse-diff cannot read is treated like a missing one: scanned, reported in the check run.
    return undefined;
  }
}

/**
 * The GraphQL query for `n` blobs. Owner, name and every `SHA:path` expression travel as
 * variables, so no path (quotes, backslashes, newlines, unicode) is ever spliced into query text.
 */
export function blobQuery(n: number): string {
  const vars = ['$owner: String!', '$name: String!'];
  const fields: string[] = [];
  for (let i = 0; i < n; i++) {
    vars.push(`$e${i}: String!`);
    fields.push(
      `    f${i}: object(expression: $e${i}) { ... on Blob { oid text isBinary isTruncated byteSize } }`,
    );
  }
  return `query pysecBlobs(${vars.join(', ')}) {\n  repository(owner: $owner, name: $name) {\n${fields.join('\n')}\n  }\n}`;
}

async function queryBlobs(
  client: GitHubClient,
  pr: PullRequestRef,
  batch: Wanted[],
): Promise<{ objects: (BlobObject | null | undefined)[]; complete: boolean }> {
  // Fork PRs too: the base repository can read the head commit (GitHub fetches it into
  // refs/pull/N/head), and the installation token may not reach the fork at all.
  const variables: Record<string, string> = { owner: pr.owner, name: pr.repo };
  batch.forEach((w, i) => {
    variables[`e${i}`] = w.base ? `${pr.baseSha}:${w.file.previousPath ?? w.file.path}` : `${pr.headSha}:${w.file.path}`;
  });
  let repository: Record<string, unknown> | undefined;
  let complete = true;
  try {
    const data = await client.graphql<{ repository: Record<string, unknown> | null }>(blobQuery(batch.length), variables);
    repository = data.repository ?? undefined;
  } catch (err) {
    complete = false;
    repository = partialRepository(err);
  }
  const objects = batch.map((_, i) => {
    const value = repository?.[`f${i}`];
    if (value === null) return null;
    return isObject(value) ? (value as BlobObject) : undefined;
  });
  return { objects, complete };
}

/**
 * The data that came back with a failed GraphQL query. Without the retry plugin Octokit throws a
 * GraphqlResponseError (`error.data`); Probot's retry plugin turns "Something went wrong" into a
 * RequestError after resending the query, with the body in `error.response.data` (so the partial
 * data is `error.response.data.data`). A 502 has no usable data at all.
 */
function partialRepository(err: unknown): Record<string, unknown> | undefined {
  if (!isObject(err)) return undefined;
  const response = isObject(err.response) ? err.response : undefined;
  const candidates = [err.data, isObject(response?.data) ? response.data.data : undefined];
  for (const data of candidates) {
    if (isObject(data) && isObject(data.repository)) return data.repository;
  }
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const CODING = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;
const UTF8_NAMES = new Set(['utf-8', 'utf8', 'utf_8', 'u8', 'utf', 'utf-8-sig']);

/** A PEP 263 declaration of an encoding other than UTF-8 in the first two lines. */
export function declaresNonUtf8Coding(text: string): boolean {
  const lines = text.slice(0, 400).split(/\r?\n/, 2);
  for (const line of lines) {
    const m = CODING.exec(line);
    if (m?.[1]) return !UTF8_NAMES.has(m[1].toLowerCase());
    // The declaration may sit on line 2 only below a comment or blank line 1.
    if (!/^\s*(#.*)?$/.test(line)) return false;
  }
  return false;
}

/**
 * One file's exact bytes over REST. `git.getBlob` with the raw media type serves blobs up to
 * 100 MB by their SHA (what listFiles and GraphQL report), so there is no path to encode and no
 * ref to resolve; `repos.getContent` would need the raw media type for the same 1-100 MB range
 * (its JSON form leaves `content` empty above 1 MB) and is only used when no blob SHA is known.
 * The body is read as a stream, stopping at `maxBytes`, so a mis-sized file cannot blow memory.
 */
async function fetchRaw(
  client: GitHubClient,
  pr: PullRequestRef,
  w: Wanted,
  maxBytes: number,
): Promise<{ bytes: Uint8Array } | { reason: string; error: boolean }> {
  const raw = { mediaType: { format: 'raw' }, request: { parseSuccessResponseBody: false } };
  let body: unknown;
  try {
    const res = w.blobSha
      ? await client.rest.git.getBlob({ owner: pr.owner, repo: pr.repo, file_sha: w.blobSha, ...raw })
      : await client.rest.repos.getContent({ owner: pr.owner, repo: pr.repo, path: w.file.path, ref: pr.headSha, ...raw });
    body = res.data;
  } catch (err) {
    const status = isObject(err) && typeof err.status === 'number' ? err.status : undefined;
    if (status === 404) {
      return { reason: `could not be fetched: not found at the head commit ${pr.headSha.slice(0, 7)} (HTTP 404)`, error: true };
    }
    return { reason: `could not be fetched from GitHub (${status ? `HTTP ${status}` : 'network error'})`, error: true };
  }
  try {
    const bytes = await readCapped(body, maxBytes);
    if (bytes === 'too-large') return { reason: `larger than the ${formatBytes(maxBytes)} limit`, error: false };
    return { bytes };
  } catch {
    return { reason: 'could not be fetched from GitHub (the download broke off)', error: true };
  }
}

async function readCapped(body: unknown, maxBytes: number): Promise<Uint8Array | 'too-large'> {
  let bytes: Uint8Array;
  if (body === null || body === undefined) bytes = new Uint8Array();
  else if (typeof body === 'string') bytes = new TextEncoder().encode(body);
  else if (body instanceof ArrayBuffer) bytes = new Uint8Array(body);
  else if (body instanceof Uint8Array) bytes = body;
  else if (isObject(body) && typeof body.getReader === 'function') {
    const reader = (body as unknown as ReadableStream<Uint8Array>).getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        return 'too-large';
      }
      chunks.push(value);
    }
    bytes = Buffer.concat(chunks);
  } else {
    throw new Error('unexpected response body');
  }
  return bytes.length > maxBytes ? 'too-large' : bytes;
}

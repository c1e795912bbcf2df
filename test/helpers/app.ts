/**
 * Shared pieces of the App-level tests (nock handler tests and the end-to-end test): a
 * throwaway private key, the webhook payload fixtures, and the pull request they describe
 * (acme/shop#7, one modified Python file with a command injection on an added line and an
 * unsafe pickle.loads on an unchanged line).
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** An RSA key made for this test run: Probot signs its app JWT with it; nobody checks it. */
let cachedKey: string | undefined;
export function testPrivateKey(): string {
  cachedKey ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  }).privateKey;
  return cachedKey;
}

const EVENTS_DIR = fileURLToPath(new URL('../fixtures/events/', import.meta.url));

/** A webhook payload from test/fixtures/events/<name>.json (a fresh copy each call). */
export function loadEvent<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(`${EVENTS_DIR}${name}.json`, 'utf8')) as T;
}

/** The event name (X-GitHub-Event) of a fixture: the part before the first dot. */
export function eventName(fixture: string): string {
  return fixture.split('.')[0] as string;
}

export const INSTALLATION_ID = 4242;
export const OWNER = 'acme';
export const REPO = 'shop';
export const PR_NUMBER = 7;
/** head.sha / base.sha of every fixture. */
export const HEAD_SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e';
export const BASE_SHA = '9049f1265b7d61be4a8904a9a27120d2064dab3b';

/** app/views.py at the head commit. */
export const VIEWS_PY = [
  'import pickle',
  'import subprocess',
  '',
  'from flask import Flask, request',
  '',
  'app = Flask(__name__)',
  '',
  '',
  '@app.route("/restore", methods=["POST"])',
  'def restore():',
  '    return pickle.loads(request.data)',
  '',
  '',
  '@app.route("/ping")',
  'def ping():',
  '    host = request.args["host"]',
  '    return subprocess.check_output("ping -c 1 " + host, shell=True)',
  '',
].join('\n');

/** The line of the command injection (added by the PR) and of the pickle.loads (unchanged). */
export const SHELL_LINE = 17;
export const PICKLE_LINE = 11;

/** The PR adds lines 12-17 (the /ping endpoint) after three lines of context. */
export const VIEWS_PATCH = [
  '@@ -9,3 +9,9 @@ app = Flask(__name__)',
  ' @app.route("/restore", methods=["POST"])',
  ' def restore():',
  '     return pickle.loads(request.data)',
  '+',
  '+',
  '+@app.route("/ping")',
  '+def ping():',
  '+    host = request.args["host"]',
  '+    return subprocess.check_output("ping -c 1 " + host, shell=True)',
].join('\n');

/** Git's blob id of a text (what listFiles' `sha` and GraphQL's `oid` carry). */
export function blobSha(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** An item of `GET /repos/{owner}/{repo}/pulls/{n}/files`, as GitHub sends it. */
export function listedFile(
  filename: string,
  content: string,
  patch: string | undefined,
  status: 'added' | 'modified' | 'removed' | 'renamed' = 'modified',
): Record<string, unknown> {
  const additions = patch ? patch.split('\n').filter((l) => l.startsWith('+')).length : 0;
  const deletions = patch ? patch.split('\n').filter((l) => l.startsWith('-')).length : 0;
  const sha = blobSha(content);
  const path = filename.split('/').map(encodeURIComponent).join('/');
  return {
    sha,
    filename,
    status,
    additions,
    deletions,
    changes: additions + deletions,
    blob_url: `https://github.com/${OWNER}/${REPO}/blob/${HEAD_SHA}/${path}`,
    raw_url: `https://github.com/${OWNER}/${REPO}/raw/${HEAD_SHA}/${path}`,
    contents_url: `https://api.github.com/repos/${OWNER}/${REPO}/contents/${path}?ref=${HEAD_SHA}`,
    ...(patch !== undefined ? { patch } : {}),
  };
}

/** The PR's files: the Python file and a Markdown file pysec ignores. */
export function prFiles(): Record<string, unknown>[] {
  return [
    listedFile('app/views.py', VIEWS_PY, VIEWS_PATCH),
    listedFile('docs/ping.md', '# Ping\n\nGET /ping?host=example.com\n', '@@ -0,0 +1,3 @@\n+# Ping\n+\n+GET /ping?host=example.com', 'added'),
  ];
}

/** The GraphQL answer for the blob query of app/views.py (alias f0). */
export function blobAnswer(text = VIEWS_PY): Record<string, unknown> {
  return {
    data: {
      repository: {
        f0: { oid: blobSha(text), text, isBinary: false, isTruncated: false, byteSize: Buffer.byteLength(text) },
      },
    },
  };
}

/** A check run as POST /repos/{owner}/{repo}/check-runs answers. */
export function checkRunResponse(id: number, body: Record<string, unknown>): Record<string, unknown> {
  return {
    id,
    node_id: `CR_kwDOABPHjc8AAAAB${id}`,
    head_sha: body.head_sha,
    external_id: body.external_id ?? '',
    url: `https://api.github.com/repos/${OWNER}/${REPO}/check-runs/${id}`,
    html_url: `https://github.com/${OWNER}/${REPO}/runs/${id}`,
    details_url: 'https://github.com/apps/pysec',
    status: body.status ?? 'queued',
    conclusion: body.conclusion ?? null,
    started_at: body.started_at ?? null,
    completed_at: null,
    output: { title: null, summary: null, text: null, annotations_count: 0, annotations_url: '' },
    name: body.name,
    check_suite: { id: 31415926 },
    app: { id: 1, slug: 'pysec', name: 'pysec' },
    pull_requests: [],
  };
}

/** What GET /repos/{owner}/{repo}/pulls/{n} answers for the fixtures' PR. */
export function pullRequestResponse(over: Record<string, unknown> = {}): Record<string, unknown> {
  const event = loadEvent<{ pull_request: Record<string, unknown> }>('pull_request.opened');
  return { ...event.pull_request, ...over };
}

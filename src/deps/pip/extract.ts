/**
 * requirements files (requirements*.txt, *.in, constraints*.txt): pure extractor.
 *
 * Follows pip's own reading of the file (pip/_internal/req/req_file.py): physical lines are
 * joined on a trailing `\` (a comment line ends a continuation), `#` after whitespace starts a
 * comment, then the line splits into the requirement (tokens before the first `-…` token) and
 * options. Includes (`-r`/`-c`) are recorded, not followed: see ../resolve.ts.
 */
import type { Dependency, Extractor, ManifestFile } from '../types.js';
import { emptyManifest, normalizeName } from '../types.js';
import { parsePep508, sourceKind } from './pep508.js';

const COMMENT_RE = /(^|\s+)#.*$/;
const COMMENT_LINE = /^\s*#/;

interface LogicalLine {
  /** 1-based line of the first physical line. */
  line: number;
  /** Joined text, comments removed, trimmed. */
  text: string;
  /** The first physical line, comment and trailing `\` removed, trimmed. */
  firstLine: string;
  column: number;
}

/** pip's join_lines + ignore_comments. */
export function logicalLines(text: string): LogicalLine[] {
  const physical = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const out: LogicalLine[] = [];
  let parts: string[] = [];
  let start = 0;
  const emit = (line: number, joined: string): void => {
    const stripped = joined.replace(COMMENT_RE, '').trim();
    if (!stripped) return;
    const first = (physical[line - 1] ?? '').replace(COMMENT_RE, '').replace(/\\+\s*$/, '').trim();
    const raw = physical[line - 1] ?? '';
    out.push({ line, text: stripped, firstLine: first, column: raw.length - raw.trimStart().length + 1 });
  };
  physical.forEach((raw, i) => {
    const lineNo = i + 1;
    if (!raw.endsWith('\\') || COMMENT_LINE.test(raw)) {
      const piece = COMMENT_LINE.test(raw) ? ` ${raw}` : raw;
      if (parts.length > 0) {
        parts.push(piece);
        emit(start, parts.join(''));
        parts = [];
      } else {
        emit(lineNo, piece);
      }
    } else {
      if (parts.length === 0) start = lineNo;
      parts.push(raw.replace(/^\\+|\\+$/g, ''));
    }
  });
  if (parts.length > 0) emit(start, parts.join(''));
  return out;
}

/** shlex-like split: whitespace separated, '…' and "…" quoting. */
export function splitOptions(text: string): string[] {
  const tokens: string[] = [];
  let cur = '';
  let has = false;
  let quote: string | null = null;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      has = true;
    } else if (/\s/.test(ch)) {
      if (has) tokens.push(cur);
      cur = '';
      has = false;
    } else {
      cur += ch;
      has = true;
    }
  }
  if (has) tokens.push(cur);
  return tokens;
}

type OptionName =
  | 'requirement'
  | 'constraint'
  | 'editable'
  | 'index-url'
  | 'extra-index-url'
  | 'find-links'
  | 'trusted-host'
  | 'hash'
  | 'ignored-valued'
  | 'ignored-flag';

const LONG: Record<string, OptionName> = {
  '--requirement': 'requirement',
  '--constraint': 'constraint',
  '--editable': 'editable',
  '--index-url': 'index-url',
  '--extra-index-url': 'extra-index-url',
  '--find-links': 'find-links',
  '--trusted-host': 'trusted-host',
  '--hash': 'hash',
  '--no-binary': 'ignored-valued',
  '--only-binary': 'ignored-valued',
  '--use-feature': 'ignored-valued',
  '--global-option': 'ignored-valued',
  '--install-option': 'ignored-valued',
  '--config-settings': 'ignored-valued',
  '--no-index': 'ignored-flag',
  '--pre': 'ignored-flag',
  '--prefer-binary': 'ignored-flag',
  '--require-hashes': 'ignored-flag',
};
const SHORT: Record<string, OptionName> = {
  '-r': 'requirement',
  '-c': 'constraint',
  '-e': 'editable',
  '-i': 'index-url',
  '-f': 'find-links',
  '-C': 'ignored-valued',
};

interface ParsedOption {
  name: OptionName;
  flag: string;
  value?: string;
}

function parseOptions(tokens: string[]): { options: ParsedOption[]; errors: string[] } {
  const options: ParsedOption[] = [];
  const errors: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i] ?? '';
    let flag = tok;
    let value: string | undefined;
    let name: OptionName | undefined;
    if (tok.startsWith('--')) {
      const eq = tok.indexOf('=');
      if (eq >= 0) {
        flag = tok.slice(0, eq);
        value = tok.slice(eq + 1);
      }
      name = LONG[flag];
    } else if (tok.startsWith('-') && tok.length >= 2) {
      flag = tok.slice(0, 2);
      if (tok.length > 2) value = tok.slice(2).replace(/^=/, '');
      name = SHORT[flag];
    } else {
      errors.push(`unexpected argument '${tok}' after options`);
      continue;
    }
    if (!name) {
      errors.push(`unknown option '${flag}'`);
      continue;
    }
    if (name === 'ignored-flag') {
      options.push({ name, flag });
      continue;
    }
    if (value === undefined) {
      const next = tokens[i + 1];
      if (next === undefined) {
        errors.push(`option '${flag}' needs a value`);
        continue;
      }
      value = next;
      i += 1;
    }
    options.push({ name, flag, value });
  }
  return { options, errors };
}

const ENV_VAR = /\$\{[A-Z0-9_]+\}/;
const LEADING_NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/;
const URL_LIKE = /^([a-z][a-z0-9+.-]*:\/\/|(git|hg|svn|bzr)\+|file:)/i;

/** `#egg=name` (or `name[extras]`) from a URL fragment. */
export function eggName(url: string): string | undefined {
  const m = /[#&]egg=([^&]+)/.exec(url);
  if (!m?.[1]) return undefined;
  const egg = m[1].replace(/\[.*$/, '');
  return LEADING_NAME.exec(egg)?.[1];
}

/** Name and version from a wheel or sdist file name at the end of a URL or path. */
export function archiveNameVersion(ref: string): { name: string; version: string } | undefined {
  const file = (ref.split(/[#?]/)[0] ?? '').split(/[\\/]/).pop() ?? '';
  let m = /^([A-Za-z0-9][A-Za-z0-9._]*)-([0-9][^-]*)(-[0-9][^-]*)?-[^-]+-[^-]+-[^-]+\.whl$/.exec(file);
  if (m?.[1] && m[2]) return { name: m[1], version: m[2] };
  m = /^([A-Za-z0-9][A-Za-z0-9._-]*?)-([0-9][A-Za-z0-9.+!_]*)\.(tar\.gz|tar\.bz2|tar\.xz|tgz|zip)$/.exec(file);
  if (m?.[1] && m[2]) return { name: m[1], version: m[2] };
  return undefined;
}

function looksLikePathOrUrl(text: string): boolean {
  return URL_LIKE.test(text) || /^[.~/\\]/.test(text) || /^[A-Za-z]:[\\/]/.test(text) || text.includes('/') || /\.(whl|zip|tar\.gz|tgz|tar\.bz2)$/i.test(text);
}

/** A bare URL or path (`-e` value or a requirement line without a name): what can be known about it. */
export function linkDependency(value: string, base: Omit<Dependency, 'name' | 'rawName' | 'specifier'>, editable: boolean): Dependency {
  let ref = value;
  let marker: string | undefined;
  const semi = /\s+;\s*/.exec(ref) ?? (/;\s*/.test(ref) && !URL_LIKE.test(ref) ? /;\s*/.exec(ref) : null);
  if (semi) {
    marker = ref.slice(semi.index + semi[0].length).trim();
    ref = ref.slice(0, semi.index).trim();
  }
  let extras: string[] | undefined;
  const ex = /\[([^\]]*)\]$/.exec(ref);
  if (ex && !URL_LIKE.test(ref)) {
    extras = (ex[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    ref = ref.slice(0, ex.index);
  }
  const dep: Dependency = { ...base, name: '', rawName: '', specifier: '', source: { kind: sourceKind(ref), url: ref } };
  if (editable) dep.editable = true;
  if (extras && extras.length > 0) dep.extras = extras;
  if (marker) dep.marker = marker;
  const egg = eggName(ref);
  const archive = egg ? undefined : archiveNameVersion(ref);
  const raw = egg ?? archive?.name;
  if (raw) {
    dep.rawName = raw;
    dep.name = normalizeName(raw);
    if (archive) dep.version = archive.version;
  } else {
    dep.skipReason = editable
      ? 'editable install of a local path or URL without #egg=name: the package name is not in the file'
      : 'direct URL or path without a package name (#egg=name or a wheel/sdist file name)';
  }
  return dep;
}

export const extractRequirements: Extractor = (path, text): ManifestFile => {
  const manifest = emptyManifest(path, 'pip');
  let lines: LogicalLine[];
  try {
    lines = logicalLines(text);
  } catch (e) {
    manifest.problems.push({ message: `could not read the file: ${e instanceof Error ? e.message : String(e)}` });
    return manifest;
  }
  for (const ll of lines) {
    try {
      readLine(manifest, ll);
    } catch (e) {
      manifest.problems.push({ line: ll.line, message: `could not read this line: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  return manifest;
};

function readLine(manifest: ManifestFile, ll: LogicalLine): void {
  // pip's break_args_options: the requirement is every token before the first one starting with '-'.
  const tokens = ll.text.split(' ');
  let cut = tokens.findIndex((t) => t.startsWith('-'));
  if (cut < 0) cut = tokens.length;
  const args = tokens.slice(0, cut).join(' ').trim();
  const { options, errors } = parseOptions(splitOptions(tokens.slice(cut).join(' ')));
  for (const err of errors) manifest.problems.push({ line: ll.line, message: err });
  const base = { line: ll.line, column: ll.column, locked: false as const, text: ll.firstLine };

  if (args) {
    const hashes = options.filter((o) => o.name === 'hash').map((o) => o.value ?? '');
    const dep = requirementDependency(args, base);
    if (hashes.length > 0) dep.hashes = hashes;
    manifest.dependencies.push(dep);
    return;
  }
  for (const opt of options) {
    const value = opt.value ?? '';
    switch (opt.name) {
      case 'requirement':
      case 'constraint':
        manifest.includes.push({ kind: opt.name === 'requirement' ? 'requirements' : 'constraints', path: value, line: ll.line });
        break;
      case 'editable':
        manifest.dependencies.push(linkDependency(value, base, true));
        break;
      case 'index-url':
      case 'extra-index-url':
      case 'find-links':
      case 'trusted-host':
        manifest.indexes.push({ kind: opt.name, value, line: ll.line });
        break;
      case 'hash':
        manifest.problems.push({ line: ll.line, message: '--hash without a requirement on the same line' });
        break;
      default:
        break;
    }
  }
}

function requirementDependency(args: string, base: { line: number; column: number; locked: false; text: string }): Dependency {
  const parsed = parsePep508(args);
  if (parsed.ok) {
    const r = parsed.requirement;
    const dep: Dependency = { ...base, name: r.name, rawName: r.rawName, specifier: r.specifier };
    if (r.version !== undefined) dep.version = r.version;
    if (r.extras) dep.extras = r.extras;
    if (r.marker) dep.marker = r.marker;
    if (r.source) dep.source = r.source;
    return dep;
  }
  if (!ENV_VAR.test(args) && looksLikePathOrUrl(args)) return linkDependency(args, base, false);
  const rawName = LEADING_NAME.exec(args)?.[1] ?? '';
  const dep: Dependency = { ...base, name: rawName ? normalizeName(rawName) : '', rawName, specifier: '' };
  dep.skipReason = ENV_VAR.test(args)
    ? `uses an environment variable (${ENV_VAR.exec(args)?.[0] ?? ''}) whose value is not known here`
    : `not a valid requirement: ${parsed.error}`;
  return dep;
}

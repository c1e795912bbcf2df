/**
 * tox.ini: `[tox] envlist` / `env_list` (comma- or newline-separated, continuation lines,
 * brace expansion `py{38,39}-django{32,42}` and tox 4 ranges `py3{8-11}`), `[testenv:NAME]`
 * section names, and `basepython = python3.8`. Factors `py38`, `py3.8`, `py310`, `pypy39` name
 * versions; `py3`, `pypy3` and `py` do not.
 */
import type { RuntimeExtraction, RuntimePin } from './types.js';

/** Expands `a{1,2}-b{x,y}` and numeric ranges `{8-11}`; no nesting (tox has none). */
export function braceExpand(s: string): string[] {
  const m = /\{([^{}]*)\}/.exec(s);
  if (!m) return [s];
  const head = s.slice(0, m.index);
  const tail = s.slice(m.index + m[0].length);
  const alternatives: string[] = [];
  for (const alt of (m[1] ?? '').split(',')) {
    const range = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(alt);
    if (range) {
      const from = Number(range[1]);
      const to = Number(range[2]);
      if (to >= from && to - from <= 100) for (let n = from; n <= to; n++) alternatives.push(String(n));
      else alternatives.push(alt.trim());
    } else alternatives.push(alt.trim());
  }
  return alternatives.flatMap((alt) => braceExpand(`${head}${alt}${tail}`));
}

/** Splits at commas outside braces. */
function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '{') depth++;
    else if (ch === '}') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** The Python version a tox factor names: `py38` → 3.8, `py310` → 3.10, `py3.12` → 3.12, `pypy39` → 3.9. */
export function toxFactorVersion(factor: string): string | undefined {
  const m = /^(?:py|pypy)(\d)(?:\.?)(\d{1,2})$/.exec(factor.trim());
  if (!m) return undefined;
  return `${m[1]}.${Number(m[2])}`;
}

function envVersions(env: string): string[] {
  const out: string[] = [];
  for (const factor of env.split('-')) {
    const v = toxFactorVersion(factor);
    if (v && !out.includes(v)) out.push(v);
  }
  return out;
}

function stripComment(line: string): string {
  return line.replace(/(^|\s)[#;].*$/, '');
}

export function extractTox(path: string, text: string): RuntimeExtraction {
  const pins: RuntimePin[] = [];
  const problems: RuntimeExtraction['problems'] = [];
  const seen = new Set<string>();
  const fromEnvlist = new Set<string>();
  const add = (line: number, version: string, entry: string): void => {
    const key = `${line}:${version}`;
    if (seen.has(key)) return;
    seen.add(key);
    pins.push({ path, line, version, source: 'tox', text: entry });
  };
  const lines = text.split(/\r?\n/);
  let section = '';
  let inEnvlist = false;
  const sectionPins: { line: number; version: string; text: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const lineNo = i + 1;
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(raw);
    if (header) {
      section = (header[1] ?? '').trim();
      inEnvlist = false;
      const env = /^testenv:(.+)$/.exec(section)?.[1];
      if (env) for (const name of splitTopLevel(env).flatMap(braceExpand)) for (const v of envVersions(name.trim())) sectionPins.push({ line: lineNo, version: v, text: raw.trim() });
      continue;
    }
    if (/^\s*[#;]/.test(raw) || raw.trim() === '') continue;
    const continuation = /^\s+\S/.test(raw);
    if (!continuation) inEnvlist = false;
    const kv = continuation ? null : /^([A-Za-z_][A-Za-z0-9_.-]*)\s*[=:]\s*(.*)$/.exec(raw);
    let envText: string | undefined;
    if (kv && (section === 'tox' || section === 'tox:tox') && (kv[1] === 'envlist' || kv[1] === 'env_list')) {
      inEnvlist = true;
      envText = kv[2] ?? '';
    } else if (continuation && inEnvlist) {
      envText = raw;
    }
    if (envText !== undefined) {
      for (const entry of splitTopLevel(stripComment(envText))) {
        const e = entry.trim();
        if (e === '') continue;
        for (const env of braceExpand(e)) {
          for (const v of envVersions(env)) {
            fromEnvlist.add(v);
            add(lineNo, v, raw.trim());
          }
        }
      }
      continue;
    }
    if (kv && kv[1] === 'basepython' && (section === 'testenv' || section.startsWith('testenv:'))) {
      const value = stripComment(kv[2] ?? '').trim();
      const m = /^(?:python|pypy)?(\d)\.(\d+)(?:\.\d+)?$/.exec(value) ?? /^(?:py|pypy)(\d)(\d{1,2})$/.exec(value);
      if (m) add(lineNo, `${m[1]}.${Number(m[2])}`, raw.trim());
    }
  }
  // `[testenv:py36]` sections for versions the envlist does not already name
  for (const s of sectionPins) if (!fromEnvlist.has(s.version)) add(s.line, s.version, s.text);
  pins.sort((a, b) => a.line - b.line);
  return { pins, problems };
}

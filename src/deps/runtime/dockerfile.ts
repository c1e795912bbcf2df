/**
 * `FROM python:X` in Dockerfiles: flags (`--platform=...`), registries and mirrors
 * (`docker.io/library/python`, `public.ecr.aws/docker/library/python`), digests, `AS name`,
 * line continuations, and tags built from global `ARG` defaults (`ARG PYTHON_VERSION=3.8` +
 * `FROM python:${PYTHON_VERSION}-slim`). A tag taken from an ARG is reported on the ARG's line,
 * where the version is written. `python:latest`, `python:3` and unresolvable tags are skipped.
 */
import { dockerTagVersion } from './version.js';
import type { RuntimeExtraction, RuntimePin, RuntimeSource } from './types.js';

interface Instruction {
  line: number;
  text: string;
}

/** Dockerfile text → logical instructions (continuations joined, comments dropped). */
function instructions(text: string): Instruction[] {
  const lines = text.split(/\r?\n/);
  let escape = '\\';
  // parser directives come first: `# escape=``
  for (const l of lines) {
    const d = /^#\s*([a-z]+)\s*=\s*(\S+)\s*$/i.exec(l);
    if (!d) break;
    if (d[1]?.toLowerCase() === 'escape' && (d[2] === '`' || d[2] === '\\')) escape = d[2];
  }
  const out: Instruction[] = [];
  let current: Instruction | undefined;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const trimmed = raw.trim();
    if (current === undefined && (trimmed === '' || trimmed.startsWith('#'))) continue;
    if (current !== undefined && trimmed.startsWith('#')) continue; // comments inside a continuation
    const continues = trimmed.endsWith(escape);
    const body = continues ? trimmed.slice(0, -1).trimEnd() : trimmed;
    if (current === undefined) current = { line: i + 1, text: body };
    else current.text += ` ${body}`;
    if (!continues) {
      out.push(current);
      current = undefined;
    }
  }
  if (current) out.push(current);
  return out;
}

const PYTHON_IMAGES = new Set(['python', 'library/python', 'docker.io/python', 'docker.io/library/python', 'index.docker.io/library/python', 'registry-1.docker.io/library/python']);

/** The tag of a `python` image reference, '' for none, undefined for another image. */
export function pythonImageTag(ref: string): string | undefined {
  const noDigest = ref.split('@')[0] ?? '';
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.indexOf(':', slash + 1);
  const name = (colon >= 0 ? noDigest.slice(0, colon) : noDigest).toLowerCase();
  const tag = colon >= 0 ? noDigest.slice(colon + 1) : '';
  if (!PYTHON_IMAGES.has(name) && !name.endsWith('/library/python')) return undefined;
  return tag;
}

interface ArgValue {
  value: string;
  line: number;
  text: string;
}

function unquote(s: string): string {
  const m = /^(["'])(.*)\1$/.exec(s);
  return m ? (m[2] ?? '') : s;
}

/** `$VAR`, `${VAR}`, `${VAR:-default}` from global ARGs; undefined when a variable has no value. */
function substitute(s: string, args: Map<string, ArgValue>, used: ArgValue[]): string | undefined {
  let ok = true;
  const out = s.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_m, braced?: string, mod?: string, word?: string, bare?: string) => {
    const name = braced ?? bare ?? '';
    const arg = args.get(name);
    const has = arg !== undefined && arg.value !== '';
    if (mod === '-') {
      if (has) {
        used.push(arg);
        return arg.value;
      }
      return word ?? '';
    }
    if (mod === '+') return has ? (word ?? '') : '';
    if (!has) {
      ok = false;
      return '';
    }
    used.push(arg);
    return arg.value;
  });
  return ok ? out : undefined;
}

export function extractDockerfile(path: string, text: string, source: RuntimeSource = 'dockerfile'): RuntimeExtraction {
  const pins: RuntimePin[] = [];
  const problems: RuntimeExtraction['problems'] = [];
  const globalArgs = new Map<string, ArgValue>();
  const stages = new Set<string>();
  let seenFrom = false;
  for (const ins of instructions(text)) {
    const m = /^([A-Za-z]+)\s+(.*)$/.exec(ins.text);
    if (!m) continue;
    const keyword = (m[1] ?? '').toUpperCase();
    const rest = (m[2] ?? '').trim();
    if (keyword === 'ARG' && !seenFrom) {
      for (const decl of rest.match(/[A-Za-z_][A-Za-z0-9_]*(?:=(?:"[^"]*"|'[^']*'|\S*))?/g) ?? []) {
        const eq = decl.indexOf('=');
        const name = eq >= 0 ? decl.slice(0, eq) : decl;
        globalArgs.set(name, { value: eq >= 0 ? unquote(decl.slice(eq + 1)) : '', line: ins.line, text: ins.text });
      }
      continue;
    }
    if (keyword !== 'FROM') continue;
    seenFrom = true;
    const tokens = rest.split(/\s+/).filter((t) => !t.startsWith('--'));
    const image = tokens[0];
    if (!image) {
      problems.push({ line: ins.line, message: 'FROM without an image' });
      continue;
    }
    const isStage = stages.has(image.toLowerCase());
    if (tokens[1]?.toUpperCase() === 'AS' && tokens[2]) stages.add(tokens[2].toLowerCase());
    if (isStage) continue; // FROM an earlier build stage
    const used: ArgValue[] = [];
    const resolved = substitute(image, globalArgs, used);
    if (resolved === undefined) continue; // a variable with no default: unknown image
    const tag = pythonImageTag(resolved);
    if (tag === undefined || tag === '') continue;
    const version = dockerTagVersion(tag);
    if (!version) continue;
    const fromArg = used.find((a) => a.value.includes(version) || dockerTagVersion(a.value) !== undefined) ?? used[used.length - 1];
    pins.push(fromArg ? { path, line: fromArg.line, version, source, text: fromArg.text } : { path, line: ins.line, version, source, text: ins.text });
  }
  return { pins, problems };
}

/**
 * Follow `-r` / `-c` includes of requirements files (pip reads them relative to the including
 * file). Pure: file access goes through `read`.
 *
 * Paths: `entry` is relative to `root` (or absolute under it); every path given to `read` and
 * every ManifestFile.path is POSIX and relative to `root`. Includes that leave `root`, URLs,
 * missing files and cycles become problems on the including file's line; each file is read
 * and returned once (a file included twice through different parents is not a problem).
 */
import { posix } from 'node:path';
import { extractRequirements } from './pip/extract.js';
import type { ManifestFile } from './types.js';

function toPosix(p: string): string {
  return p.replace(/\\/g, '/');
}

/** `p` relative to `root`, or null when it leaves root. */
function underRoot(root: string, p: string): string | null {
  const r = posix.normalize(toPosix(root) || '.');
  let rel = toPosix(p);
  if (posix.isAbsolute(rel)) {
    if (!posix.isAbsolute(r)) return null;
    rel = posix.relative(r, rel);
  }
  rel = posix.normalize(rel || '.');
  if (rel === '..' || rel.startsWith('../') || posix.isAbsolute(rel)) return null;
  return rel === '.' ? '' : rel;
}

export function resolveRequirements(root: string, read: (path: string) => string | undefined, entry: string): ManifestFile[] {
  const out: ManifestFile[] = [];
  const seen = new Set<string>();
  const stack: string[] = [];

  const visit = (rel: string): ManifestFile | undefined => {
    let text: string | undefined;
    try {
      text = read(rel);
    } catch {
      text = undefined;
    }
    if (text === undefined) return undefined;
    seen.add(rel);
    stack.push(rel);
    const manifest = extractRequirements(rel, text);
    out.push(manifest);
    for (const inc of manifest.includes) {
      const problem = (message: string): void => {
        manifest.problems.push({ line: inc.line, message });
      };
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(inc.path)) {
        problem(`include ${inc.path} is a URL: not followed`);
        continue;
      }
      const target = underRoot(root, posix.isAbsolute(toPosix(inc.path)) ? toPosix(inc.path) : posix.join(posix.dirname(rel), toPosix(inc.path)));
      if (target === null || target === '') {
        problem(`include ${inc.path} is outside the repository: not followed`);
        continue;
      }
      if (stack.includes(target)) {
        problem(`include ${inc.path} forms a cycle (${[...stack.slice(stack.indexOf(target)), target].join(' -> ')}): not followed again`);
        continue;
      }
      if (seen.has(target)) continue;
      if (!visit(target)) problem(`included file ${inc.path} (${target}) was not found`);
    }
    stack.pop();
    return manifest;
  };

  const start = underRoot(root, entry);
  if (start === null || start === '') {
    const m = extractRequirements(toPosix(entry), '');
    m.problems.push({ message: `${entry} is outside ${root || 'the repository'}` });
    return [m];
  }
  if (!visit(start)) {
    const m = extractRequirements(start, '');
    m.problems.push({ message: `${start} was not found` });
    return [m];
  }
  return out;
}

/**
 * Which interpreter-pin file a path is, from the path alone. Kept apart from the extractors
 * (which load the YAML and TOML parsers) so deciding what a file is stays cheap to import.
 */
import type { RuntimeSource } from './types.js';

/** Which kind of runtime file a path is, or undefined. Paths use `/` (a `\` is accepted too). */
export function runtimeSourceOf(path: string): RuntimeSource | undefined {
  const p = path.replace(/\\/g, '/');
  const base = p.slice(p.lastIndexOf('/') + 1);
  const lower = base.toLowerCase();
  if (lower === 'dockerfile' || lower.startsWith('dockerfile.') || lower.endsWith('.dockerfile') || lower === 'containerfile' || lower.startsWith('containerfile.')) return 'dockerfile';
  if (base === '.python-version') return 'python-version';
  if (base === 'runtime.txt') return 'runtime.txt';
  if (base === 'tox.ini') return 'tox';
  if (/(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(p)) return 'github-actions';
  if (base === 'Pipfile') return 'pipfile';
  if (/^environment(?:[.-][^/]*)?\.ya?ml$/.test(base)) return 'conda';
  return undefined;
}

/**
 * One line of an environment.yml `pip:` list. conda hands these lines to pip as a
 * requirements file, so they are read by the requirements extractor itself
 * (src/deps/pip/extract.ts) and placed at the line of the YAML list item.
 */
import { extractRequirements } from '../pip/extract.js';
import type { Dependency, IncludeDirective, IndexSetting } from '../types.js';

export type PipLine =
  | { kind: 'dependency'; dependency: Dependency }
  | { kind: 'index'; setting: IndexSetting }
  | { kind: 'include'; include: IncludeDirective }
  | { kind: 'empty' }
  | { kind: 'problem'; message: string };

export function parsePipLine(raw: string, line: number, column?: number): PipLine {
  const m = extractRequirements('environment.yml', raw);
  const at = { line, ...(column !== undefined ? { column } : {}) };
  const dep = m.dependencies[0];
  if (dep) return { kind: 'dependency', dependency: { ...dep, ...at, group: 'pip', text: raw.trim() } };
  const setting = m.indexes[0];
  if (setting) return { kind: 'index', setting: { ...setting, line } };
  const include = m.includes[0];
  if (include) return { kind: 'include', include: { ...include, line } };
  const problem = m.problems[0];
  if (problem) return { kind: 'problem', message: problem.message };
  return raw.trim() === '' || raw.trim().startsWith('#') ? { kind: 'empty' } : { kind: 'problem', message: `unsupported pip option line: ${raw.trim()}` };
}

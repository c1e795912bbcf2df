/**
 * conda environment files (environment.yml / environment.yaml, and *.yml files with the same
 * shape). Lines come from the YAML nodes (yaml's LineCounter).
 *
 * - `dependencies:` conda MatchSpecs (see match-spec.ts), group `conda`: these are conda
 *   packages, not PyPI ones (names and versions may differ from PyPI's).
 * - The nested `- pip:` list, read with the requirements-file rules, group `pip`.
 * - `python=3.8` is not a dependency: it becomes `pythonRequires` (`==3.8.*`).
 * - `channels:` given as URLs become index settings; a `channel::name` prefix that is a URL
 *   becomes the dependency's index source.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Scalar } from 'yaml';
import { emptyManifest, normalizeName, type ManifestFile } from '../types.js';
import { parseMatchSpec } from './match-spec.js';
import { parsePipLine } from './pip-line.js';

const URL_RE = /^[a-z][a-z0-9+.-]*:\/\//i;

export function extractConda(path: string, text: string): ManifestFile {
  const manifest = emptyManifest(path, 'conda');
  const lineCounter = new LineCounter();
  let doc;
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  } catch (err) {
    manifest.problems.push({ message: `environment file could not be read: ${String(err)}` });
    return manifest;
  }
  for (const e of doc.errors) {
    manifest.problems.push({ line: e.linePos?.[0]?.line, message: `environment file is not valid YAML: ${e.message.split('\n')[0] ?? e.message}` });
  }
  const pos = (node: Node | null | undefined): { line: number; column: number } => {
    const offset = node?.range?.[0];
    if (offset === undefined) return { line: 1, column: 1 };
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const sourceText = (node: Scalar): string => (typeof node.source === 'string' ? node.source : String(node.value));

  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return manifest; // empty file
  if (!isMap(root)) {
    if (manifest.problems.length === 0) manifest.problems.push({ line: pos(root).line, message: 'environment file is not a YAML mapping' });
    return manifest;
  }

  const channels = root.get('channels', true);
  if (isSeq(channels)) {
    for (const item of channels.items) {
      if (isScalar(item) && typeof item.value === 'string' && URL_RE.test(item.value.trim())) {
        manifest.indexes.push({ kind: 'index-url', value: item.value.trim(), line: pos(item).line });
      }
    }
  }

  const deps = root.get('dependencies', true);
  if (deps === undefined || deps === null || (isScalar(deps) && deps.value === null)) return manifest;
  if (!isSeq(deps)) {
    manifest.problems.push({ line: pos(deps as Node).line, message: '`dependencies` is not a list' });
    return manifest;
  }
  for (const item of deps.items) {
    if (isMap(item)) {
      const pipList = item.get('pip', true);
      if (pipList !== undefined) {
        readPipList(pipList as Node | null);
        continue;
      }
      manifest.problems.push({ line: pos(item as Node).line, message: 'unsupported entry in `dependencies` (only specs and a `pip:` list are understood)' });
      continue;
    }
    if (!isScalar(item) || item.value === null) {
      manifest.problems.push({ line: pos(item as Node).line, message: 'unsupported entry in `dependencies`' });
      continue;
    }
    const raw = sourceText(item).trim();
    const { line, column } = pos(item);
    const spec = parseMatchSpec(String(item.value));
    if ('error' in spec) {
      manifest.problems.push({ line, message: spec.error });
      continue;
    }
    if (normalizeName(spec.rawName) === 'python') {
      if (spec.specifier !== '' && !manifest.pythonRequires) manifest.pythonRequires = { specifier: spec.specifier, line };
      continue;
    }
    manifest.dependencies.push({
      name: normalizeName(spec.rawName),
      rawName: spec.rawName,
      specifier: spec.specifier,
      line,
      column,
      locked: false,
      text: raw,
      group: 'conda',
      ...(spec.version ? { version: spec.version } : {}),
      ...(spec.channel && URL_RE.test(spec.channel) ? { source: { kind: 'index' as const, url: spec.channel } } : {}),
      ...(spec.skipReason ? { skipReason: spec.skipReason } : {}),
    });
  }
  return manifest;

  function readPipList(list: Node | null): void {
    if (!isSeq(list)) {
      manifest.problems.push({ line: pos(list).line, message: '`pip:` is not a list' });
      return;
    }
    for (const entry of list.items) {
      const { line, column } = pos(entry as Node);
      if (!isScalar(entry) || entry.value === null || typeof entry.value === 'object') {
        manifest.problems.push({ line, message: 'unsupported entry in the `pip:` list' });
        continue;
      }
      const result = parsePipLine(String(entry.value), line, column);
      switch (result.kind) {
        case 'dependency':
          manifest.dependencies.push(result.dependency);
          break;
        case 'index':
          manifest.indexes.push(result.setting);
          break;
        case 'include':
          manifest.includes.push(result.include);
          break;
        case 'problem':
          manifest.problems.push({ line, message: result.message });
          break;
        case 'empty':
          break;
      }
    }
  }
}

/**
 * GitHub Actions workflows: `python-version` (and `python`, `python_version`, `py`...) in
 * `strategy.matrix` lists, `matrix.include` entries, `actions/setup-python` steps'
 * `with: python-version` (one or several versions, one per line), and job `container` images
 * `python:X`. Versions are read from the scalar's source text: YAML reads `3.10` as the float 3.1.
 * Expressions (`${{ matrix.python-version }}`) and `3.x` say nothing and are skipped.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import { pythonImageTag } from './dockerfile.js';
import type { RuntimeExtraction, RuntimePin } from './types.js';
import { dockerTagVersion, parseRuntimeVersion } from './version.js';

const MATRIX_KEY = /^(?:python|py)(?:[-_]?(?:version|ver))?s?$/i;

export function extractWorkflow(path: string, text: string): RuntimeExtraction {
  const pins: RuntimePin[] = [];
  const problems: RuntimeExtraction['problems'] = [];
  const lineCounter = new LineCounter();
  const lines = text.split(/\r?\n/);
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  for (const e of doc.errors) problems.push({ line: e.linePos?.[0]?.line, message: `workflow is not valid YAML: ${e.message.split('\n')[0] ?? e.message}` });
  const seen = new Set<string>();
  const add = (offset: number, version: string): void => {
    const line = lineCounter.linePos(offset).line;
    const key = `${line}:${version}`;
    if (seen.has(key)) return;
    seen.add(key);
    pins.push({ path, line, version, source: 'github-actions', text: (lines[line - 1] ?? '').trim() });
  };

  /** Every version written in a scalar (or a flow/block list of scalars), from the source text. */
  const readVersions = (node: unknown): void => {
    if (isSeq(node)) {
      for (const item of node.items) readVersions(item);
      return;
    }
    if (!isScalar(node) || !node.range) return;
    const [start, end] = node.range;
    const source = text.slice(start, end);
    if (source.includes('${{')) return;
    const token = /[^\s,'"|>\-[\]]+(?:-[^\s,'"\]]+)*/g;
    let m: RegExpExecArray | null;
    while ((m = token.exec(source)) !== null) {
      const v = parseRuntimeVersion(m[0]);
      if (v) add(start + m.index, v);
    }
  };

  const root = doc.contents;
  if (!isMap(root)) {
    if (problems.length === 0 && root !== null) problems.push({ line: 1, message: 'workflow is not a YAML mapping' });
    return { pins, problems };
  }
  const jobs = root.get('jobs', true);
  if (!isMap(jobs)) return { pins, problems };
  for (const pair of jobs.items) {
    const job = pair.value;
    if (!isMap(job)) continue;
    const strategy = job.get('strategy', true);
    const matrix = isMap(strategy) ? strategy.get('matrix', true) : undefined;
    if (isMap(matrix)) {
      readMatrix(matrix, readVersions);
      const include = matrix.get('include', true);
      if (isSeq(include)) for (const entry of include.items) if (isMap(entry)) readMatrix(entry, readVersions);
    }
    const steps = job.get('steps', true);
    if (isSeq(steps)) {
      for (const step of steps.items) {
        if (!isMap(step)) continue;
        const uses = step.get('uses');
        if (typeof uses !== 'string' || !/^actions\/setup-python@/i.test(uses.trim())) continue;
        const withMap = step.get('with', true);
        if (isMap(withMap)) readVersions(withMap.get('python-version', true));
      }
    }
    const container = job.get('container', true);
    const image = isMap(container) ? container.get('image', true) : container;
    if (isScalar(image) && typeof image.value === 'string' && image.range) {
      const tag = pythonImageTag(image.value.trim());
      const version = tag ? dockerTagVersion(tag) : undefined;
      if (version) add(image.range[0], version);
    }
  }
  pins.sort((a, b) => a.line - b.line);
  return { pins, problems };
}

function readMatrix(map: YAMLMap, read: (node: unknown) => void): void {
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (key && MATRIX_KEY.test(key)) read(pair.value as Node | null);
  }
}

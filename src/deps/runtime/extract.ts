/**
 * Interpreter pins for the end-of-life check (issue 5): which Python versions a project runs
 * on or tests against, each on the line where it is written. Pure: path + text in, never throws.
 *
 * Dockerfiles, .python-version, runtime.txt, tox.ini, GitHub Actions workflows, Pipfile
 * `[requires]`, conda environment files. pyproject's `requires-python` / Poetry `python` are
 * ranges, not pins: they go to ManifestFile.pythonRequires (the pyproject extractors).
 */
import { extractConda } from '../conda/extract.js';
import { parseTomlOrProblem, isRecord, str, tableKeyLine } from '../lock-common.js';
import { emptyManifest } from '../types.js';
import { extractWorkflow } from './actions.js';
import { extractDockerfile } from './dockerfile.js';
import { extractTox } from './tox.js';
import { runtimeSourceOf } from './source.js';
import type { RuntimeExtraction, RuntimePin } from './types.js';
import { parseRuntimeVersion } from './version.js';

export type { RuntimePin, RuntimeSource, RuntimeExtraction, RuntimeProblem } from './types.js';
export { runtimeSourceOf } from './source.js';

/** The pins of one file (empty for a file that is not a runtime file). */
export function extractPythonRuntimes(path: string, text: string): RuntimePin[] {
  return extractRuntimeFile(path, text).pins;
}

/** Pins plus the problems that made (part of) the file unreadable. */
export function extractRuntimeFile(path: string, text: string): RuntimeExtraction {
  try {
    switch (runtimeSourceOf(path)) {
      case 'dockerfile':
        return extractDockerfile(path, text);
      case 'python-version':
        return extractPythonVersionFile(path, text);
      case 'runtime.txt':
        return extractRuntimeTxt(path, text);
      case 'tox':
        return extractTox(path, text);
      case 'github-actions':
        return extractWorkflow(path, text);
      case 'pipfile':
        return extractPipfileRequires(path, text);
      case 'conda':
        return extractCondaPython(path, text);
      default:
        return { pins: [], problems: [] };
    }
  } catch (err) {
    // Extractors are written not to throw; this keeps the promise if one ever does.
    return { pins: [], problems: [{ message: `could not read ${path}: ${err instanceof Error ? err.message : String(err)}` }] };
  }
}

/** pyenv / uv `.python-version`: one or more versions per line, `#` comments. */
export function extractPythonVersionFile(path: string, text: string): RuntimeExtraction {
  const pins: RuntimePin[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    for (const token of raw.replace(/#.*$/, '').trim().split(/\s+/)) {
      if (token === '') continue;
      const version = parseRuntimeVersion(token);
      if (version) pins.push({ path, line: i + 1, version, source: 'python-version', text: token });
    }
  });
  return { pins, problems: [] };
}

/** Heroku-style `runtime.txt`: `python-3.8.10`. */
export function extractRuntimeTxt(path: string, text: string): RuntimeExtraction {
  const pins: RuntimePin[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const m = /^\s*python-(\d+\.\d+(?:\.\d+)?)\s*$/i.exec(raw);
    if (m?.[1]) pins.push({ path, line: i + 1, version: m[1], source: 'runtime.txt', text: raw.trim() });
  });
  return { pins, problems: [] };
}

/** Pipfile `[requires] python_version = "3.8"` / `python_full_version = "3.8.10"`. */
export function extractPipfileRequires(path: string, text: string): RuntimeExtraction {
  const m = emptyManifest(path, 'pipenv');
  const doc = parseTomlOrProblem(text, m, 'Pipfile');
  const problems = m.problems;
  if (!doc || !isRecord(doc.requires)) return { pins: [], problems };
  const lines = text.split(/\r?\n/);
  const pins: RuntimePin[] = [];
  for (const key of ['python_full_version', 'python_version']) {
    const value = str(doc.requires[key]);
    const version = value !== undefined && /^\d+\.\d+(?:\.\d+)?$/.test(value.trim()) ? value.trim() : undefined;
    if (!version) continue;
    const line = tableKeyLine(text, 'requires', key);
    pins.push({ path, line, version, source: 'pipfile', text: (lines[line - 1] ?? '').trim() });
    break; // the full version, when given, is the more precise of the two
  }
  return { pins, problems };
}

/** conda `python=3.8` / `python==3.8.10` / `python 3.8` (ranges such as `python>=3.8` are not pins). */
export function extractCondaPython(path: string, text: string): RuntimeExtraction {
  const manifest = extractConda(path, text);
  const problems = manifest.problems;
  const req = manifest.pythonRequires;
  const m = req ? /^==(\d+\.\d+(?:\.\d+)?)(?:\.\*)?$/.exec(req.specifier) : null;
  if (!req || !m?.[1]) return { pins: [], problems };
  const text1 = (text.split(/\r?\n/)[req.line - 1] ?? '').trim().replace(/^-\s*/, '');
  return { pins: [{ path, line: req.line, version: m[1], source: 'conda', text: text1 }], problems };
}

/**
 * Pipfile (TOML): [packages], [dev-packages] (group 'dev') and any other package category
 * table (group = its name), [[source]] → indexes, [requires] → pythonRequires. Pure.
 */
import { tomlLines } from '../pyproject/toml-lines.js';
import { asString, exactVersion, hostOf, isTable, parseToml, tableSource, withOptional } from '../pyproject/toml-util.js';
import type { Dependency, Extractor, ManifestFile } from '../types.js';
import { emptyManifest, normalizeName } from '../types.js';

const NOT_PACKAGES = new Set(['source', 'requires', 'pipenv', 'scripts']);

/** A Pipfile version string as a PEP 440 specifier: "*" → '', "1.2" → "==1.2", ">= 1, <2" → ">=1,<2". */
export function pipfileSpecifier(v: string): string {
  const t = v.trim();
  if (t === '*' || t === '') return '';
  return t
    .split(',')
    .map((p) => p.trim().replace(/^(===|==|!=|~=|>=|<=|>|<)\s+/, '$1'))
    .map((p) => (/^\d/.test(p) ? `==${p}` : p))
    .join(',');
}

export const extractPipfile: Extractor = (path, text): ManifestFile => {
  const manifest = emptyManifest(path, 'pipenv');
  const parsed = parseToml(text);
  if (!parsed.ok) {
    manifest.problems.push(parsed.problem);
    return manifest;
  }
  const doc = parsed.doc;
  const lines = tomlLines(text);
  const physical = text.split(/\r\n|\r|\n/);
  const sources = new Map<string, string>();
  try {
    if (Array.isArray(doc.source)) {
      doc.source.forEach((s, i) => {
        if (!isTable(s)) return;
        const url = asString(s.url);
        if (!url) return;
        const name = asString(s.name);
        if (name) sources.set(name, url);
        manifest.indexes.push({ kind: i === 0 ? 'index-url' : 'extra-index-url', value: url, line: lines.lineNear(['source', i, 'url']) });
        if (s.verify_ssl === false) manifest.indexes.push({ kind: 'trusted-host', value: hostOf(url), line: lines.lineNear(['source', i, 'verify_ssl']) });
      });
    }
    if (isTable(doc.requires)) {
      const full = asString(doc.requires.python_full_version);
      const short = asString(doc.requires.python_version);
      if (full) manifest.pythonRequires = { specifier: `==${full.trim()}`, line: lines.lineNear(['requires', 'python_full_version']) };
      else if (short) manifest.pythonRequires = { specifier: `==${short.trim()}.*`, line: lines.lineNear(['requires', 'python_version']) };
    }
    for (const [category, table] of Object.entries(doc)) {
      if (NOT_PACKAGES.has(category) || !isTable(table)) continue;
      const group = category === 'packages' ? undefined : category === 'dev-packages' ? 'dev' : category;
      for (const [rawName, value] of Object.entries(table)) {
        const line = lines.lineNear([category, rawName]);
        const dep: Dependency = { name: normalizeName(rawName), rawName, specifier: '', line, locked: false, text: (physical[line - 1] ?? '').trim() };
        if (group) dep.group = group;
        if (typeof value === 'string') {
          dep.specifier = pipfileSpecifier(value);
        } else if (isTable(value)) {
          const version = asString(value.version);
          if (version !== undefined) dep.specifier = pipfileSpecifier(version);
          const extras = Array.isArray(value.extras) ? value.extras.filter((e): e is string => typeof e === 'string') : undefined;
          withOptional(dep, {
            extras,
            marker: asString(value.markers),
            source: tableSource(value, (n) => sources.get(n), 'index'),
            editable: value.editable === true ? true : undefined,
          });
        } else {
          dep.skipReason = 'not a version string or a table: not understood';
        }
        const v = exactVersion(dep.specifier);
        if (v !== undefined) dep.version = v;
        manifest.dependencies.push(dep);
      }
    }
  } catch (e) {
    manifest.problems.push({ message: `could not read the file: ${e instanceof Error ? e.message : String(e)}` });
  }
  return manifest;
};

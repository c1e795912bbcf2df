/**
 * pyproject.toml: PEP 621 [project], PEP 735 [dependency-groups], PDM and uv tables (manager
 * 'pyproject') and Poetry's [tool.poetry] tables (manager 'poetry'), in one pure extractor.
 * Lines come from ./toml-lines.ts (smol-toml gives none); Poetry ranges from ./poetry.ts.
 */
import { linkDependency } from '../pip/extract.js';
import { parsePep508 } from '../pip/pep508.js';
import type { Dependency, DependencySource, Extractor, IndexSetting, Manager, ManifestFile } from '../types.js';
import { emptyManifest, normalizeName } from '../types.js';
import { poetryToPep440 } from './poetry.js';
import type { TomlPath } from './toml-lines.js';
import { tomlLines } from './toml-lines.js';
import { asString, exactVersion, hostOf, isTable, parseToml, tableSource, withOptional, type TomlTable } from './toml-util.js';

interface Ctx {
  manifest: ManifestFile;
  lines: ReturnType<typeof tomlLines>;
  source: string[];
}

function lineText(ctx: Ctx, line: number): string {
  return (ctx.source[line - 1] ?? '').trim();
}

function problem(ctx: Ctx, path: TomlPath, message: string): void {
  ctx.manifest.problems.push({ line: ctx.lines.lineNear(path), message });
}

/** A PEP 508 string (PDM also allows `-e <path or url>`). */
export function pep508Dependency(value: string, line: number, manager: Manager, group?: string): Dependency {
  const text = value.trim();
  const base = { line, locked: false as const, text, manager };
  const editable = /^(-e|--editable)\s+/.exec(text);
  if (editable) {
    const dep = linkDependency(text.slice(editable[0].length).trim(), { ...base }, true);
    if (group) dep.group = group;
    return dep;
  }
  const parsed = parsePep508(text);
  if (!parsed.ok) {
    const rawName = /^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(text)?.[0] ?? '';
    return withOptional({ ...base, name: normalizeName(rawName), rawName, specifier: '', skipReason: `not a valid PEP 508 requirement: ${parsed.error}` }, { group });
  }
  const r = parsed.requirement;
  return withOptional({ ...base, name: r.name, rawName: r.rawName, specifier: r.specifier }, { version: r.version, extras: r.extras, marker: r.marker, source: r.source, group });
}

/** A list of PEP 508 strings at `path`. */
function pep508List(ctx: Ctx, value: unknown, path: TomlPath, manager: Manager, group: string | undefined, allowIncludes = false): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    problem(ctx, path, `${path.join('.')} should be a list of requirement strings`);
    return;
  }
  value.forEach((item, i) => {
    const itemPath = [...path, i];
    const line = ctx.lines.lineNear(itemPath);
    if (typeof item === 'string') {
      ctx.manifest.dependencies.push(pep508Dependency(item, line, manager, group));
    } else if (allowIncludes && isTable(item) && typeof item['include-group'] === 'string') {
      // {include-group = "x"}: a reference to another group, not a dependency.
    } else {
      problem(ctx, itemPath, `${path.join('.')}[${i}] is not a requirement string: not understood`);
    }
  });
}

function setPythonRequires(ctx: Ctx, specifier: string, path: TomlPath): void {
  if (!ctx.manifest.pythonRequires) ctx.manifest.pythonRequires = { specifier: specifier.trim(), line: ctx.lines.lineNear(path) };
}

/** Poetry's `python = "..."` / `platform = "..."` fields as a PEP 508 marker. */
function poetryMarker(table: TomlTable): { marker?: string; error?: string } {
  const parts: string[] = [];
  const python = asString(table.python);
  if (python) {
    const t = poetryToPep440(python);
    if (!t.ok) return { error: `python = "${python}": ${t.error}` };
    const clauses = t.specifier
      .split(',')
      .filter(Boolean)
      .map((c) => {
        const m = /^(===|==|!=|~=|>=|<=|>|<)(.*)$/.exec(c);
        const op = m?.[1] ?? '==';
        const v = m?.[2] ?? c;
        const variable = v.replace(/\.\*$/, '').split('.').length > 2 ? 'python_full_version' : 'python_version';
        return `${variable} ${op} "${v}"`;
      });
    if (clauses.length > 0) parts.push(clauses.join(' and '));
  }
  const platform = asString(table.platform);
  if (platform) parts.push(`sys_platform == "${platform}"`);
  const markers = asString(table.markers);
  if (markers) parts.push(markers);
  if (parts.length === 0) return {};
  return { marker: parts.length === 1 ? parts[0] : parts.map((p) => `(${p})`).join(' and ') };
}

function poetryDependency(ctx: Ctx, rawName: string, value: unknown, path: TomlPath, group: string | undefined, sources: Map<string, string>): Dependency[] {
  const line = ctx.lines.lineNear(path);
  const base: Dependency = { name: normalizeName(rawName), rawName, specifier: '', line, locked: false, text: lineText(ctx, line), manager: 'poetry' };
  if (group) base.group = group;
  const constraint = (c: string, dep: Dependency): void => {
    const t = poetryToPep440(c);
    if (t.ok) {
      dep.specifier = t.specifier;
      const v = exactVersion(t.specifier);
      if (v !== undefined) dep.version = v;
    } else {
      dep.specifier = c.trim();
      dep.skipReason = t.error;
    }
  };
  if (typeof value === 'string') {
    constraint(value, base);
    return [base];
  }
  if (Array.isArray(value)) {
    // Multiple-constraints form: one entry per alternative, each on its own line with its marker.
    return value.flatMap((alt, i) => poetryDependency(ctx, rawName, alt, [...path, i], group, sources));
  }
  if (!isTable(value)) {
    base.skipReason = 'not a Poetry constraint (string, table or list of tables): not understood';
    return [base];
  }
  const version = asString(value.version);
  if (version !== undefined) constraint(version, base);
  const extras = Array.isArray(value.extras) ? value.extras.filter((e): e is string => typeof e === 'string') : undefined;
  const source = tableSource(value, (n) => sources.get(n), 'source');
  const marker = poetryMarker(value);
  withOptional(base, { extras, source, marker: marker.marker, editable: value.develop === true ? true : undefined });
  if (marker.error && !base.skipReason) base.skipReason = marker.error;
  return [base];
}

function poetryTable(ctx: Ctx, table: unknown, path: TomlPath, group: string | undefined, sources: Map<string, string>, out: Dependency[]): void {
  if (table === undefined) return;
  if (!isTable(table)) {
    problem(ctx, path, `${path.join('.')} should be a table`);
    return;
  }
  for (const [rawName, value] of Object.entries(table)) {
    if (rawName.toLowerCase() === 'python') {
      if (group !== undefined) continue;
      const c = typeof value === 'string' ? value : isTable(value) ? asString(value.version) : undefined;
      const t = c === undefined ? undefined : poetryToPep440(c);
      if (t?.ok) setPythonRequires(ctx, t.specifier, [...path, rawName]);
      else problem(ctx, [...path, rawName], `python = ${JSON.stringify(c ?? value)}: ${t && !t.ok ? t.error : 'not understood'}`);
      continue;
    }
    out.push(...poetryDependency(ctx, rawName, value, [...path, rawName], group, sources));
  }
}

function readIndexes(ctx: Ctx, doc: TomlTable): { poetry: Map<string, string>; uv: Map<string, string>; pdm: Map<string, string> } {
  const tool = isTable(doc.tool) ? doc.tool : {};
  const push = (kind: IndexSetting['kind'], value: string, path: TomlPath): void => {
    ctx.manifest.indexes.push({ kind, value, line: ctx.lines.lineNear(path) });
  };
  const poetry = new Map<string, string>();
  const uv = new Map<string, string>();
  const pdm = new Map<string, string>();
  const each = (list: unknown, base: TomlPath, fn: (t: TomlTable, p: TomlPath) => void): void => {
    if (Array.isArray(list)) list.forEach((t, i) => isTable(t) && fn(t, [...base, i]));
  };
  const poetryTool = isTable(tool.poetry) ? tool.poetry : {};
  each(poetryTool.source, ['tool', 'poetry', 'source'], (s, p) => {
    const url = asString(s.url);
    const name = asString(s.name);
    if (!url) return;
    if (name) poetry.set(name, url);
    const priority = asString(s.priority) ?? (s.default === true ? 'default' : s.secondary === true ? 'secondary' : 'primary');
    push(priority === 'primary' || priority === 'default' ? 'index-url' : 'extra-index-url', url, [...p, 'url']);
  });
  const uvTool = isTable(tool.uv) ? tool.uv : {};
  each(uvTool.index, ['tool', 'uv', 'index'], (s, p) => {
    const url = asString(s.url);
    const name = asString(s.name);
    if (!url) return;
    if (name) uv.set(name, url);
    push(s.default === true ? 'index-url' : 'extra-index-url', url, [...p, 'url']);
  });
  const uvIndexUrl = asString(uvTool['index-url']);
  if (uvIndexUrl) push('index-url', uvIndexUrl, ['tool', 'uv', 'index-url']);
  for (const key of ['extra-index-url', 'find-links'] as const) {
    const v = uvTool[key];
    if (Array.isArray(v)) v.forEach((u, i) => typeof u === 'string' && push(key, u, ['tool', 'uv', key, i]));
  }
  const pdmTool = isTable(tool.pdm) ? tool.pdm : {};
  each(pdmTool.source, ['tool', 'pdm', 'source'], (s, p) => {
    const url = asString(s.url);
    const name = asString(s.name);
    if (!url) return;
    if (name) pdm.set(name, url);
    const kind = asString(s.type) === 'find_links' ? 'find-links' : name === 'pypi' ? 'index-url' : 'extra-index-url';
    push(kind, url, [...p, 'url']);
    if (s.verify_ssl === false) push('trusted-host', hostOf(url), [...p, 'verify_ssl']);
  });
  return { poetry, uv, pdm };
}

/** [tool.uv.sources]: give the matching dependencies their source. */
function applyUvSources(ctx: Ctx, sources: unknown, uvIndexes: Map<string, string>): void {
  if (!isTable(sources)) return;
  for (const [rawName, value] of Object.entries(sources)) {
    const entry = Array.isArray(value) ? value.find(isTable) : value;
    if (!isTable(entry)) continue;
    const source: DependencySource | undefined =
      entry.workspace === true ? { kind: 'path', url: 'workspace' } : tableSource(entry, (n) => uvIndexes.get(n), 'index');
    if (!source) continue;
    const name = normalizeName(rawName);
    for (const dep of ctx.manifest.dependencies) {
      if (dep.name !== name || dep.manager !== 'pyproject' || dep.source) continue;
      dep.source = source;
      if (entry.editable === true) dep.editable = true;
    }
  }
}

export const extractPyproject: Extractor = (path, text): ManifestFile => {
  const manifest = emptyManifest(path, 'pyproject');
  const parsed = parseToml(text);
  if (!parsed.ok) {
    manifest.problems.push(parsed.problem);
    return manifest;
  }
  const doc = parsed.doc;
  const ctx: Ctx = { manifest, lines: tomlLines(text), source: text.split(/\r\n|\r|\n/) };
  try {
    read(ctx, doc);
  } catch (e) {
    manifest.problems.push({ message: `could not read the file: ${e instanceof Error ? e.message : String(e)}` });
  }
  return manifest;
};

function read(ctx: Ctx, doc: TomlTable): void {
  const { manifest } = ctx;
  const tool = isTable(doc.tool) ? doc.tool : {};
  const poetryTool = isTable(tool.poetry) ? tool.poetry : undefined;
  if (poetryTool) manifest.manager = 'poetry';
  const indexes = readIndexes(ctx, doc);

  // PEP 621
  const project = isTable(doc.project) ? doc.project : undefined;
  if (project) {
    pep508List(ctx, project.dependencies, ['project', 'dependencies'], 'pyproject', undefined);
    const optional = project['optional-dependencies'];
    if (isTable(optional)) {
      for (const [extra, list] of Object.entries(optional)) pep508List(ctx, list, ['project', 'optional-dependencies', extra], 'pyproject', extra);
    }
    const rp = project['requires-python'];
    if (typeof rp === 'string') setPythonRequires(ctx, rp, ['project', 'requires-python']);
  }
  // PEP 735
  if (isTable(doc['dependency-groups'])) {
    for (const [group, list] of Object.entries(doc['dependency-groups'])) pep508List(ctx, list, ['dependency-groups', group], 'pyproject', group, true);
  }
  // PDM
  const pdm = isTable(tool.pdm) ? tool.pdm : {};
  const pdmDev = pdm['dev-dependencies'];
  if (isTable(pdmDev)) {
    for (const [group, list] of Object.entries(pdmDev)) pep508List(ctx, list, ['tool', 'pdm', 'dev-dependencies', group], 'pyproject', group);
  }
  // uv
  const uv = isTable(tool.uv) ? tool.uv : {};
  pep508List(ctx, uv['dev-dependencies'], ['tool', 'uv', 'dev-dependencies'], 'pyproject', 'dev');
  applyUvSources(ctx, uv.sources, indexes.uv);

  // Poetry
  if (poetryTool) {
    const extras = new Map<string, string>();
    if (isTable(poetryTool.extras)) {
      for (const [extra, names] of Object.entries(poetryTool.extras)) {
        if (Array.isArray(names)) for (const n of names) if (typeof n === 'string' && !extras.has(normalizeName(n))) extras.set(normalizeName(n), extra);
      }
    }
    const main: Dependency[] = [];
    poetryTable(ctx, poetryTool.dependencies, ['tool', 'poetry', 'dependencies'], undefined, indexes.poetry, main);
    for (const dep of main) if (!dep.group && extras.has(dep.name)) dep.group = extras.get(dep.name);
    // Poetry 2.x: with [project].dependencies, [tool.poetry.dependencies] only enriches them.
    const projectDeps = manifest.dependencies.filter((d) => d.manager === 'pyproject' && d.group === undefined);
    for (const dep of main) {
      const targets = project && Array.isArray(project.dependencies) ? projectDeps.filter((d) => d.name === dep.name) : [];
      if (targets.length === 0) {
        manifest.dependencies.push(dep);
        continue;
      }
      for (const t of targets) {
        if (dep.source && !t.source) t.source = dep.source;
        if (dep.editable) t.editable = true;
      }
    }
    poetryTable(ctx, poetryTool['dev-dependencies'], ['tool', 'poetry', 'dev-dependencies'], 'dev', indexes.poetry, manifest.dependencies);
    if (isTable(poetryTool.group)) {
      for (const [group, g] of Object.entries(poetryTool.group)) {
        if (isTable(g)) poetryTable(ctx, g.dependencies, ['tool', 'poetry', 'group', group, 'dependencies'], group, indexes.poetry, manifest.dependencies);
      }
    }
  }
  manifest.dependencies.sort((a, b) => a.line - b.line);
}

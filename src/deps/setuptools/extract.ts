/**
 * setup.cfg ([options] install_requires / python_requires, [options.extras_require]) and
 * setup.py (`setup(install_requires=[...], extras_require={...}, python_requires="...")` read
 * with tree-sitter — never executed). Only literals are understood: a list/tuple of strings, a
 * multi-line string, a dict of those, or a module-level name assigned such a literal exactly once
 * and never changed. Anything else becomes a problem saying it was not understood.
 */
import { parsePython, type SyntaxNode } from '../../python/parser.js';
import { stringPrefix, stringValue as rawStringValue } from '../../python/ast.js';
import { pep508Dependency } from '../pyproject/extract.js';
import type { Extractor, ManifestFile } from '../types.js';
import { emptyManifest } from '../types.js';

// ---------------------------------------------------------------- setup.cfg

interface IniValue {
  key: string;
  line: number;
  /** Each physical line of the value (first line after `=`, then continuation lines). */
  parts: { text: string; line: number }[];
}

/** configparser-style reading: sections, `key = value` / `key: value`, indented continuation lines. */
export function readIni(text: string): Map<string, IniValue[]> {
  const sections = new Map<string, IniValue[]>();
  let current: IniValue[] | undefined;
  let last: IniValue | undefined;
  text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = i + 1;
    if (/^\s*[#;]/.test(raw)) return;
    if (/^\s+\S/.test(raw) && last) {
      last.parts.push({ text: raw.trim(), line });
      return;
    }
    if (!raw.trim()) return; // blank lines inside values are kept apart by configparser as empty parts: drop them
    const header = /^\[([^\]]+)\]/.exec(raw);
    if (header?.[1]) {
      const name = header[1].trim();
      current = sections.get(name) ?? [];
      sections.set(name, current);
      last = undefined;
      return;
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(raw);
    if (kv?.[1] && current) {
      last = { key: kv[1].trim().toLowerCase(), line, parts: [] };
      if ((kv[2] ?? '').trim()) last.parts.push({ text: (kv[2] ?? '').trim(), line });
      current.push(last);
    } else {
      last = undefined;
    }
  });
  return sections;
}

/** setuptools' list-semi: one item per line, or `;`-separated on a single line. */
function listSemi(value: IniValue): { text: string; line: number }[] {
  if (value.parts.length === 1 && value.parts[0]?.line === value.line) {
    const only = value.parts[0];
    return only.text
      .split(';')
      .map((t) => ({ text: t.trim(), line: only.line }))
      .filter((p) => p.text);
  }
  return value.parts.filter((p) => p.text);
}

export const extractSetupCfg: Extractor = (path, text): ManifestFile => {
  const manifest = emptyManifest(path, 'setuptools');
  let ini: Map<string, IniValue[]>;
  try {
    ini = readIni(text);
  } catch (e) {
    manifest.problems.push({ message: `could not read the file: ${e instanceof Error ? e.message : String(e)}` });
    return manifest;
  }
  const add = (value: IniValue, group: string | undefined): void => {
    const first = value.parts[0]?.text ?? '';
    if (/^file:/.test(first)) {
      manifest.problems.push({ line: value.line, message: `${value.key} reads its list from a file (${first}): not followed here` });
      return;
    }
    for (const item of listSemi(value)) {
      // A lone `;` split can break markers on single-line values: keep the whole line then.
      manifest.dependencies.push(pep508Dependency(item.text.replace(/\s+#.*$/, ''), item.line, 'setuptools', group));
    }
  };
  for (const v of ini.get('options') ?? []) {
    if (v.key === 'install_requires') add(v, undefined);
    else if (v.key === 'python_requires' && v.parts[0]) manifest.pythonRequires = { specifier: v.parts[0].text, line: v.parts[0].line };
  }
  for (const v of ini.get('options.extras_require') ?? []) add(v, v.key);
  for (const d of manifest.dependencies) delete d.manager;
  manifest.dependencies.sort((a, b) => a.line - b.line);
  return manifest;
};

// ---------------------------------------------------------------- setup.py

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '\n': '' };

/** A string literal's value with the common escapes decoded (raw strings kept as written). */
function stringValue(node: SyntaxNode | null): string | null {
  const v = rawStringValue(node);
  if (v === null || !node) return v;
  const strings = node.type === 'concatenated_string' ? node.namedChildren.filter((c) => c.type === 'string') : [node];
  if (strings.some((s) => s.type === 'string' && /r/i.test(stringPrefix(s)))) return v;
  return v.replace(/\\(.|\n)/g, (m, c: string) => ESCAPES[c] ?? m);
}

const SETUP_NAMES = /^(setup|setuptools\.setup|distutils\.core\.setup|core\.setup|skbuild\.setup)$/;

function line(node: SyntaxNode): number {
  return node.startPosition.row + 1;
}

function describe(node: SyntaxNode): string {
  const t = node.text.replace(/\s+/g, ' ');
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}

/** Module-level `NAME = <literal>` when NAME is assigned exactly once and never mutated. */
function moduleLiteral(root: SyntaxNode, name: string): SyntaxNode | null {
  let found: SyntaxNode | null = null;
  let count = 0;
  const visit = (node: SyntaxNode): void => {
    if (node.type === 'assignment' || node.type === 'augmented_assignment') {
      const left = node.childForFieldName('left');
      if (left?.type === 'identifier' && left.text === name) {
        count++;
        if (node.type === 'assignment' && node.parent?.parent?.id === root.id) found = node.childForFieldName('right');
        else found = null;
      }
    }
    if (node.type === 'call') {
      const fn = node.childForFieldName('function');
      if (fn?.type === 'attribute' && fn.childForFieldName('object')?.text === name && /^(append|extend|insert|update|remove|pop|clear|setdefault)$/.test(fn.childForFieldName('attribute')?.text ?? '')) count += 2;
    }
    for (const c of node.namedChildren) visit(c);
  };
  visit(root);
  return count === 1 ? found : null;
}

export const extractSetupPy: Extractor = (path, text): ManifestFile => {
  const manifest = emptyManifest(path, 'setuptools');
  try {
    readSetupPy(manifest, text);
  } catch (e) {
    manifest.problems.push({ message: `could not read the file: ${e instanceof Error ? e.message : String(e)}` });
  }
  manifest.dependencies.sort((a, b) => a.line - b.line);
  return manifest;
};

function readSetupPy(manifest: ManifestFile, text: string): void {
  const tree = parsePython(text);
  const root = tree.rootNode;
  const calls: SyntaxNode[] = [];
  const find = (node: SyntaxNode): void => {
    if (node.type === 'call' && SETUP_NAMES.test(node.childForFieldName('function')?.text ?? '')) calls.push(node);
    for (const c of node.namedChildren) find(c);
  };
  find(root);
  if (calls.length === 0) {
    manifest.problems.push({ message: 'no setup() call found: dependencies not understood' });
    return;
  }
  const notUnderstood = (node: SyntaxNode, what: string): void => {
    manifest.problems.push({ line: line(node), message: `${what} is not a literal (${describe(node)}): not understood` });
  };
  const resolve = (node: SyntaxNode): SyntaxNode => {
    let n = node;
    while (n.type === 'parenthesized_expression' && n.namedChildCount === 1 && n.namedChild(0)) n = n.namedChild(0) as SyntaxNode;
    if (n.type === 'identifier') return moduleLiteral(root, n.text) ?? n;
    return n;
  };
  const requirements = (node: SyntaxNode, what: string, group: string | undefined): void => {
    const value = resolve(node);
    const s = stringValue(value);
    if (s !== null) {
      // A string: one requirement per line (setuptools' behaviour).
      s.split('\n').forEach((l, i) => {
        const t = l.replace(/(^|\s)#.*$/, '').trim();
        if (t) manifest.dependencies.push(pep508Dependency(t, line(value) + (value.text.includes('\n') ? i : 0), 'setuptools', group));
      });
      return;
    }
    if (value.type !== 'list' && value.type !== 'tuple') {
      notUnderstood(node, what);
      return;
    }
    for (const item of value.namedChildren) {
      if (item.type === 'comment') continue;
      const v = stringValue(item);
      if (v === null) notUnderstood(item, `an item of ${what}`);
      else manifest.dependencies.push(pep508Dependency(v, line(item), 'setuptools', group));
    }
  };
  for (const call of calls) {
    const args = call.childForFieldName('arguments');
    for (const arg of args?.namedChildren ?? []) {
      if (arg.type === 'dictionary_splat') {
        manifest.problems.push({ line: line(arg), message: `setup() arguments passed through ${describe(arg)}: not understood` });
        continue;
      }
      if (arg.type !== 'keyword_argument') continue;
      const key = arg.childForFieldName('name')?.text;
      const value = arg.childForFieldName('value');
      if (!value) continue;
      if (key === 'install_requires') requirements(value, 'install_requires', undefined);
      else if (key === 'python_requires') {
        const v = resolve(value);
        const s = stringValue(v);
        if (s === null) notUnderstood(value, 'python_requires');
        else manifest.pythonRequires = { specifier: s.trim(), line: line(v) };
      } else if (key === 'extras_require') {
        const dict = resolve(value);
        if (dict.type !== 'dictionary') {
          notUnderstood(value, 'extras_require');
          continue;
        }
        for (const pair of dict.namedChildren) {
          if (pair.type === 'comment') continue;
          const k = pair.type === 'pair' ? stringValue(pair.childForFieldName('key')) : null;
          const v = pair.childForFieldName('value');
          if (k === null || !v) notUnderstood(pair, 'an entry of extras_require');
          else requirements(v, `extras_require["${k}"]`, k.split(':')[0] ?? k);
        }
      }
    }
  }
  for (const d of manifest.dependencies) delete d.manager;
}

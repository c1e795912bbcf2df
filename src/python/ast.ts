/**
 * Small, allocation-light helpers over tree-sitter-python nodes that rules share.
 */
import type { SyntaxNode } from './parser.js';

/** The `function` child of a call node. */
export function callee(call: SyntaxNode): SyntaxNode | null {
  return call.childForFieldName('function');
}

function argumentList(call: SyntaxNode): SyntaxNode | null {
  const args = call.childForFieldName('arguments');
  return args && args.type === 'argument_list' ? args : null;
}

/** Positional arguments of a call (keyword arguments and splats excluded). */
export function positionalArgs(call: SyntaxNode): SyntaxNode[] {
  const args = argumentList(call);
  if (!args) return [];
  return args.namedChildren.filter(
    (n) =>
      n.type !== 'keyword_argument' &&
      n.type !== 'list_splat' &&
      n.type !== 'dictionary_splat' &&
      n.type !== 'comment',
  );
}

/** The value of keyword argument `name`, if given. */
export function keywordArg(call: SyntaxNode, name: string): SyntaxNode | null {
  const args = argumentList(call);
  if (!args) return null;
  for (const n of args.namedChildren) {
    if (n.type === 'keyword_argument' && n.childForFieldName('name')?.text === name) {
      return n.childForFieldName('value');
    }
  }
  return null;
}

/** The keyword_argument node named `name` (for fixes that rewrite the whole `name=value`). */
export function keywordArgNode(call: SyntaxNode, name: string): SyntaxNode | null {
  const args = argumentList(call);
  if (!args) return null;
  for (const n of args.namedChildren) {
    if (n.type === 'keyword_argument' && n.childForFieldName('name')?.text === name) return n;
  }
  return null;
}

/** Positional argument `index`, or the keyword argument `name` when given by keyword. */
export function argument(call: SyntaxNode, index: number, name?: string): SyntaxNode | null {
  if (name) {
    const kw = keywordArg(call, name);
    if (kw) return kw;
  }
  return positionalArgs(call)[index] ?? null;
}

/** True when the call passes `*args` or `**kwargs`: its arguments cannot be known statically. */
export function hasSplat(call: SyntaxNode): boolean {
  const args = argumentList(call);
  return !!args && args.namedChildren.some((n) => n.type === 'list_splat' || n.type === 'dictionary_splat');
}

export function isTrue(node: SyntaxNode | null): boolean {
  return node?.type === 'true';
}

export function isFalse(node: SyntaxNode | null): boolean {
  return node?.type === 'false';
}

export function isNone(node: SyntaxNode | null): boolean {
  return node?.type === 'none';
}

/** Prefix letters of a string literal, lower-cased: '', 'f', 'rb', ... */
export function stringPrefix(str: SyntaxNode): string {
  const start = str.firstChild;
  if (!start || start.type !== 'string_start') return '';
  return start.text.replace(/["']/g, '').toLowerCase();
}

/** True for an f-string that interpolates at least one expression. */
export function isInterpolatedString(node: SyntaxNode): boolean {
  if (node.type === 'concatenated_string') return node.namedChildren.some(isInterpolatedString);
  if (node.type !== 'string') return false;
  return node.namedChildren.some((c) => c.type === 'interpolation');
}

/**
 * The value of a string literal without interpolation (implicit concatenation included),
 * or null when the node is not such a literal. Escapes are kept as written: callers
 * match on content, not exact bytes.
 */
export function stringValue(node: SyntaxNode | null): string | null {
  if (!node) return null;
  if (node.type === 'parenthesized_expression' && node.namedChildCount === 1) {
    return stringValue(node.namedChild(0));
  }
  if (node.type === 'concatenated_string') {
    let out = '';
    for (const part of node.namedChildren) {
      if (part.type === 'comment') continue;
      const v = stringValue(part);
      if (v === null) return null;
      out += v;
    }
    return out;
  }
  if (node.type !== 'string') return null;
  let out = '';
  for (const c of node.namedChildren) {
    if (c.type === 'interpolation') return null;
    if (c.type === 'string_content' || c.type === 'escape_sequence') out += c.text;
  }
  return out;
}

/** The static text of a string, with `{...}` standing for each interpolation. */
export function stringTemplate(node: SyntaxNode): string {
  if (node.type === 'concatenated_string') return node.namedChildren.map(stringTemplate).join('');
  if (node.type !== 'string') return '';
  let out = '';
  for (const c of node.namedChildren) {
    if (c.type === 'interpolation') out += '{}';
    else if (c.type === 'string_content' || c.type === 'escape_sequence') out += c.text;
  }
  return out;
}

export function isStringLiteral(node: SyntaxNode | null): boolean {
  return !!node && (node.type === 'string' || node.type === 'concatenated_string');
}

/** Literal values: strings without interpolation, numbers, booleans, None, and containers of them. */
export function isLiteral(node: SyntaxNode | null): boolean {
  if (!node) return false;
  switch (node.type) {
    case 'string':
    case 'concatenated_string':
      return stringValue(node) !== null;
    case 'integer':
    case 'float':
    case 'true':
    case 'false':
    case 'none':
    case 'ellipsis':
      return true;
    case 'unary_operator':
      return isLiteral(node.childForFieldName('argument'));
    case 'parenthesized_expression':
    case 'tuple':
    case 'list':
    case 'set':
      return node.namedChildren.every((c) => c.type === 'comment' || isLiteral(c));
    case 'dictionary':
      return node.namedChildren.every(
        (c) =>
          c.type === 'comment' ||
          (c.type === 'pair' && isLiteral(c.childForFieldName('key')) && isLiteral(c.childForFieldName('value'))),
      );
    default:
      return false;
  }
}

/** Integer literal value (decimal, hex, octal, binary, with underscores), or null. */
export function intValue(node: SyntaxNode | null): number | null {
  if (!node || node.type !== 'integer') return null;
  const text = node.text.replace(/_/g, '').toLowerCase().replace(/l$/, '');
  const v = /^0[oxb]/.test(text) ? Number(text) : /^0\d+$/.test(text) ? parseInt(text, 8) : Number(text);
  return Number.isFinite(v) ? v : null;
}

/** Strip redundant parentheses around an expression. */
export function unparen(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.type === 'parenthesized_expression' && n.namedChildCount === 1) {
    const inner = n.namedChild(0);
    if (!inner) break;
    n = inner;
  }
  return n;
}

/** For `a.b.c`, the attribute name `c`; for an identifier, its name. */
export function terminalName(node: SyntaxNode | null): string | null {
  if (!node) return null;
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') return node.childForFieldName('attribute')?.text ?? null;
  return null;
}

/** Node types that are statements (children of a block or the module). */
export function enclosingStatement(node: SyntaxNode): SyntaxNode {
  let n: SyntaxNode = node;
  while (n.parent && n.parent.type !== 'block' && n.parent.type !== 'module') {
    n = n.parent;
  }
  return n;
}

const SCOPE_TYPES = new Set(['function_definition', 'lambda', 'class_definition', 'module']);

/** The innermost function definition containing `node`, if any. */
export function enclosingFunction(node: SyntaxNode): SyntaxNode | null {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'function_definition') return n;
  }
  return null;
}

export function isScopeNode(node: SyntaxNode): boolean {
  return SCOPE_TYPES.has(node.type);
}

/** Decorators applied to a function or class definition (empty when not decorated). */
export function decoratorsOf(def: SyntaxNode): SyntaxNode[] {
  const parent = def.parent;
  if (!parent || parent.type !== 'decorated_definition') return [];
  return parent.namedChildren.filter((c) => c.type === 'decorator');
}

/** The expression of a decorator: `@app.route("/")` → the call; `@login_required` → the identifier. */
export function decoratorExpression(dec: SyntaxNode): SyntaxNode | null {
  return dec.namedChildren.find((c) => c.type !== 'comment') ?? null;
}

/** Names matching these look like secrets (passwords, tokens, keys). */
export const SECRET_NAME =
  /(?:^|[_\W])(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_-]?key|apikey|private[_-]?key|access[_-]?key|auth[_-]?key|credentials?|client[_-]?secret|signing[_-]?key|encryption[_-]?key|session[_-]?key|secret[_-]?key)(?:$|[_\W])/i;

/** Password-like names only (for password hashing/storage rules). */
export const PASSWORD_NAME = /(?:^|[_\W])(?:pass(?:word|wd|phrase)?|pwd|passwd)(?:$|[_\W\d])/i;

/** Split `camelCase` into `camel_case` so name patterns see word boundaries. */
export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

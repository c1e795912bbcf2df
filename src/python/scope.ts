/**
 * Scopes, bindings and import resolution.
 *
 * Python decides whether a name is local from every binding in the scope, wherever it
 * appears (a later `md5 = ...` makes `md5` local for the whole function). So bindings are
 * collected during the engine's single walk and rules are dispatched only after it, when
 * every scope is complete. Resolution then follows Python's LEGB order, skipping class
 * scopes for code nested in them.
 */
import type { SyntaxNode } from './parser.js';

export type ScopeKind = 'module' | 'function' | 'lambda' | 'class' | 'comprehension';

export class Scope {
  /** name → fully qualified imported name (`h` → `hashlib`, `P` → `subprocess.Popen`). */
  readonly imports = new Map<string, string>();
  /** Names bound in this scope by anything other than an import. */
  readonly locals = new Set<string>();
  /** Right-hand sides of plain `name = value` assignments, in source order. */
  readonly assignments = new Map<string, SyntaxNode[]>();
  /** Names bound in ways other than a plain assignment (for, with, augmented, unpacking...). */
  readonly otherBindings = new Set<string>();
  readonly globals = new Set<string>();
  readonly nonlocals = new Set<string>();
  /** Modules imported with `from m import *`: any unknown name may come from them. */
  readonly wildcardImports: string[] = [];

  constructor(
    readonly kind: ScopeKind,
    readonly node: SyntaxNode,
    readonly parent: Scope | null,
  ) {}

  get module(): Scope {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let s: Scope = this;
    while (s.parent) s = s.parent;
    return s;
  }
}

export const BUILTINS = new Set([
  'abs', 'all', 'any', 'ascii', 'bin', 'bool', 'breakpoint', 'bytearray', 'bytes', 'callable', 'chr',
  'classmethod', 'compile', 'complex', 'delattr', 'dict', 'dir', 'divmod', 'enumerate', 'eval', 'exec',
  'filter', 'float', 'format', 'frozenset', 'getattr', 'globals', 'hasattr', 'hash', 'help', 'hex', 'id',
  'input', 'int', 'isinstance', 'issubclass', 'iter', 'len', 'list', 'locals', 'map', 'max', 'memoryview',
  'min', 'next', 'object', 'oct', 'open', 'ord', 'pow', 'print', 'property', 'range', 'repr', 'reversed',
  'round', 'set', 'setattr', 'slice', 'sorted', 'staticmethod', 'str', 'sum', 'super', 'tuple', 'type',
  'vars', 'zip', '__import__', 'execfile', 'raw_input', 'unicode', 'file', 'reload',
]);

/**
 * Collects bindings while the engine walks the tree. The engine calls `enter` for every
 * node whose type is in `BINDING_TYPES` and `push`/`pop` around scope nodes.
 */
export class ScopeBuilder {
  /** Scope by the tree-sitter node id of its defining node. */
  readonly byNode = new Map<number, Scope>();
  readonly module: Scope;
  private stack: Scope[];

  constructor(root: SyntaxNode) {
    this.module = new Scope('module', root, null);
    this.byNode.set(root.id, this.module);
    this.stack = [this.module];
  }

  get current(): Scope {
    return this.stack[this.stack.length - 1] ?? this.module;
  }

  push(kind: ScopeKind, node: SyntaxNode): void {
    const scope = new Scope(kind, node, this.current);
    this.byNode.set(node.id, scope);
    this.stack.push(scope);
  }

  pop(): void {
    if (this.stack.length > 1) this.stack.pop();
  }

  /** Record the bindings a node introduces into the current scope. */
  bind(node: SyntaxNode): void {
    const scope = this.current;
    switch (node.type) {
      case 'import_statement':
        for (const name of node.childrenForFieldName('name')) {
          if (name.type === 'aliased_import') {
            const mod = name.childForFieldName('name')?.text;
            const alias = name.childForFieldName('alias')?.text;
            if (mod && alias) setImport(scope, alias, normalizeDotted(mod));
          } else {
            // `import os.path` binds `os` to the package `os`.
            const dotted = normalizeDotted(name.text);
            const head = dotted.split('.')[0] ?? dotted;
            setImport(scope, head, head);
          }
        }
        break;
      case 'import_from_statement': {
        const modNode = node.childForFieldName('module_name');
        if (!modNode) break;
        const mod = normalizeDotted(modNode.text);
        if (node.namedChildren.some((c) => c.type === 'wildcard_import')) {
          scope.wildcardImports.push(mod);
          break;
        }
        for (const name of node.childrenForFieldName('name')) {
          if (name.type === 'aliased_import') {
            const orig = name.childForFieldName('name')?.text;
            const alias = name.childForFieldName('alias')?.text;
            if (orig && alias) setImport(scope, alias, joinModule(mod, normalizeDotted(orig)));
          } else {
            const orig = normalizeDotted(name.text);
            setImport(scope, orig, joinModule(mod, orig));
          }
        }
        break;
      }
      case 'assignment': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (!left) break;
        if (left.type === 'identifier' && right && right.type !== 'assignment') {
          scope.locals.add(left.text);
          const list = scope.assignments.get(left.text);
          if (list) list.push(right);
          else scope.assignments.set(left.text, [right]);
        } else {
          // Chained (`a = b = v`) and unpacking assignments.
          bindTargets(scope, left);
          if (right?.type === 'assignment') this.bind(right);
        }
        break;
      }
      case 'augmented_assignment':
      case 'for_statement':
      case 'for_in_clause':
        bindTargets(scope, node.childForFieldName('left'));
        break;
      case 'named_expression':
        bindTargets(scope, node.childForFieldName('name'));
        break;
      case 'as_pattern': {
        const alias = node.childForFieldName('alias');
        if (alias) bindTargets(scope, alias);
        break;
      }
      case 'global_statement':
        for (const id of node.namedChildren) if (id.type === 'identifier') scope.globals.add(id.text);
        break;
      case 'nonlocal_statement':
        for (const id of node.namedChildren) if (id.type === 'identifier') scope.nonlocals.add(id.text);
        break;
      case 'function_definition':
      case 'class_definition': {
        const name = node.childForFieldName('name');
        if (name) bindName(scope, name.text);
        break;
      }
      case 'parameters':
      case 'lambda_parameters':
        for (const p of node.namedChildren) bindParameter(scope, p);
        break;
      default:
        break;
    }
  }
}

/** Node types that introduce bindings: the engine materialises only these (and rule types). */
export const BINDING_TYPES = new Set([
  'import_statement',
  'import_from_statement',
  'assignment',
  'augmented_assignment',
  'for_statement',
  'for_in_clause',
  'named_expression',
  'as_pattern',
  'global_statement',
  'nonlocal_statement',
  'function_definition',
  'class_definition',
  'parameters',
  'lambda_parameters',
]);

/** Node types that open a new scope, and the kind of scope. */
export const SCOPE_NODE_KINDS: Record<string, ScopeKind> = {
  function_definition: 'function',
  lambda: 'lambda',
  class_definition: 'class',
  list_comprehension: 'comprehension',
  set_comprehension: 'comprehension',
  dictionary_comprehension: 'comprehension',
  generator_expression: 'comprehension',
};

function normalizeDotted(text: string): string {
  return text.replace(/\s+/g, '');
}

function joinModule(mod: string, name: string): string {
  return mod.endsWith('.') ? mod + name : `${mod}.${name}`;
}

function setImport(scope: Scope, name: string, qualified: string): void {
  // The first import wins: `try: import simplejson as json / except: import json` keeps
  // the first, and both name the same kind of thing.
  if (!scope.imports.has(name)) scope.imports.set(name, qualified);
}

function bindName(scope: Scope, name: string): void {
  scope.locals.add(name);
  scope.otherBindings.add(name);
}

function bindParameter(scope: Scope, p: SyntaxNode): void {
  switch (p.type) {
    case 'identifier':
      bindName(scope, p.text);
      break;
    case 'typed_parameter':
    case 'list_splat_pattern':
    case 'dictionary_splat_pattern':
      for (const c of p.namedChildren) if (c.type === 'identifier') bindName(scope, c.text);
      break;
    case 'default_parameter':
    case 'typed_default_parameter': {
      const name = p.childForFieldName('name');
      if (name?.type === 'identifier') bindName(scope, name.text);
      break;
    }
    default:
      break;
  }
}

function bindTargets(scope: Scope, target: SyntaxNode | null): void {
  if (!target) return;
  switch (target.type) {
    case 'identifier':
      bindName(scope, target.text);
      break;
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'tuple':
    case 'list':
    case 'expression_list':
    case 'parenthesized_expression':
    case 'list_splat_pattern':
    case 'list_splat':
    case 'as_pattern_target':
      for (const c of target.namedChildren) bindTargets(scope, c);
      break;
    default:
      // attribute / subscript targets bind nothing new
      break;
  }
}

/** The scope a node's names are looked up in. */
export function scopeOf(node: SyntaxNode, byNode: Map<number, Scope>, module: Scope): Scope {
  for (let n = node.parent; n; n = n.parent) {
    if (SCOPE_NODE_KINDS[n.type] === 'comprehension') {
      const s = byNode.get(n.id);
      if (s) return s;
    }
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') {
      // The name and decorators of a def, and parameter defaults, belong to the outer scope.
      const body = n.childForFieldName('body');
      const inBody = body && node.startIndex >= body.startIndex && node.endIndex <= body.endIndex;
      const params = n.childForFieldName('parameters');
      const isParamName =
        params &&
        node.startIndex >= params.startIndex &&
        node.endIndex <= params.endIndex &&
        !isInsideDefaultOrAnnotation(node, params);
      if (inBody || isParamName) {
        const s = byNode.get(n.id);
        if (s) return s;
      }
    }
  }
  return module;
}

function isInsideDefaultOrAnnotation(node: SyntaxNode, params: SyntaxNode): boolean {
  for (let n: SyntaxNode | null = node; n && n.id !== params.id; n = n.parent) {
    const parent = n.parent;
    if (!parent) break;
    if (
      (parent.type === 'default_parameter' || parent.type === 'typed_default_parameter') &&
      parent.childForFieldName('value')?.id === n.id
    ) {
      return true;
    }
    if (parent.type === 'type') return true;
  }
  return false;
}

export type Resolution =
  | { kind: 'import'; qualified: string; scope: Scope }
  | { kind: 'builtin'; qualified: string }
  | { kind: 'local'; scope: Scope }
  | { kind: 'unknown' };

/** Resolve a bare name following Python's scoping rules. */
export function resolveName(name: string, from: Scope): Resolution {
  let scope: Scope | null = from;
  let first = true;
  while (scope) {
    if (scope.kind === 'class' && !first) {
      scope = scope.parent;
      continue;
    }
    first = false;
    if (scope.globals.has(name) && scope.parent) {
      scope = scope.module;
      first = true;
      continue;
    }
    const imported = scope.imports.get(name);
    if (imported !== undefined) return { kind: 'import', qualified: imported, scope };
    if (scope.locals.has(name)) return { kind: 'local', scope };
    scope = scope.parent;
  }
  if (BUILTINS.has(name)) return { kind: 'builtin', qualified: name };
  return { kind: 'unknown' };
}

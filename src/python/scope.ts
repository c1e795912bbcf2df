/**
 * Scopes, bindings and import resolution.
 *
 * Python decides whether a name is local from every binding in the scope, wherever it
 * appears (a later `md5 = ...` makes `md5` local for the whole function). So bindings are
 * collected during the engine's single walk and rules are dispatched only after it, when
 * every scope is complete. Resolution then follows Python's LEGB order, skipping class
 * scopes for code nested in them.
 */
import type { SyntaxNode, TreeCursor } from './parser.js';
import { STRIDE } from './flat-tree.js';
import { anyArray } from '../core/any-array.js';

export interface AssignedValue {
  start: number;
  end: number;
  type: string;
}

export type ScopeKind = 'module' | 'function' | 'lambda' | 'class' | 'comprehension';

const NO_IMPORTS: ReadonlyMap<string, string> = new Map();
const NO_NAMES: ReadonlySet<string> = new Set();
const NO_ASSIGNMENTS: ReadonlyMap<string, AssignedValue[]> = new Map();
const NO_MODULES: readonly string[] = [];

/**
 * A scope's names. Its collections are made on first use: most scopes (comprehensions,
 * lambdas, small functions) bind few kinds of names, and six empty collections per scope
 * were a large part of what a big file's analysis keeps alive.
 */
export class Scope {
  private importsMap: Map<string, string> | null = null;
  private localsSet: Set<string> | null = null;
  private assignmentsMap: Map<string, AssignedValue[]> | null = null;
  private otherSet: Set<string> | null = null;
  private globalsSet: Set<string> | null = null;
  private nonlocalsSet: Set<string> | null = null;
  private wildcards: string[] | null = null;

  /** name → fully qualified imported name (`h` → `hashlib`, `P` → `subprocess.Popen`). */
  get imports(): ReadonlyMap<string, string> {
    return this.importsMap ?? NO_IMPORTS;
  }
  /** Names bound in this scope by anything other than an import. */
  get locals(): ReadonlySet<string> {
    return this.localsSet ?? NO_NAMES;
  }
  /**
   * Right-hand sides of plain `name = value` assignments, in source order. Recorded as
   * source ranges during the walk (materialising a node costs microseconds; most are never
   * asked for) and turned into nodes on demand by `RuleContext.valueOf`.
   */
  get assignments(): ReadonlyMap<string, readonly AssignedValue[]> {
    return this.assignmentsMap ?? NO_ASSIGNMENTS;
  }
  /** Names bound in ways other than a plain assignment (for, with, augmented, unpacking...). */
  get otherBindings(): ReadonlySet<string> {
    return this.otherSet ?? NO_NAMES;
  }
  get globals(): ReadonlySet<string> {
    return this.globalsSet ?? NO_NAMES;
  }
  get nonlocals(): ReadonlySet<string> {
    return this.nonlocalsSet ?? NO_NAMES;
  }
  /** Modules imported with `from m import *`: any unknown name may come from them. */
  get wildcardImports(): readonly string[] {
    return this.wildcards ?? NO_MODULES;
  }

  /**
   * The first import of a name wins: `try: import simplejson as json / except: import json`
   * keeps the first, and both name the same kind of thing.
   */
  addImport(name: string, qualified: string): void {
    const map = (this.importsMap ??= new Map());
    if (!map.has(name)) map.set(name, qualified);
  }
  addLocal(name: string): void {
    (this.localsSet ??= new Set()).add(name);
  }
  addOtherBinding(name: string): void {
    (this.otherSet ??= new Set()).add(name);
  }
  addAssignment(name: string, value: AssignedValue): void {
    const map = (this.assignmentsMap ??= new Map());
    const list = map.get(name);
    if (list) list.push(value);
    else map.set(name, [value]);
  }
  addGlobal(name: string): void {
    (this.globalsSet ??= new Set()).add(name);
  }
  addNonlocal(name: string): void {
    (this.nonlocalsSet ??= new Set()).add(name);
  }
  addWildcardImport(mod: string): void {
    (this.wildcards ??= []).push(mod);
  }

  constructor(
    readonly kind: ScopeKind,
    readonly node: SyntaxNode,
    readonly parent: Scope | null,
    /** Source range (UTF-16 offsets) in which names resolve in this scope first. */
    readonly start: number,
    readonly end: number,
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

let rolesBuffer = new Uint8Array(1 << 16);

/** Remove one element in place (`splice` would also make an array of what it removed). */
function removeAt<T>(list: T[], at: number): void {
  for (let k = at + 1; k < list.length; k++) list[k - 1] = list[k]!;
  list.pop();
}

/**
 * Collects bindings while the engine walks the tree. The engine calls `enter` for every
 * node whose type is in `BINDING_TYPES` and `push`/`pop` around scope nodes.
 */
export class ScopeBuilder {
  readonly module: Scope;
  /** Every scope, sorted by start offset once the walk is done (see `finish`). */
  readonly all: Scope[] = [];
  private stack: Scope[];

  constructor(root: SyntaxNode, length: number) {
    this.module = new Scope('module', root, null, 0, length + 1);
    this.all.push(this.module);
    this.stack = [this.module];
  }

  get current(): Scope {
    return this.stack[this.stack.length - 1] ?? this.module;
  }

  push(kind: ScopeKind, node: SyntaxNode): void {
    // Where the scope's own names apply: a function's parameters and body (not its name or
    // decorators), a class's body (not its bases), a whole lambda or comprehension.
    let start = node.startIndex;
    if (kind === 'function') start = node.childForFieldName('parameters')?.startIndex ?? start;
    else if (kind === 'class') start = node.childForFieldName('body')?.startIndex ?? start;
    const scope = new Scope(kind, node, this.current, start, node.endIndex);
    this.all.push(scope);
    this.stack.push(scope);
  }

  pop(): void {
    if (this.stack.length > 1) this.stack.pop();
  }

  /** Called after the walk: orders scopes for `ScopeIndex` lookups. */
  finish(): ScopeIndex {
    return new ScopeIndex(this.all, this.module);
  }

  /** Record the names an import statement binds in the current scope. */
  bindImport(node: SyntaxNode): void {
    const scope = this.current;
    if (node.type === 'import_statement') {
      for (const name of node.childrenForFieldName('name')) {
        if (name.type === 'aliased_import') {
          const mod = name.childForFieldName('name')?.text;
          const alias = name.childForFieldName('alias')?.text;
          if (mod && alias) scope.addImport(alias, normalizeDotted(mod));
        } else {
          // `import os.path` binds `os` to the package `os`.
          const dotted = normalizeDotted(name.text);
          const head = dotted.split('.')[0] ?? dotted;
          scope.addImport(head, head);
        }
      }
      return;
    }
    const modNode = node.childForFieldName('module_name');
    if (!modNode) return;
    const mod = normalizeDotted(modNode.text);
    if (node.namedChildren.some((c) => c.type === 'wildcard_import')) {
      scope.addWildcardImport(mod);
      return;
    }
    for (const name of node.childrenForFieldName('name')) {
      if (name.type === 'aliased_import') {
        const orig = name.childForFieldName('name')?.text;
        const alias = name.childForFieldName('alias')?.text;
        if (orig && alias) scope.addImport(alias, joinModule(mod, normalizeDotted(orig)));
      } else {
        const orig = normalizeDotted(name.text);
        scope.addImport(orig, joinModule(mod, orig));
      }
    }
  }

  /** Binding roles by record index, for the tree being walked (0: none). */
  roles: Uint8Array = new Uint8Array(0);
  /**
   * The name an assignment's plain `left` identifier binds, until its `right` is seen, by the
   * assignment's record index. Rarely more than one at a time: two short lists, not a Map
   * (a Map's delete reallocates it as it empties, once per assignment).
   */
  private readonly pendingAt: number[] = [];
  private readonly pendingName: string[] = anyArray();

  /** Called before the walk with the tree's number of nodes. */
  begin(count: number): void {
    // One buffer per thread, cleared per file: a new typed array per file costs more (in
    // allocation and garbage collection) than the walk's use of it.
    if (rolesBuffer.length < count) rolesBuffer = new Uint8Array(Math.max(count, rolesBuffer.length * 2));
    this.roles = rolesBuffer;
    rolesBuffer.fill(0, 0, count);
    this.pendingAt.length = 0;
    this.pendingName.length = 0;
  }

  /**
   * Work out the binding role of the node under the cursor from its parent's type and role
   * (and, only where it matters, its field name), and record any name it binds. The engine
   * calls it for the children of nodes that can bind (`PARENTS_OF_BINDINGS`) and of nodes
   * with a role; it reads the cursor and never materialises nodes.
   */
  visit(cursor: TreeCursor, type: string, parent: number, parentType: string): void {
    const parentRole = this.roles[parent] ?? Role.None;
    let role = Role.None;
    if (parentRole === Role.Target) {
      role = targetRole(type);
    } else if (parentRole === Role.ParamWrap) {
      role = type === 'identifier' ? Role.Bind : Role.None;
    } else if (parentRole === Role.ParamDefault) {
      role = type === 'identifier' && cursor.currentFieldName === 'name' ? Role.Bind : Role.None;
    } else if (PARENTS_OF_BINDINGS.has(parentType)) {
      role = this.roleUnder(cursor, parentType, type, parent);
    }
    if (role === Role.None) return;
    this.roles[cursor.index] = role;
    if (role === Role.Bind) bindName(this.current, cursor.nodeText);
    else if (role === Role.BindOuter) bindName(this.current.parent ?? this.current, cursor.nodeText);
    else if (role === Role.Global) this.current.addGlobal(cursor.nodeText);
    else if (role === Role.Nonlocal) this.current.addNonlocal(cursor.nodeText);
  }

  private roleUnder(cursor: TreeCursor, parentType: string, type: string, parent: number): Role {
    switch (parentType) {
      case 'assignment': {
        const field = cursor.currentFieldName;
        if (field === 'left') {
          if (type === 'identifier') {
            const name = cursor.nodeText;
            this.current.addLocal(name);
            // An annotation without a value (`x: int`) never reaches a `right`: drop entries
            // of assignments the walk has left, so the lists stay short.
            const data = cursor.tree.data;
            while (this.pendingAt.length > 0 && data[this.pendingAt[this.pendingAt.length - 1]! * STRIDE + 3]! <= cursor.index) {
              this.pendingAt.pop();
              this.pendingName.pop();
            }
            this.pendingAt.push(parent);
            this.pendingName.push(name);
            return Role.None;
          }
          return targetRole(type);
        }
        if (field === 'right') {
          const at = this.pendingAt.lastIndexOf(parent);
          if (at >= 0) {
            const name = this.pendingName[at]!;
            removeAt(this.pendingAt, at);
            removeAt(this.pendingName, at);
            if (type === 'assignment') {
              this.current.addOtherBinding(name);
            } else {
              this.current.addAssignment(name, { start: cursor.startIndex, end: cursor.endIndex, type });
            }
          }
        }
        return Role.None;
      }
      case 'augmented_assignment':
      case 'for_statement':
      case 'for_in_clause':
        return cursor.currentFieldName === 'left' ? targetRole(type) : Role.None;
      case 'named_expression':
        return cursor.currentFieldName === 'name' ? targetRole(type) : Role.None;
      case 'as_pattern':
        return cursor.currentFieldName === 'alias' ? Role.Target : Role.None;
      case 'parameters':
      case 'lambda_parameters':
        if (type === 'identifier') return Role.Bind;
        if (type === 'typed_parameter' || type === 'list_splat_pattern' || type === 'dictionary_splat_pattern') return Role.ParamWrap;
        if (type === 'default_parameter' || type === 'typed_default_parameter') return Role.ParamDefault;
        return Role.None;
      case 'function_definition':
      case 'class_definition':
        return type === 'identifier' && cursor.currentFieldName === 'name' ? Role.BindOuter : Role.None;
      case 'global_statement':
        return type === 'identifier' ? Role.Global : Role.None;
      case 'nonlocal_statement':
        return type === 'identifier' ? Role.Nonlocal : Role.None;
      default:
        return Role.None;
    }
  }
}

const enum Role {
  None,
  /** An identifier that binds a name in the current scope. */
  Bind,
  /** The name of a def/class: binds in the enclosing scope. */
  BindOuter,
  /** A pattern whose identifiers all bind (unpacking targets). */
  Target,
  /** typed_parameter / *args / **kwargs: the identifier child binds. */
  ParamWrap,
  /** default_parameter: the `name` child binds, the value does not. */
  ParamDefault,
  Global,
  Nonlocal,
}

/** Node types under which a child may bind a name. */
export const PARENTS_OF_BINDINGS = new Set([
  'assignment',
  'augmented_assignment',
  'for_statement',
  'for_in_clause',
  'named_expression',
  'as_pattern',
  'parameters',
  'lambda_parameters',
  'function_definition',
  'class_definition',
  'global_statement',
  'nonlocal_statement',
]);

/** The role of a node in a binding target position (`x` binds, `a, b` binds every name). */
function targetRole(type: string): Role {
  return type === 'identifier' ? Role.Bind : PATTERN_TYPES.has(type) ? Role.Target : Role.None;
}

/** Unpacking patterns: every identifier inside binds. */
const PATTERN_TYPES = new Set([
  'pattern_list',
  'tuple_pattern',
  'list_pattern',
  'tuple',
  'list',
  'expression_list',
  'parenthesized_expression',
  'list_splat_pattern',
  'list_splat',
  'as_pattern_target',
]);

/** Import statements: the only binding nodes the walk materialises. */
export const IMPORT_TYPES = new Set(['import_statement', 'import_from_statement']);

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

function bindName(scope: Scope, name: string): void {
  scope.addLocal(name);
  scope.addOtherBinding(name);
}

/**
 * Finds the scope of a source offset without touching the syntax tree: walking node
 * parents crosses into native code for every step, and name resolution happens for most
 * calls of every rule.
 */
export class ScopeIndex {
  private readonly sorted: Scope[];
  /** Every scope in document order of their start (module first). */
  get all(): readonly Scope[] {
    return this.sorted;
  }
  private readonly cache = new Map<number, Scope>();

  constructor(
    scopes: readonly Scope[],
    readonly module: Scope,
  ) {
    this.sorted = [...scopes].sort((a, b) => a.start - b.start);
  }

  at(offset: number): Scope {
    const hit = this.cache.get(offset);
    if (hit) return hit;
    // The last scope starting at or before the offset, then up its parents to one that contains it.
    let lo = 0;
    let hi = this.sorted.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((this.sorted[mid]?.start ?? 0) <= offset) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    let scope: Scope | null = this.sorted[found] ?? this.module;
    while (scope && !(scope.start <= offset && offset < scope.end)) scope = scope.parent;
    const result = scope ?? this.module;
    this.cache.set(offset, result);
    return result;
  }
}

export type Resolution =
  | { kind: 'import'; qualified: string; scope: Scope }
  | { kind: 'builtin'; qualified: string }
  | { kind: 'local'; scope: Scope }
  | { kind: 'unknown' };

/**
 * The scope that binds `name` (as an import or a local) seen from `from`, by Python's scoping
 * rules; null when none does.
 */
function bindingScope(name: string, from: Scope): Scope | null {
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
    if (scope.imports.has(name) || scope.locals.has(name)) return scope;
    scope = scope.parent;
  }
  return null;
}

/** Resolve a bare name following Python's scoping rules. */
export function resolveName(name: string, from: Scope): Resolution {
  const scope = bindingScope(name, from);
  if (scope) {
    const imported = scope.imports.get(name);
    return imported !== undefined ? { kind: 'import', qualified: imported, scope } : { kind: 'local', scope };
  }
  if (BUILTINS.has(name)) return { kind: 'builtin', qualified: name };
  return { kind: 'unknown' };
}

/**
 * What `resolveName` gives as `qualified` (an import's module path, a builtin's name), or null
 * for a local or unknown name; without making a Resolution, for the engine's lookup of every call.
 */
export function qualifiedOf(name: string, from: Scope): string | null {
  const scope = bindingScope(name, from);
  if (scope) return scope.imports.get(name) ?? null;
  return BUILTINS.has(name) ? name : null;
}

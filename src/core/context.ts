/**
 * What a rule sees of the file it checks. One context per (rule, file).
 */
import type { SyntaxNode } from '../python/parser.js';
import { qualifiedOf, resolveName, type AssignedValue, type Resolution, type Scope, type ScopeIndex } from '../python/scope.js';
import { unparen } from '../python/ast.js';
import { isReachable, type TaintSettings } from '../python/taint.js';
import type { Fix, Range, ReportDescriptor, Rule } from './types.js';

export interface ReportedFinding {
  rule: Rule;
  descriptor: ReportDescriptor;
}

/** Per-file state shared by the contexts of all rules. */
export interface FileState {
  path: string;
  source: string;
  root: SyntaxNode;
  scopes: ScopeIndex;
  module: Scope;
  /**
   * Qualified names by node id: every rule asks for the callee of the same calls. Plain maps,
   * not WeakMaps: they die with the file anyway, and weak entries cost every garbage collection.
   */
  names: Map<number, string | null>;
  callees: Map<number, string | null>;
  reports: ReportedFinding[];
  /** Nodes looked up from recorded ranges, so repeated `valueOf` calls are cheap. */
  nodeCache: Map<string, SyntaxNode | null>;
  /** Taint sources and sanitizers from configuration (see src/python/taint.ts). */
  taint: TaintSettings;
}

export function rangeOf(node: SyntaxNode): Range {
  return {
    start: { line: node.startPosition.row + 1, column: node.startPosition.column + 1 },
    end: { line: node.endPosition.row + 1, column: node.endPosition.column + 1 },
  };
}

export class RuleContext {
  constructor(
    private readonly file: FileState,
    readonly rule: Rule,
  ) {}

  /** Path of the file relative to the scan root, with forward slashes. */
  get path(): string {
    return this.file.path;
  }

  get source(): string {
    return this.file.source;
  }

  get root(): SyntaxNode {
    return this.file.root;
  }

  /** Configured taint sources and sanitizers. */
  get taintSettings(): TaintSettings {
    return this.file.taint;
  }

  report(descriptor: ReportDescriptor): void {
    if (!(descriptor.messageId in this.rule.meta.messages)) {
      throw new Error(`rule ${this.rule.meta.id} reported unknown messageId "${descriptor.messageId}"`);
    }
    // Code that never runs (`if False:`, a constant-false `if DEBUG:`, statements after
    // `return`) is not worth a review comment, whatever the rule.
    if (!isReachable(this, descriptor.node)) return;
    this.file.reports.push({ rule: this.rule, descriptor });
  }

  /** Every scope of the file (module first). */
  allScopes(): readonly Scope[] {
    return this.file.scopes.all;
  }

  scopeOf(node: SyntaxNode): Scope {
    return this.file.scopes.at(node.startIndex);
  }

  resolve(identifier: SyntaxNode): Resolution {
    return resolveName(identifier.text, this.scopeOf(identifier));
  }

  /**
   * The import-resolved dotted name of an identifier or attribute chain:
   * `import hashlib as h; h.md5` → `hashlib.md5`; `from subprocess import Popen as P; P` →
   * `subprocess.Popen`; builtins resolve to their bare name (`eval`). Null when the name
   * is local, unknown, or shadowed: rules stay silent rather than guess.
   */
  qualifiedName(node: SyntaxNode | null): string | null {
    if (!node) return null;
    const cached = this.file.names.get(node.id);
    if (cached !== undefined) return cached;
    const name = this.computeQualifiedName(node);
    this.file.names.set(node.id, name);
    return name;
  }

  private computeQualifiedName(node: SyntaxNode): string | null {
    const n = unparen(node);
    if (n.type === 'identifier') return qualifiedOf(n.text, this.scopeOf(n));
    if (n.type === 'attribute') {
      const object = n.childForFieldName('object');
      const attr = n.childForFieldName('attribute');
      if (!object || !attr) return null;
      const base = this.qualifiedName(object);
      return base === null ? null : `${base}.${attr.text}`;
    }
    return null;
  }

  /** Qualified name of what a call calls (`subprocess.run(...)` → `subprocess.run`). */
  calleeName(call: SyntaxNode): string | null {
    const cached = this.file.callees.get(call.id);
    if (cached !== undefined) return cached;
    const name = this.qualifiedName(call.childForFieldName('function'));
    this.file.callees.set(call.id, name);
    return name;
  }

  /**
   * The value bound to a local name when it has exactly one plain assignment in its scope
   * (`TABLE = "users"`, `app = Flask(__name__)`), else null. This is deliberately
   * flow-insensitive and conservative: any second binding makes the value unknown.
   */
  valueOf(node: SyntaxNode | null): SyntaxNode | null {
    if (!node) return null;
    const n = unparen(node);
    if (n.type !== 'identifier') return n;
    const r = this.resolve(n);
    if (r.kind !== 'local') return null;
    const name = n.text;
    if (r.scope.otherBindings.has(name)) return null;
    const values = r.scope.assignments.get(name);
    if (!values || values.length !== 1 || !values[0]) return null;
    return this.nodeAt(values[0]);
  }

  /** The node recorded by the walk as a source range (see Scope.assignments). */
  private nodeAt(value: AssignedValue): SyntaxNode | null {
    const key = `${value.start}:${value.end}:${value.type}`;
    const cached = this.file.nodeCache.get(key);
    if (cached !== undefined) return cached;
    const n = nodeAtRange(this.file.root, value.start, value.end, value.type);
    this.file.nodeCache.set(key, n);
    return n;
  }

  /**
   * For a name bound once to a call (`app = Flask(__name__)`), the qualified name of the
   * callee (`flask.Flask`); for a call expression itself, its callee's name.
   */
  constructedBy(node: SyntaxNode | null): string | null {
    const value = this.valueOf(node);
    if (!value) return null;
    const v = unparen(value);
    return v.type === 'call' ? this.calleeName(v) : null;
  }

  /** A fix that replaces `node` with `text`. */
  replace(node: SyntaxNode, text: string, description: string): Fix {
    return {
      description,
      edits: [{ start: node.startIndex, end: node.endIndex, text, range: rangeOf(node) }],
    };
  }
}

/**
 * The node of `type` spanning exactly [start, end). The smallest node covering the range may
 * be a child with the same extent (or, for an empty range, a neighbour): climb to it.
 */
export function nodeAtRange(root: SyntaxNode, start: number, end: number, type: string): SyntaxNode | null {
  let n: SyntaxNode | null = root.descendantForIndex(start, end);
  while (n && !(n.type === type && n.startIndex === start && n.endIndex === end)) {
    if (n.startIndex < start || n.endIndex > end) return null;
    n = n.parent;
  }
  return n;
}

/**
 * What an object was built by, for method-call rules (`session.get(..., verify=False)`):
 * `ctx.constructedBy` plus the `with Factory() as name:` form that sessions and clients are
 * usually opened with. Conservative like the rest of the value helpers: a name with any
 * other binding is unknown.
 */
import type { RuleContext } from '../core/context.js';
import type { SyntaxNode } from './parser.js';
import { unparen } from './ast.js';

/**
 * Qualified name of the callable that produced `node`:
 * - a call expression → its callee (`requests.Session().get` → `requests.Session`);
 * - a name bound once by `name = Factory(...)` → `Factory`'s qualified name;
 * - a name bound only by an enclosing `with Factory(...) as name:` / `async with` → the same.
 * Null when unknown.
 */
export function producedBy(ctx: RuleContext, node: SyntaxNode | null): string | null {
  if (!node) return null;
  const n = unparen(node);
  if (n.type === 'call') return ctx.calleeName(n);
  if (n.type !== 'identifier') return null;
  const direct = ctx.constructedBy(n);
  if (direct) return direct;
  return withTarget(ctx, n);
}

function withTarget(ctx: RuleContext, id: SyntaxNode): string | null {
  const r = ctx.resolve(id);
  if (r.kind !== 'local') return null;
  // Any plain assignment to the name makes the `with` binding only one of several.
  if (r.scope.assignments.has(id.text)) return null;
  const scopeNode = r.scope.node;
  for (let p = id.parent; p && p.id !== scopeNode.id; p = p.parent) {
    if (p.type !== 'with_statement') continue;
    const body = p.childForFieldName('body');
    if (!body || id.startIndex < body.startIndex) continue;
    const clause = p.namedChildren.find((c) => c.type === 'with_clause');
    for (const item of clause?.namedChildren ?? []) {
      const value = item.type === 'with_item' ? item.childForFieldName('value') : null;
      if (value?.type !== 'as_pattern') continue;
      const alias = value.childForFieldName('alias');
      const target = alias?.namedChildren[0];
      if (target?.type !== 'identifier' || target.text !== id.text) continue;
      const made = value.namedChildren[0];
      if (!made) return null;
      const m = unparen(made);
      return m.type === 'call' ? ctx.calleeName(m) : null;
    }
  }
  return null;
}

/** For `recv.method(...)`, the receiver node and the method name; null for other callees. */
export function methodCall(call: SyntaxNode): { receiver: SyntaxNode; method: string } | null {
  const fn = call.childForFieldName('function');
  if (!fn || fn.type !== 'attribute') return null;
  const receiver = fn.childForFieldName('object');
  const method = fn.childForFieldName('attribute')?.text;
  return receiver && method ? { receiver, method } : null;
}

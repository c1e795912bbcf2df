/**
 * Taint rules: a sink matcher plus the taint engine (src/python/taint.ts). A rule names the
 * arguments of a call that must not carry attacker data for its sink kind; the engine answers
 * whether they can, and the finding carries the flow (source → assignments → sink) that SARIF
 * renders as a code flow.
 */
import type { RuleContext } from '../core/context.js';
import { rangeOf } from '../core/context.js';
import { createRule, type Rule, type RuleMeta, type Visitors } from '../core/types.js';
import type { SyntaxNode } from '../python/parser.js';
import { unparen } from '../python/ast.js';
import { describeSource, isLocalSource, mayHaveSources, taintAt, type SinkKind, type TaintResult } from '../python/taint.js';

export interface SinkArgument {
  /** The expression that must not be attacker-controlled. */
  node: SyntaxNode;
  /** How the sink is named in messages: `cursor.execute()`. */
  sink: string;
  /**
   * Only data from a remote peer counts here, not the program's own command line, terminal or
   * environment (`isLocalSource`): e.g. the program a CLI runs, which its user may choose.
   */
  remoteOnly?: boolean;
}

export interface TaintRuleSpec {
  /** `messages` must contain `tainted`, with `{{source}}` and `{{sink}}` placeholders. */
  meta: RuleMeta;
  kind: SinkKind;
  callFilter?: Rule['callFilter'];
  /** Pre-filters for the node types `visitors` handles (same contract as `Rule.textFilters`). */
  textFilters?: Rule['textFilters'];
  /** The sink arguments of a call (empty when the call is not a sink). */
  sinks?: (ctx: RuleContext, call: SyntaxNode) => SinkArgument[];
  /** Further visitors for sinks that are not calls (assignments, returns). */
  visitors?: (ctx: RuleContext, check: (arg: SinkArgument) => void) => Visitors;
}

/** Report `arg` when attacker data reaches it; returns the taint result for callers that grade. */
export function reportTainted(ctx: RuleContext, kind: SinkKind, arg: SinkArgument): TaintResult | null {
  if (!mayHaveSources(ctx)) return null;
  const r = taintAt(ctx, arg.node, kind);
  if (!r?.tainted || (arg.remoteOnly && isLocalSource(r))) return r;
  ctx.report({
    node: arg.node,
    messageId: 'tainted',
    data: { source: describeSource(r), sink: arg.sink },
    flow: [...r.flow, { range: rangeOf(arg.node), message: `reaches \`${arg.sink}\`` }],
  });
  return r;
}

export function createTaintRule(spec: TaintRuleSpec): Rule {
  if (!spec.meta.messages.tainted) throw new Error(`${spec.meta.id}: taint rules need a "tainted" message`);
  return createRule({
    meta: spec.meta,
    ...(spec.callFilter ? { callFilter: spec.callFilter } : {}),
    ...(spec.textFilters ? { textFilters: spec.textFilters } : {}),
    create(ctx) {
      const check = (arg: SinkArgument): void => {
        reportTainted(ctx, spec.kind, { ...arg, node: unparen(arg.node) });
      };
      const visitors: Visitors = spec.visitors ? spec.visitors(ctx, check) : {};
      if (spec.sinks) {
        const sinks = spec.sinks;
        const other = visitors.call as ((n: SyntaxNode) => void) | undefined;
        visitors.call = (node: SyntaxNode) => {
          other?.(node);
          for (const arg of sinks(ctx, node)) check(arg);
        };
      }
      return visitors;
    },
  });
}

/** Receiver-name heuristics shared by method sinks: `cur.execute`, `session.get`. */
export function receiverName(call: SyntaxNode): string | null {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute') return null;
  const obj = fn.childForFieldName('object');
  if (!obj) return null;
  const o = unparen(obj);
  if (o.type === 'identifier') return o.text;
  if (o.type === 'attribute') return o.childForFieldName('attribute')?.text ?? null;
  if (o.type === 'call') {
    const f = o.childForFieldName('function');
    return f?.type === 'attribute' ? (f.childForFieldName('attribute')?.text ?? null) : (f?.text ?? null);
  }
  return null;
}

export function methodName(call: SyntaxNode): string {
  const fn = call.childForFieldName('function');
  return fn?.type === 'attribute' ? (fn.childForFieldName('attribute')?.text ?? '') : '';
}

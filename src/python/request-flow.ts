/**
 * Request-data checks with rule-specific exceptions. `readsRequestData` (values.ts) knows the
 * generic sanitizers; sinks such as redirects and file paths have their own safe producers
 * (`url_for(...)`, `safe_join(...)`) and safe request attributes (`request.url`), which the
 * rule passes in as `isSafe`. A node for which `isSafe` returns true is not looked into.
 */
import type { RuleContext } from '../core/context.js';
import type { SyntaxNode } from './parser.js';
import { unparen } from './ast.js';
import { isSanitizingCall, readsRequestData } from './values.js';

const MAX_DEPTH = 4;

export function readsRequestDataExcept(
  ctx: RuleContext,
  node: SyntaxNode | null,
  isSafe: (n: SyntaxNode) => boolean,
  depth = 0,
): boolean {
  if (!node || depth > MAX_DEPTH) return false;
  const stack: SyntaxNode[] = [node];
  let budget = 300;
  while (stack.length > 0 && budget-- > 0) {
    const n = stack.pop() as SyntaxNode;
    if (isSafe(n)) continue;
    switch (n.type) {
      case 'identifier': {
        const v = ctx.valueOf(n);
        if (v && v.id !== n.id && readsRequestDataExcept(ctx, v, isSafe, depth + 1)) return true;
        continue;
      }
      case 'attribute': {
        const obj = n.childForFieldName('object');
        if (!obj) continue;
        // `request.args`, `req.GET`, `flask.request.form`: the object is a dotted name, the
        // generic check decides.
        if (isDottedName(unparen(obj))) {
          if (!chainIsSafe(n, isSafe) && readsRequestData(ctx, n)) return true;
          continue;
        }
        // `a.b.c`: only the object carries data; the attribute name is not a variable.
        stack.push(obj);
        continue;
      }
      case 'keyword_argument': {
        const value = n.childForFieldName('value');
        if (value) stack.push(value);
        continue;
      }
      case 'call':
        if (isSanitizingCall(ctx, n)) continue;
        break;
      case 'lambda':
      case 'function_definition':
        continue;
      default:
        break;
    }
    for (const c of n.namedChildren) stack.push(c);
  }
  return false;
}

function isDottedName(node: SyntaxNode): boolean {
  let n: SyntaxNode | null = node;
  while (n && n.type === 'attribute') n = n.childForFieldName('object');
  return n?.type === 'identifier';
}

/** True when some prefix of the dotted chain `a.b.c` is safe for the rule (`request.url`). */
function chainIsSafe(node: SyntaxNode, isSafe: (n: SyntaxNode) => boolean): boolean {
  for (let n: SyntaxNode | null = node; n && n.type === 'attribute'; n = n.childForFieldName('object')) {
    if (isSafe(n)) return true;
  }
  return false;
}

/** The literal text a built string starts with (`"/u/" + x` → `/u/`, `f"https://a/{x}"` → `https://a/`). */
export function leadingText(ctx: RuleContext, node: SyntaxNode | null, depth = 0): string {
  if (!node || depth > MAX_DEPTH) return '';
  const n = unparen(node);
  switch (n.type) {
    case 'identifier': {
      const v = ctx.valueOf(n);
      return v && v.id !== n.id ? leadingText(ctx, v, depth + 1) : '';
    }
    case 'string': {
      let out = '';
      for (const c of n.namedChildren) {
        if (c.type === 'interpolation') break;
        if (c.type === 'string_content' || c.type === 'escape_sequence') out += c.text;
      }
      return out;
    }
    case 'concatenated_string': {
      const first = n.namedChildren.find((c) => c.type !== 'comment');
      return first ? leadingText(ctx, first, depth + 1) : '';
    }
    case 'binary_operator': {
      const op = n.child(1)?.type;
      const left = n.childForFieldName('left');
      if (op === '+') return leadingText(ctx, left, depth + 1);
      if (op === '%') {
        const t = leadingText(ctx, left, depth + 1);
        const i = t.indexOf('%');
        return i < 0 ? t : t.slice(0, i);
      }
      return '';
    }
    case 'call': {
      const fn = n.childForFieldName('function');
      if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'format') {
        const t = leadingText(ctx, fn.childForFieldName('object'), depth + 1);
        const i = t.indexOf('{');
        return i < 0 ? t : t.slice(0, i);
      }
      return '';
    }
    default:
      return '';
  }
}

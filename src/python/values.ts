/**
 * What rules need to know about a value without full dataflow: is it a constant, is it a
 * string built at run time, does it come straight from an HTTP request? Each answer is
 * conservative in the direction of silence: "don't know" is never "dangerous".
 */
import type { RuleContext } from '../core/context.js';
import type { SyntaxNode } from './parser.js';
import { isFalse, isInterpolatedString, isLiteral, isStringLiteral, stringValue, unparen } from './ast.js';

const MAX_DEPTH = 4;

/**
 * A value fixed at write time: literals, names bound once to a constant, and operators or
 * f-strings over constants.
 */
export function isConstant(ctx: RuleContext, node: SyntaxNode | null, depth = 0): boolean {
  if (!node || depth > MAX_DEPTH) return false;
  const n = unparen(node);
  if (isLiteral(n)) return true;
  switch (n.type) {
    case 'identifier': {
      const v = ctx.valueOf(n);
      return v !== null && v.id !== n.id && isConstant(ctx, v, depth + 1);
    }
    case 'string':
      return n.namedChildren.every(
        (c) => c.type !== 'interpolation' || isConstant(ctx, c.childForFieldName('expression'), depth + 1),
      );
    case 'concatenated_string':
      return n.namedChildren.every((c) => c.type === 'comment' || isConstant(ctx, c, depth + 1));
    case 'binary_operator':
      return isConstant(ctx, n.childForFieldName('left'), depth + 1) && isConstant(ctx, n.childForFieldName('right'), depth + 1);
    case 'tuple':
    case 'list':
      return n.namedChildren.every((c) => c.type === 'comment' || isConstant(ctx, c, depth + 1));
    default:
      return false;
  }
}

/** The literal string a node evaluates to, following single-assignment names. */
export function constantString(ctx: RuleContext, node: SyntaxNode | null, depth = 0): string | null {
  if (!node || depth > MAX_DEPTH) return null;
  const n = unparen(node);
  const direct = stringValue(n);
  if (direct !== null) return direct;
  if (n.type === 'identifier') {
    const v = ctx.valueOf(n);
    return v && v.id !== n.id ? constantString(ctx, v, depth + 1) : null;
  }
  if (n.type === 'binary_operator' && n.child(1)?.type === '+') {
    const l = constantString(ctx, n.childForFieldName('left'), depth + 1);
    const r = l === null ? null : constantString(ctx, n.childForFieldName('right'), depth + 1);
    return l !== null && r !== null ? l + r : null;
  }
  return null;
}

export type BuiltStringKind = 'f-string' | 'format' | 'percent' | 'concatenation';

export interface BuiltString {
  kind: BuiltStringKind;
  /** The node that builds the string. */
  node: SyntaxNode;
  /** The static text of the template (literal parts), for keyword checks such as SQL verbs. */
  template: string;
}

/**
 * A string assembled at run time from a template and at least one non-constant value:
 * f"...{x}", "...".format(x), "..." % x, "..." + x. Follows a name bound once to such an
 * expression (`q = f"..."; cur.execute(q)`). Null when the string is constant or unknown.
 */
export function builtString(ctx: RuleContext, node: SyntaxNode | null, depth = 0): BuiltString | null {
  if (!node || depth > MAX_DEPTH) return null;
  const n = unparen(node);
  switch (n.type) {
    case 'identifier': {
      const v = ctx.valueOf(n);
      return v && v.id !== n.id ? builtString(ctx, v, depth + 1) : null;
    }
    case 'string':
    case 'concatenated_string':
      if (isInterpolatedString(n) && !isConstant(ctx, n)) return { kind: 'f-string', node: n, template: templateText(n) };
      return null;
    case 'call': {
      const fn = n.childForFieldName('function');
      if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'format') {
        const obj = fn.childForFieldName('object');
        const template = obj ? constantString(ctx, obj) : null;
        const args = n.childForFieldName('arguments');
        if (template !== null && args && !isConstantArgs(ctx, args)) return { kind: 'format', node: n, template };
      }
      return null;
    }
    case 'binary_operator': {
      const op = n.child(1)?.type;
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (op === '%') {
        const template = left ? constantString(ctx, left) : null;
        if (template !== null && !isConstant(ctx, right)) return { kind: 'percent', node: n, template };
        return null;
      }
      if (op === '+') {
        if (isConstant(ctx, n)) return null;
        const parts = flattenConcat(n);
        const literalParts = parts.map((p) => constantString(ctx, p) ?? templateOf(ctx, p, depth));
        const hasLiteral = parts.some((p) => isStringLiteral(unparen(p)) || constantString(ctx, p) !== null);
        if (!hasLiteral) return null;
        return { kind: 'concatenation', node: n, template: literalParts.join('{}') };
      }
      return null;
    }
    default:
      return null;
  }
}

function templateOf(ctx: RuleContext, p: SyntaxNode, depth: number): string {
  const inner = builtString(ctx, p, depth + 1);
  return inner ? inner.template : '';
}

function flattenConcat(n: SyntaxNode): SyntaxNode[] {
  const u = unparen(n);
  if (u.type === 'binary_operator' && u.child(1)?.type === '+') {
    const l = u.childForFieldName('left');
    const r = u.childForFieldName('right');
    return [...(l ? flattenConcat(l) : []), ...(r ? flattenConcat(r) : [])];
  }
  return [u];
}

function isConstantArgs(ctx: RuleContext, args: SyntaxNode): boolean {
  return args.namedChildren.every((a) => {
    if (a.type === 'comment') return true;
    if (a.type === 'keyword_argument') return isConstant(ctx, a.childForFieldName('value'));
    return isConstant(ctx, a);
  });
}

function templateText(n: SyntaxNode): string {
  if (n.type === 'concatenated_string') return n.namedChildren.map(templateText).join('');
  let out = '';
  for (const c of n.namedChildren) {
    if (c.type === 'interpolation') out += '{}';
    else if (c.type === 'string_content' || c.type === 'escape_sequence') out += c.text;
  }
  return out;
}

/** Attributes of a web framework request object that carry client-controlled data. */
const REQUEST_DATA_ATTRS = new Set([
  // Flask / Werkzeug / Quart
  'args', 'form', 'values', 'json', 'data', 'cookies', 'headers', 'files', 'view_args', 'get_json', 'get_data',
  'stream', 'full_path', 'url', 'query_string',
  // Django
  'GET', 'POST', 'COOKIES', 'META', 'body', 'FILES', 'get_full_path',
  // Django REST framework / Starlette
  'query_params', 'path_params',
]);

/** Modules whose `request` global is the current HTTP request. */
const REQUEST_GLOBALS = new Set(['flask.request', 'quart.request', 'bottle.request', 'sanic.request']);

/** Names conventionally used for the request parameter of a view. */
const REQUEST_PARAM_NAMES = new Set(['request', 'req']);

export function isRequestObject(ctx: RuleContext, node: SyntaxNode): boolean {
  if (node.type !== 'identifier' && node.type !== 'attribute') return false;
  const q = ctx.qualifiedName(node);
  if (q && REQUEST_GLOBALS.has(q)) return true;
  // `flask.request.args`: the module-qualified global; other attributes are not requests.
  if (node.type !== 'identifier' || !REQUEST_PARAM_NAMES.has(node.text)) return false;
  // A view's `request` parameter (Django, DRF, Starlette): local and not reassigned, in a
  // module that uses a web framework. HTTP *clients* also name things `request` (a requests
  // transport adapter's `send(self, request)`): there the value is outgoing, not attacker data.
  const r = ctx.resolve(node);
  return (
    r.kind === 'local' && r.scope.kind === 'function' && !r.scope.assignments.has(node.text) && importsWebFramework(ctx)
  );
}

/** Server-side web frameworks whose views receive a `request` parameter. */
const WEB_FRAMEWORKS = [
  'django', 'rest_framework', 'flask', 'werkzeug', 'starlette', 'fastapi', 'quart', 'sanic', 'bottle',
  'pyramid', 'tornado', 'falcon', 'litestar', 'aiohttp.web', 'ninja', 'channels',
];

const frameworkCache = new WeakMap<object, boolean>();

/** Does the module import a web framework anywhere (module level or inside functions)? */
export function importsWebFramework(ctx: RuleContext): boolean {
  const module = ctx.scopeOf(ctx.root);
  const cached = frameworkCache.get(module);
  if (cached !== undefined) return cached;
  const isFramework = (q: string): boolean => WEB_FRAMEWORKS.some((f) => q === f || q.startsWith(`${f}.`));
  let found = false;
  for (const scope of ctx.allScopes()) {
    if ([...scope.imports.values()].some(isFramework) || scope.wildcardImports.some(isFramework)) {
      found = true;
      break;
    }
  }
  frameworkCache.set(module, found);
  return found;
}

/**
 * True when the expression reads client-controlled request data directly (`request.args["u"]`,
 * `request.GET.get("next")`, `request.form.get(...) + "/x"`), or through a name bound once to
 * such an expression. A first-order approximation of taint tracking: no calls into other
 * functions, no sanitizers beyond the obvious conversions.
 */
export function readsRequestData(ctx: RuleContext, node: SyntaxNode | null, depth = 0): boolean {
  if (!node || depth > MAX_DEPTH) return false;
  const stack: SyntaxNode[] = [node];
  let budget = 300;
  while (stack.length > 0 && budget-- > 0) {
    const n = stack.pop() as SyntaxNode;
    if (n.type === 'attribute') {
      const obj = n.childForFieldName('object');
      const attr = n.childForFieldName('attribute')?.text;
      if (obj && attr && REQUEST_DATA_ATTRS.has(attr) && isRequestObject(ctx, unparen(obj))) return true;
    } else if (n.type === 'identifier') {
      const v = ctx.valueOf(n);
      if (v && v.id !== n.id && readsRequestData(ctx, v, depth + 1)) return true;
      continue;
    } else if (n.type === 'call' && isSanitizingCall(ctx, n)) {
      continue;
    } else if (n.type === 'lambda' || n.type === 'function_definition') {
      continue;
    }
    // Only the object of `a.b` and the value of `k=v` carry data; `b` and `k` are not variables.
    if (n.type === 'attribute' || n.type === 'keyword_argument') {
      const inner = n.childForFieldName(n.type === 'attribute' ? 'object' : 'value');
      if (inner) stack.push(inner);
      continue;
    }
    for (const c of n.namedChildren) stack.push(c);
  }
  return false;
}

/** Conversions that leave nothing an attacker can steer into a path, URL or command. */
const SANITIZERS = new Set([
  'int', 'float', 'bool', 'len', 'uuid.UUID', 'shlex.quote', 'pipes.quote', 'html.escape',
  'markupsafe.escape', 'flask.escape', 'werkzeug.utils.secure_filename', 'os.path.basename',
  'django.utils.html.escape', 'django.utils.http.url_has_allowed_host_and_scheme',
]);

export function isSanitizingCall(ctx: RuleContext, call: SyntaxNode): boolean {
  const name = ctx.calleeName(call);
  return name !== null && SANITIZERS.has(name);
}

/**
 * A constant, or a string/sequence assembled only from constants and values a sink-specific
 * predicate accepts (`"ls " + shlex.quote(d)`, `f"<b>{escape(x)}</b>"`): literals, names
 * bound once, f-strings, `+`, containers and `"...".format(...)` over such parts.
 */
export function isBuiltFromSafeParts(
  ctx: RuleContext,
  node: SyntaxNode | null,
  isSafeCall: (call: SyntaxNode) => boolean,
  depth = 0,
): boolean {
  if (!node || depth > MAX_DEPTH) return false;
  if (isConstant(ctx, node)) return true;
  const n = unparen(node);
  const safe = (c: SyntaxNode | null): boolean => isBuiltFromSafeParts(ctx, c, isSafeCall, depth + 1);
  switch (n.type) {
    case 'identifier': {
      const v = ctx.valueOf(n);
      return v !== null && v.id !== n.id && safe(v);
    }
    case 'string':
      return n.namedChildren.every((c) => c.type !== 'interpolation' || safe(c.childForFieldName('expression')));
    case 'concatenated_string':
    case 'tuple':
    case 'list':
      return n.namedChildren.every((c) => c.type === 'comment' || safe(c));
    case 'binary_operator':
      return safe(n.childForFieldName('left')) && safe(n.childForFieldName('right'));
    case 'call': {
      if (isSafeCall(n)) return true;
      const fn = n.childForFieldName('function');
      const args = n.childForFieldName('arguments');
      if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'format' || !args) return false;
      return (
        isConstant(ctx, fn.childForFieldName('object')) &&
        args.namedChildren.every(
          (a) => a.type === 'comment' || safe(a.type === 'keyword_argument' ? a.childForFieldName('value') : a),
        )
      );
    }
    default:
      return false;
  }
}

/** How a value that is not constant came to be, for rules that grade findings by it. */
export type ValueOrigin =
  | { kind: 'request' }
  | { kind: 'built'; how: string }
  | { kind: 'dynamic' };

const BUILT_HOW: Record<BuiltStringKind, string> = {
  'f-string': 'an f-string',
  format: '`str.format()`',
  percent: '`%` formatting',
  concatenation: 'string concatenation',
};

/**
 * Grade a non-constant value: read from the HTTP request (the worst), assembled from a
 * template at run time (`how` names the construct), or merely not known.
 */
export function valueOrigin(ctx: RuleContext, node: SyntaxNode): ValueOrigin {
  if (readsRequestData(ctx, node)) return { kind: 'request' };
  const built = builtString(ctx, node);
  if (built) return { kind: 'built', how: BUILT_HOW[built.kind] };
  return { kind: 'dynamic' };
}

/**
 * `False` written in place ('literal', which a fix may rewrite) or reached through a name bound
 * once to it ('constant'); null for anything else, including values known only at run time.
 */
export function falseValue(ctx: RuleContext, node: SyntaxNode | null): 'literal' | 'constant' | null {
  if (!node) return null;
  const n = unparen(node);
  if (isFalse(n)) return 'literal';
  if (n.type === 'identifier') {
    const v = ctx.valueOf(n);
    if (v && v.id !== n.id && isFalse(unparen(v))) return 'constant';
  }
  return null;
}

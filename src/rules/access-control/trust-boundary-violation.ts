import { createTaintRule, methodName, type SinkArgument } from '../taint-rule.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, unparen } from '../../python/ast.js';
import { importsWebFramework, isRequestObject } from '../../python/values.js';

/** The session objects of Flask and Quart (a proxy to the current request's session). */
const SESSION_GLOBALS = new Set(['flask.session', 'flask.globals.session', 'quart.session', 'quart.globals.session']);

/** Methods that keep (part of) their receiver's data: `request.form.get("x").strip()`. */
const RESHAPING_METHODS = new Set([
  'get', 'getlist', 'pop', 'copy', 'to_dict', 'dict', 'items', 'values', 'keys', 'strip', 'lstrip', 'rstrip', 'lower',
  'upper', 'title', 'casefold', 'capitalize', 'split', 'rsplit', 'splitlines', 'partition', 'rpartition', 'join',
  'format', 'replace', 'decode', 'encode', 'removeprefix', 'removesuffix', 'get_json', 'json', 'getone', 'getall',
  'read', 'readline', 'readlines', 'getvalue', 'recv', 'recvfrom', 'recvmsg',
]);

/** Calls whose result is input (the taint engine's sources). */
const INPUT_FUNCTIONS = new Set(['input', 'raw_input', 'sys.stdin.read', 'sys.stdin.readline', 'fileinput.input']);

/** Functions whose result is their argument, reshaped: the raw input is stored. */
const RESHAPING_FUNCTIONS = new Set([
  'str', 'repr', 'bytes', 'dict', 'list', 'tuple', 'set', 'sorted', 'format', 'json.loads', 'base64.b64decode',
  'base64.urlsafe_b64decode', 'urllib.parse.unquote', 'urllib.parse.unquote_plus', 'urllib.parse.parse_qs',
  'urllib.parse.parse_qsl',
]);

const MAX_DEPTH = 8;

/**
 * Can the value be the attacker's input itself (possibly reshaped), rather than the result of
 * a lookup made with it? `session["uid"] = user.id` after `user = User.query.filter_by(name=
 * request.form["name"]).first()` stores what the database returned, not what the client
 * sent: the taint engine follows data into every call, this decides whether the client's
 * bytes come out the other end. Unknown shapes answer true (the taint engine decides).
 */
export function mayBeRawInput(ctx: RuleContext, node: SyntaxNode, depth = 0): boolean {
  if (depth > MAX_DEPTH) return true;
  const n = unparen(node);
  const any = (nodes: readonly SyntaxNode[]): boolean => nodes.some((c) => c.type !== 'comment' && mayBeRawInput(ctx, c, depth + 1));
  switch (n.type) {
    case 'string':
      return any(n.namedChildren.filter((c) => c.type === 'interpolation'));
    case 'interpolation': {
      const e = n.childForFieldName('expression');
      return e ? mayBeRawInput(ctx, e, depth + 1) : false;
    }
    case 'identifier': {
      const v = ctx.valueOf(n);
      // A parameter, a name bound several times, a loop variable: let the taint engine decide.
      if (!v || v.id === n.id) return true;
      return mayBeRawInput(ctx, v, depth + 1);
    }
    case 'attribute': {
      const obj = n.childForFieldName('object');
      return obj ? mayBeRawInput(ctx, obj, depth + 1) : true;
    }
    case 'subscript': {
      const value = n.childForFieldName('value');
      return value ? mayBeRawInput(ctx, value, depth + 1) : true;
    }
    case 'call': {
      const fn = n.childForFieldName('function');
      const args = n.childForFieldName('arguments')?.namedChildren ?? [];
      if (fn?.type === 'attribute') {
        const recv = fn.childForFieldName('object');
        const method = methodName(n);
        if (recv && isRequestObject(ctx, unparen(recv))) return true; // request.get_json()
        if (RESHAPING_METHODS.has(method)) return (recv ? mayBeRawInput(ctx, recv, depth + 1) : false) || any(args);
        const q = ctx.calleeName(n);
        if (q !== null && (INPUT_FUNCTIONS.has(q) || ctx.taintSettings.sources.includes(q))) return true;
        if (q !== null && RESHAPING_FUNCTIONS.has(q)) return any(args);
        // `db.execute(...).fetchone()`, `User.objects.get(pk=x)`, `authenticate(...)`: a lookup.
        return false;
      }
      if (fn?.type === 'identifier') {
        const q = ctx.calleeName(n);
        if (q !== null && (INPUT_FUNCTIONS.has(q) || ctx.taintSettings.sources.includes(q))) return true;
        if (q !== null) return RESHAPING_FUNCTIONS.has(q) && any(args);
        // A function of this module: the engine's summary knows whether it returns its input.
        return ctx.resolve(fn).kind === 'local' ? any(args) : false;
      }
      return true;
    }
    case 'keyword_argument': {
      const v = n.childForFieldName('value');
      return v ? mayBeRawInput(ctx, v, depth + 1) : false;
    }
    case 'pair': {
      const v = n.childForFieldName('value');
      return v ? mayBeRawInput(ctx, v, depth + 1) : false;
    }
    case 'integer':
    case 'float':
    case 'true':
    case 'false':
    case 'none':
    case 'comparison_operator':
    case 'not_operator':
      return false;
    case 'await':
    case 'binary_operator':
    case 'boolean_operator':
    case 'conditional_expression':
    case 'concatenated_string':
    case 'tuple':
    case 'list':
    case 'set':
    case 'dictionary':
    case 'expression_list':
    case 'parenthesized_expression':
      return any(n.namedChildren);
    default:
      return true;
  }
}

/** `session` (Flask/Quart), `request.session` / `self.request.session` (Django, Starlette). */
function isSession(ctx: RuleContext, node: SyntaxNode): boolean {
  const n = unparen(node);
  const q = ctx.qualifiedName(n);
  if (q !== null) return SESSION_GLOBALS.has(q);
  if (n.type !== 'attribute' || n.childForFieldName('attribute')?.text !== 'session') return false;
  const obj = n.childForFieldName('object');
  if (!obj) return false;
  const o = unparen(obj);
  if (isRequestObject(ctx, o)) return true;
  return (
    o.type === 'attribute' &&
    o.childForFieldName('attribute')?.text === 'request' &&
    o.childForFieldName('object')?.text === 'self' &&
    importsWebFramework(ctx)
  );
}

function sessionName(node: SyntaxNode): string {
  const t = unparen(node).text.replace(/\s+/g, '');
  return t.length <= 30 ? t : 'session';
}

/** Values stored by `session.update(...)` / `session.setdefault(k, v)`. */
function storedByCall(ctx: RuleContext, call: SyntaxNode): SinkArgument[] {
  const method = methodName(call);
  if (method !== 'update' && method !== 'setdefault') return [];
  const fn = call.childForFieldName('function');
  const recv = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
  if (!recv || !isSession(ctx, recv)) return [];
  const sink = `${sessionName(recv)}.${method}()`;
  if (method === 'setdefault') {
    const v = argument(call, 1, 'default');
    return v ? [{ node: v, sink }] : [];
  }
  const out: SinkArgument[] = [];
  for (const a of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (a.type === 'comment') continue;
    if (a.type === 'keyword_argument') {
      const v = a.childForFieldName('value');
      if (v) out.push({ node: v, sink });
      continue;
    }
    const u = unparen(a.type === 'dictionary_splat' || a.type === 'list_splat' ? (a.namedChildren[0] ?? a) : a);
    if (u.type === 'dictionary') {
      // Keys name the entries; only the stored values matter.
      for (const p of u.namedChildren) {
        const v = p.type === 'pair' ? p.childForFieldName('value') : null;
        if (v) out.push({ node: v, sink });
      }
      continue;
    }
    out.push({ node: u, sink });
  }
  return out;
}

const storesInto = (text: string): boolean => text.includes('session') || BARE_NAME_SUBSCRIPT.test(text);

export default createTaintRule({
  kind: 'session',
  meta: {
    id: 'trust-boundary-violation',
    area: 'access-control',
    summary: 'Attacker-controlled input is stored in the server-side session as if it were trusted.',
    severity: 'medium',
    confidence: 'medium',
    cwe: ['CWE-501'],
    owasp: ['A04:2021'],
    messages: {
      tainted:
        'Trust boundary violation: {{source}} is stored unvalidated in `{{sink}}`; code that later reads the session treats the value as trusted server state. Validate it (allow-list, type conversion, lookup) before storing it.',
    },
    docs: {
      whatItDoes:
        'Follows attacker-controlled data (request parameters, bodies, headers, cookies, route parameters, and sources you declare) through assignments, string building and functions of the same module to values stored in the session: `session[key] = value`, `session.update(...)` and `session.setdefault(key, value)` on Flask\'s or Quart\'s `session`, and `request.session[...]` in Django (or Starlette) views. Only the stored value matters, not the key. Not flagged: constants, values converted with `int()`/`uuid.UUID()`, checked against an allow-list or with `isdigit()`/an anchored `re.fullmatch()`, and values that are the result of a lookup made with the input (`user.id` after `User.query.filter_by(name=...).first()`), which is what the server found rather than what the client sent.',
      whyBad:
        'Session data lives on the server side of the trust boundary: code reads `session["role"]` or `session["user_id"]` without re-checking it, because it was put there by the application. Storing request data there unvalidated mixes untrusted and trusted data in one place, so a later check (an authorization decision, a redirect, a query) trusts a value the client chose (CWE-501).',
      example:
        'from flask import Flask, request, session\n\napp = Flask(__name__)\n\n@app.route("/preferences", methods=["POST"])\ndef preferences():\n    session["role"] = request.form["role"]\n    return "saved"',
      useInstead:
        'from flask import Flask, request, session\n\napp = Flask(__name__)\nTHEMES = {"light", "dark"}\n\n@app.route("/preferences", methods=["POST"])\ndef preferences():\n    theme = request.form.get("theme", "light")\n    if theme not in THEMES:\n        theme = "light"\n    session["theme"] = theme\n    return "saved"',
      fixSafety:
        'No automatic fix: what a valid value is (an allow-list, a number, an identifier checked against the database) depends on the application. If you have a validation function pysec does not know, declare it under `taint.sanitizers` in `.github/pysec.yml`.',
      references: [
        'https://cwe.mitre.org/data/definitions/501.html',
        'https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html',
        'https://flask.palletsprojects.com/en/stable/api/#sessions',
        'https://docs.djangoproject.com/en/stable/topics/http/sessions/',
      ],
    },
    fixable: false,
  },
  // `session.update(...)`: when the callee resolves, its receiver must be one of SESSION_GLOBALS (isSession).
  textFilters: { assignment: storesInto, augmented_assignment: storesInto },
  callFilter: (name, method) =>
    (method === 'update' || method === 'setdefault') && (name === null || SESSION_GLOBALS.has(name.slice(0, name.lastIndexOf('.')))),
  sinks(ctx, call) {
    return storedByCall(ctx, call).filter((a) => mayBeRawInput(ctx, a.node));
  },
  visitors(ctx, check) {
    const stored = (node: SyntaxNode): void => {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!left || !right || right.type === 'assignment') return;
      const l = unparen(left);
      if (l.type !== 'subscript') return;
      const obj = l.childForFieldName('value');
      if (!obj || !isSession(ctx, obj)) return;
      if (!mayBeRawInput(ctx, right)) return;
      check({ node: right, sink: `${sessionName(obj)}[...]` });
    };
    return { assignment: stored, augmented_assignment: stored };
  },
});

/**
 * Text pre-filter for assignments: the target is `<...>.session[...]` (the text names `session`)
 * or `name[...]` (Flask's `session`, possibly imported under another name).
 */
const BARE_NAME_SUBSCRIPT = /^[\s(\\]*[^\s()[\].=+\-*/%&|^~<>,;:'"@!{}#\\]+[\s)\\]*\[/;

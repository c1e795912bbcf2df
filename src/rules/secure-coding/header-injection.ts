import { createTaintRule, methodName, type SinkArgument } from '../taint-rule.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, keywordArg, positionalArgs, unparen } from '../../python/ast.js';
import { constantString, isRequestObject } from '../../python/values.js';
import { producedBy } from '../../python/receivers.js';
import { mayBeRawInput } from '../access-control/trust-boundary-violation.js';

/** Server frameworks whose responses carry `.headers`. */
const FRAMEWORKS = ['flask', 'werkzeug', 'django', 'starlette', 'fastapi', 'quart'];

/** Methods of header collections that add a header: `(name, value, **params)`. */
const HEADER_METHODS: Record<string, [string, string]> = {
  add: ['_key', '_value'],
  set: ['_key', '_value'],
  setdefault: ['key', 'default'],
  add_header: ['_key', '_value'],
};

/** Response classes taking `headers` (keyword, or positional index 2). */
const RESPONSE_CLASSES = new Set([
  'flask.Response',
  'flask.wrappers.Response',
  'werkzeug.Response',
  'werkzeug.wrappers.Response',
  'werkzeug.wrappers.response.Response',
  'quart.Response',
  'starlette.responses.Response',
  'starlette.responses.JSONResponse',
  'starlette.responses.HTMLResponse',
  'starlette.responses.PlainTextResponse',
  'starlette.responses.StreamingResponse',
  'starlette.responses.FileResponse',
  'fastapi.Response',
  'fastapi.responses.Response',
  'fastapi.responses.JSONResponse',
  'fastapi.responses.HTMLResponse',
  'fastapi.responses.PlainTextResponse',
  'fastapi.responses.StreamingResponse',
  'fastapi.responses.FileResponse',
  'fastapi.responses.ORJSONResponse',
  'fastapi.responses.UJSONResponse',
]);

/** Django responses: `headers=` keyword (Django 3.2+), and `response[name] = value`. */
const DJANGO_RESPONSE = /^django\.http(?:\.response)?\.(?:HttpResponse\w*|JsonResponse|StreamingHttpResponse|FileResponse)$/;

const MAKE_RESPONSE = new Set(['flask.make_response', 'flask.helpers.make_response', 'quart.make_response']);

/** Header objects of HTTP clients: outgoing requests, not responses. */
const CLIENT_FACTORIES = /^(?:requests|httpx|urllib3|aiohttp|urllib\.request|http\.client)\./;

function importsAny(ctx: RuleContext, pkgs: readonly string[]): boolean {
  return ctx.allScopes().some((sc) =>
    [...sc.imports.values()].some((m) => pkgs.some((p) => m === p || m.startsWith(`${p}.`))),
  );
}

function isLocationKey(ctx: RuleContext, key: SyntaxNode | null): boolean {
  if (!key) return false;
  return constantString(ctx, key)?.toLowerCase() === 'location';
}

function short(node: SyntaxNode, fallback: string): string {
  const t = unparen(node).text.replace(/\s+/g, '');
  return t.length <= 30 ? t : fallback;
}

/**
 * `resp.headers` of a server response: the owner is not the incoming request, not an HTTP
 * client or its session, and the module uses a server framework.
 */
function isResponseHeaders(ctx: RuleContext, node: SyntaxNode): boolean {
  const n = unparen(node);
  if (n.type !== 'attribute' || n.childForFieldName('attribute')?.text !== 'headers') return false;
  const owner = n.childForFieldName('object');
  if (!owner) return false;
  const o = unparen(owner);
  if (isRequestObject(ctx, o)) return false;
  if (o.type === 'attribute' && o.childForFieldName('attribute')?.text === 'request') return false;
  const made = producedBy(ctx, o);
  if (made !== null && CLIENT_FACTORIES.test(made)) return false;
  if (o.type === 'identifier' && /^(?:session|client|http|s|sess|http_client|api)$/.test(o.text) && made === null) return false;
  return importsAny(ctx, FRAMEWORKS);
}

/** Sink arguments of a `headers` value: dict and list-of-pairs literals item by item. */
function headerItems(ctx: RuleContext, node: SyntaxNode, sink: string, depth = 0): SinkArgument[] {
  const n = unparen(node);
  if (n.type === 'dictionary') {
    const out: SinkArgument[] = [];
    for (const p of n.namedChildren) {
      if (p.type !== 'pair') {
        if (p.type === 'dictionary_splat' && p.namedChildren[0]) out.push({ node: p.namedChildren[0], sink });
        continue;
      }
      const k = p.childForFieldName('key');
      const v = p.childForFieldName('value');
      if (isLocationKey(ctx, k)) continue;
      if (k) out.push({ node: k, sink });
      if (v) out.push({ node: v, sink });
    }
    return out;
  }
  if (n.type === 'list' || n.type === 'tuple') {
    const out: SinkArgument[] = [];
    for (const item of n.namedChildren) {
      const it = unparen(item);
      if (it.type === 'tuple' || it.type === 'list') {
        const [k, v] = it.namedChildren.filter((c) => c.type !== 'comment');
        if (isLocationKey(ctx, k ?? null)) continue;
        if (k) out.push({ node: k, sink });
        if (v) out.push({ node: v, sink });
      } else if (it.type !== 'comment') {
        out.push({ node: it, sink });
      }
    }
    return out;
  }
  if (n.type === 'identifier' && depth === 0) {
    const v = ctx.valueOf(n);
    if (v && v.id !== n.id && ['dictionary', 'list', 'tuple'].includes(unparen(v).type)) {
      return headerItems(ctx, v, sink, depth + 1);
    }
  }
  return [{ node: n, sink }];
}

export function headerSinks(ctx: RuleContext, call: SyntaxNode): SinkArgument[] {
  const q = ctx.calleeName(call);
  if (q !== null && (RESPONSE_CLASSES.has(q) || DJANGO_RESPONSE.test(q))) {
    const headers = DJANGO_RESPONSE.test(q) ? keywordArg(call, 'headers') : argument(call, 2, 'headers');
    const name = q.split('.').pop() ?? q;
    return headers ? headerItems(ctx, headers, `${name}(headers=...)`) : [];
  }
  if (q !== null && MAKE_RESPONSE.has(q)) {
    // make_response(body, status, headers) / make_response(body, headers): literal header sets.
    const out: SinkArgument[] = [];
    for (const a of positionalArgs(call).slice(1)) {
      const u = unparen(a);
      const v = u.type === 'identifier' ? ctx.valueOf(u) : u;
      if (v && ['dictionary', 'list'].includes(unparen(v).type)) out.push(...headerItems(ctx, u, 'make_response()'));
    }
    return out;
  }
  const method = methodName(call);
  const names = Object.hasOwn(HEADER_METHODS, method) ? HEADER_METHODS[method] : undefined;
  if (!names) return [];
  const fn = call.childForFieldName('function');
  const recv = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
  if (!recv || !isResponseHeaders(ctx, recv)) return [];
  const key = argument(call, 0, names[0]);
  if (isLocationKey(ctx, key)) return [];
  const sink = `${short(recv, '.headers')}.${method}()`;
  const out: SinkArgument[] = [];
  if (key) out.push({ node: key, sink });
  const value = argument(call, 1, names[1]);
  if (value) out.push({ node: value, sink });
  // `headers.add("Content-Disposition", "attachment", filename=name)`: parameters are header text.
  for (const a of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (a.type !== 'keyword_argument') continue;
    const k = a.childForFieldName('name')?.text;
    const v = a.childForFieldName('value');
    if (k && v && k !== names[0] && k !== names[1]) out.push({ node: v, sink });
  }
  return out;
}

const storesInto = (text: string): boolean => text.includes('headers') || BARE_NAME_SUBSCRIPT.test(text);

export default createTaintRule({
  kind: 'header',
  meta: {
    id: 'header-injection',
    area: 'secure-coding',
    summary: 'Attacker-controlled input is written into an HTTP response header.',
    severity: 'medium',
    confidence: 'high',
    cwe: ['CWE-113'],
    owasp: ['A03:2021'],
    messages: {
      tainted:
        'HTTP header injection: {{source}} is written into a response header by `{{sink}}`; the client chooses the header\'s content (and, where CR/LF are not rejected, can add headers or split the response). Validate it or encode it before use.',
    },
    docs: {
      whatItDoes:
        'Follows attacker-controlled data (request parameters, bodies, headers, cookies, route parameters, and sources you declare) through assignments, string building and functions of the same module to response headers: `resp.headers[name] = value` and `resp.headers.add/set/setdefault/add_header(name, value, **params)` in modules using Flask, Werkzeug, Quart, Django, Starlette or FastAPI; Django\'s `response[name] = value` on an `HttpResponse`/`JsonResponse`/`FileResponse`; the `headers` of Flask/Werkzeug/Starlette/FastAPI/Django response constructors; and header dictionaries passed to `make_response()`. A tainted header name is reported as well as a tainted value. Not flagged: `Location` headers (the `open-redirect` rule covers redirects), headers of HTTP client requests and sessions, values with CR/LF removed (`.replace("\\n", "")`), URL-quoted, JSON-encoded, `secure_filename()`d, converted with `int()`, or allow-listed, and values that are the result of a lookup made with the input.',
      whyBad:
        'A header value that carries a carriage return and line feed ends the header and starts another: the attacker adds `Set-Cookie` headers, forges a second response (HTTP response splitting) or poisons caches (CWE-113). Current Werkzeug and Django reject CR/LF in header values, but other servers and frameworks do not, and even without line breaks the client decides the header\'s content: a `Content-Disposition` file name, a `Content-Type` that turns a download into a page, a `Link` or `Refresh` header pointing elsewhere.',
      example:
        'from flask import Flask, request, send_file\n\napp = Flask(__name__)\n\n@app.route("/export")\ndef export():\n    name = request.args.get("name", "export.csv")\n    resp = send_file("/srv/exports/latest.csv")\n    resp.headers["Content-Disposition"] = f"attachment; filename={name}"\n    return resp',
      useInstead:
        'from flask import Flask, request, send_file\nfrom werkzeug.utils import secure_filename\n\napp = Flask(__name__)\n\n@app.route("/export")\ndef export():\n    name = secure_filename(request.args.get("name", "export.csv"))\n    resp = send_file("/srv/exports/latest.csv")\n    resp.headers["Content-Disposition"] = f"attachment; filename={name}"\n    return resp',
      fixSafety:
        'No automatic fix: the right encoding depends on the header (RFC 6266 `filename*=` for file names, URL quoting, an allow-list of content types). If you have a validation function pysec does not know, declare it under `taint.sanitizers` in `.github/pysec.yml`.',
      references: [
        'https://owasp.org/www-community/attacks/HTTP_Response_Splitting',
        'https://cheatsheetseries.owasp.org/cheatsheets/HTTP_Headers_Cheat_Sheet.html',
        'https://werkzeug.palletsprojects.com/en/stable/datastructures/#werkzeug.datastructures.Headers',
        'https://docs.djangoproject.com/en/stable/ref/request-response/#setting-header-fields',
      ],
    },
    fixable: false,
  },
  textFilters: { assignment: storesInto, augmented_assignment: storesInto },
  callFilter: (name, method) =>
    // `<...>.headers.add(...)`: when the callee resolves (an imported head), its name ends the same way.
    (Object.hasOwn(HEADER_METHODS, method) && (name === null || name.endsWith(`.headers.${method}`))) ||
    (name !== null && (RESPONSE_CLASSES.has(name) || DJANGO_RESPONSE.test(name) || MAKE_RESPONSE.has(name))),
  sinks(ctx, call) {
    return headerSinks(ctx, call).filter((a) => mayBeRawInput(ctx, a.node));
  },
  visitors(ctx, check) {
    const assigned = (node: SyntaxNode): void => {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!left || !right || right.type === 'assignment') return;
      const l = unparen(left);
      if (l.type !== 'subscript') return;
      const obj = l.childForFieldName('value');
      if (!obj) return;
      const key = l.childForFieldName('subscript');
      if (isLocationKey(ctx, key)) return;
      let sink: string | null = null;
      if (isResponseHeaders(ctx, obj)) {
        sink = `${short(obj, '.headers')}[...]`;
      } else {
        const o = unparen(obj);
        const made = o.type === 'identifier' ? producedBy(ctx, o) : null;
        if (made !== null && DJANGO_RESPONSE.test(made)) sink = `${o.text}[...]`;
      }
      if (!sink) return;
      if (key && mayBeRawInput(ctx, key)) check({ node: key, sink });
      if (mayBeRawInput(ctx, right)) check({ node: right, sink });
    };
    return { assignment: assigned, augmented_assignment: assigned };
  },
});

/**
 * Text pre-filter for assignments: the target is `<...>.headers[...]` (the text names `headers`)
 * or `name[...]` (a Django response bound to a bare name, maybe parenthesised).
 */
const BARE_NAME_SUBSCRIPT = /^[\s(\\]*[^\s()[\].=+\-*/%&|^~<>,;:'"@!{}#\\]+[\s)\\]*\[/;

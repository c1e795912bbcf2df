import { createRule } from '../../core/types.js';
import type { SyntaxNode } from '../../python/parser.js';
import { keywordArg, keywordArgNode, positionalArgs, stringValue, terminalName, unparen } from '../../python/ast.js';
import { constantString, falseValue } from '../../python/values.js';
import { methodCall } from '../../python/receivers.js';

/** Response methods that set a cookie (Flask/Werkzeug, Django, Starlette/FastAPI, Tornado...). */
const COOKIE_METHODS = new Set(['set_cookie', 'set_signed_cookie']);

/** Framework settings whose explicit `False` makes the session or CSRF cookie insecure. */
const SETTINGS: Record<string, 'secure' | 'httponly'> = {
  SESSION_COOKIE_SECURE: 'secure',
  CSRF_COOKIE_SECURE: 'secure',
  SESSION_COOKIE_HTTPONLY: 'httponly',
  REMEMBER_COOKIE_SECURE: 'secure',
  REMEMBER_COOKIE_HTTPONLY: 'httponly',
};


/** Test clients (`client.set_cookie(...)`, `app.test_client().set_cookie(...)`) set cookies in tests, not on responses. */
function isTestClient(receiver: SyntaxNode): boolean {
  const r = unparen(receiver);
  if (r.type === 'call') {
    const m = methodCall(r);
    return m?.method === 'test_client';
  }
  const name = terminalName(r);
  return name !== null && /client$/i.test(name);
}

export default createRule({
  meta: {
    id: 'insecure-cookie',
    area: 'sensitive-data',
    summary: 'A cookie is explicitly set without the Secure or HttpOnly flag, or with SameSite=None but not Secure.',
    severity: 'medium',
    confidence: 'high',
    cwe: ['CWE-614', 'CWE-1004'],
    owasp: ['A05:2021'],
    messages: {
      secure:
        '`{{call}}` sets a cookie with `secure=False`: the browser also sends it over plain HTTP, where anyone on the network can read it and hijack the session.',
      httponly:
        '`{{call}}` sets a cookie with `httponly=False`: JavaScript on the page can read it, so a single XSS bug leaks it to an attacker.',
      sameSiteNone:
        '`{{call}}` sets a cookie with `samesite="None"` but without `secure=True`: it is sent on cross-site requests, and browsers reject such a cookie unless it is Secure.',
      setting:
        '`{{name}} = False` turns off the {{flag}} flag of the session or CSRF cookie: {{why}}.',
    },
    docs: {
      whatItDoes:
        'Flags cookies that are explicitly made insecure: `response.set_cookie(...)` / `set_signed_cookie(...)` with `secure=False` or `httponly=False`, or with `samesite="None"` and no `secure=True`; Django settings `SESSION_COOKIE_SECURE`, `CSRF_COOKIE_SECURE`, `SESSION_COOKIE_HTTPONLY` set to `False` at module level; and the same keys set to `False` in a Flask `app.config` (also Flask-Login\'s `REMEMBER_COOKIE_*`). Cookies that merely omit a flag are not flagged, since defaults differ between frameworks.',
      whyBad:
        'Session and CSRF cookies are credentials. Without `Secure`, the browser sends them over plain HTTP too, so anyone on the same network (public Wi-Fi, a compromised router) can copy them and take over the session. Without `HttpOnly`, any script on the page can read them, turning a single cross-site scripting bug into account takeover. `SameSite=None` sends the cookie on cross-site requests, which only makes sense over HTTPS; browsers drop such cookies unless they are also Secure.',
      example:
        '# settings.py\nSESSION_COOKIE_SECURE = False\n\n# views.py\ndef login(request):\n    response = redirect("/")\n    response.set_cookie("session", token, secure=False, httponly=False)\n    return response',
      useInstead:
        '# settings.py\nSESSION_COOKIE_SECURE = True\n\n# views.py\ndef login(request):\n    response = redirect("/")\n    response.set_cookie("session", token, secure=True, httponly=True, samesite="Lax")\n    return response',
      fixSafety:
        'When `False` is written in place, the fix changes it to `True`. A Secure cookie is no longer sent over plain HTTP, so a site (or a local development server) that is still served over `http://` will lose the cookie: serve it over HTTPS, or keep the insecure value only in development settings. An HttpOnly cookie can no longer be read by the page\'s own JavaScript; code that reads it with `document.cookie` must get the value another way.',
      references: [
        'https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html#cookies',
        'https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-secure',
        'https://flask.palletsprojects.com/en/stable/security/#set-cookie-options',
        'https://developer.mozilla.org/en-US/docs/Web/HTTP/Cookies#restrict_access_to_cookies',
      ],
    },
    fixable: true,
  },
  callFilter: (_name, method) => COOKIE_METHODS.has(method) || method === 'update',
  // Every key of SETTINGS holds `_COOKIE_`.
  textFilters: { assignment: (text) => text.includes('_COOKIE_') },
  create(ctx) {
    const reportSetting = (name: string, valueNode: SyntaxNode, at: SyntaxNode): void => {
      const flag = Object.hasOwn(SETTINGS, name) ? SETTINGS[name] : undefined;
      const how = falseValue(ctx, valueNode);
      if (!flag || !how) return;
      ctx.report({
        node: at,
        messageId: 'setting',
        data: {
          name,
          flag: flag === 'secure' ? 'Secure' : 'HttpOnly',
          why:
            flag === 'secure'
              ? 'the browser also sends the cookie over plain HTTP, where anyone on the network can read it'
              : 'JavaScript on the page can read the cookie, so an XSS bug leaks it',
        },
        ...(how === 'literal' ? { fix: ctx.replace(unparen(valueNode), 'True', `Set ${name} = True`) } : {}),
      });
    };

    /** `X.config` where X is any object: Flask's config mapping. */
    const isConfig = (node: SyntaxNode | null): boolean =>
      !!node && node.type === 'attribute' && node.childForFieldName('attribute')?.text === 'config';

    return {
      call(node) {
        const m = methodCall(node);
        if (!m) return;
        if (m.method === 'update') {
          // app.config.update(SESSION_COOKIE_SECURE=False)
          if (!isConfig(unparen(m.receiver))) return;
          for (const name of Object.keys(SETTINGS)) {
            const kw = keywordArgNode(node, name);
            const value = keywordArg(node, name);
            if (kw && value) reportSetting(name, value, kw);
          }
          return;
        }
        if (!COOKIE_METHODS.has(m.method) || isTestClient(m.receiver)) return;
        // A cookie name must be given: `set_cookie(cookie)` on a cookie jar is something else.
        if (positionalArgs(node).length === 0 && !keywordArg(node, 'key')) return;
        const call = `${terminalName(unparen(m.receiver)) ?? 'response'}.${m.method}`;
        const secure = keywordArg(node, 'secure');
        let secureOff = false;
        for (const flag of ['secure', 'httponly'] as const) {
          const value = keywordArg(node, flag);
          const how = falseValue(ctx, value);
          if (!value || !how) continue;
          if (flag === 'secure') secureOff = true;
          ctx.report({
            node: keywordArgNode(node, flag) ?? node,
            messageId: flag,
            data: { call },
            ...(how === 'literal' ? { fix: ctx.replace(unparen(value), 'True', `Set ${flag}=True`) } : {}),
          });
        }
        const samesite = keywordArg(node, 'samesite');
        if (!secureOff && samesite && constantString(ctx, samesite)?.toLowerCase() === 'none' && !secure) {
          ctx.report({ node: keywordArgNode(node, 'samesite') ?? node, messageId: 'sameSiteNone', data: { call } });
        }
      },
      assignment(node) {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (!left || !right) return;
        if (left.type === 'identifier') {
          // Django settings: a module-level `SESSION_COOKIE_SECURE = False`.
          if (!Object.hasOwn(SETTINGS, left.text)) return;
          if (node.parent?.type !== 'expression_statement' || node.parent.parent?.type !== 'module') return;
          reportSetting(left.text, right, node);
          return;
        }
        if (left.type === 'subscript') {
          // Flask: app.config["SESSION_COOKIE_SECURE"] = False
          if (!isConfig(left.childForFieldName('value'))) return;
          const key = stringValue(left.childForFieldName('subscript'));
          if (key && Object.hasOwn(SETTINGS, key)) reportSetting(key, right, node);
        }
      },
    };
  },
});

import { createRule } from '../../core/types.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, decoratorExpression, isFalse, keywordArg, stringValue, unparen } from '../../python/ast.js';
import { isTestPath } from '../../python/module-info.js';

const DJANGO_CSRF_EXEMPT = new Set(['django.views.decorators.csrf.csrf_exempt']);
const METHOD_DECORATOR = 'django.utils.decorators.method_decorator';
const CSRF_PROTECT = new Set([
  'flask_wtf.csrf.CSRFProtect',
  'flask_wtf.CSRFProtect',
  // The pre-0.14 spelling.
  'flask_wtf.csrf.CsrfProtect',
  'flask_wtf.CsrfProtect',
]);
const SETTING = 'WTF_CSRF_ENABLED';


/** A class body whose class is named for tests (`class TestingConfig:`). */
function inTestClass(node: SyntaxNode): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'function_definition') return false;
    if (n.type === 'class_definition') return /test/i.test(n.childForFieldName('name')?.text ?? '');
  }
  return false;
}

/** `csrf.exempt` where `csrf` was created by Flask-WTF's `CSRFProtect(...)`. */
function isFlaskWtfExempt(ctx: RuleContext, node: SyntaxNode | null): boolean {
  if (!node) return false;
  const n = unparen(node);
  if (n.type !== 'attribute' || n.childForFieldName('attribute')?.text !== 'exempt') return false;
  const obj = n.childForFieldName('object');
  const constructor = obj ? ctx.constructedBy(obj) : null;
  return constructor !== null && CSRF_PROTECT.has(constructor);
}

export default createRule({
  meta: {
    id: 'csrf-protection-disabled',
    area: 'access-control',
    summary: 'CSRF protection is switched off for a view or for the whole application.',
    severity: 'medium',
    confidence: 'medium',
    cwe: ['CWE-352'],
    owasp: ['A01:2021'],
    messages: {
      djangoExempt:
        '`csrf_exempt` removes Django\'s CSRF check from this view: another site can make a logged-in user\'s browser submit requests to it.',
      flaskExempt:
        '`csrf.exempt` removes Flask-WTF\'s CSRF check from this view: another site can make a logged-in user\'s browser submit requests to it.',
      disabled:
        '`WTF_CSRF_ENABLED = False` turns off Flask-WTF\'s CSRF protection for every form and view of the application.',
    },
    docs: {
      whatItDoes:
        'Flags views exempted from CSRF protection: Django\'s `@csrf_exempt` (as a decorator, through `method_decorator(csrf_exempt, ...)`, or called as `csrf_exempt(view)` in a URLconf) and Flask-WTF\'s `@csrf.exempt` / `csrf.exempt(view_or_blueprint)` where `csrf` is a `CSRFProtect` instance. Also flags Flask-WTF switched off globally with `WTF_CSRF_ENABLED = False` (as a setting, in `app.config[...]` or `app.config.update(...)`), with high severity because it affects every form; test modules and test configuration classes are skipped, since disabling CSRF in tests is the documented practice. A local function that happens to be called `csrf_exempt`, `csrf_protect` and `ensure_csrf_cookie` are not flagged.',
      whyBad:
        'Browsers attach a site\'s cookies to every request sent to it, including requests triggered by other sites: a hidden form on a malicious page can post to `/account/email` and the victim\'s session cookie goes along. The CSRF token is what tells a genuine form submission from a forged one; without it, an attacker can change passwords or email addresses, make purchases or transfers, or perform admin actions as whoever visits their page. SameSite cookies reduce but do not remove the risk (same-site subdomains, older browsers, GET handlers with side effects).',
      example:
        'from django.views.decorators.csrf import csrf_exempt\n\n@csrf_exempt\ndef update_email(request):\n    request.user.email = request.POST["email"]\n    request.user.save()',
      useInstead:
        '# Keep the CSRF check and send the token from your forms / JavaScript:\n#   <form method="post">{% csrf_token %} ...</form>\n#   fetch(url, {method: "POST", headers: {"X-CSRFToken": getCookie("csrftoken")}})\ndef update_email(request):\n    ...\n\n# A webhook called by another server (no browser, no cookies) can be exempt, but\n# then it must authenticate each request itself, e.g. by verifying an HMAC signature:\nimport hashlib, hmac\n\n@csrf_exempt  # pysec: ignore[csrf-protection-disabled] -- server-to-server webhook, HMAC-verified\ndef stripe_webhook(request):\n    expected = hmac.new(WEBHOOK_SECRET, request.body, hashlib.sha256).hexdigest()\n    if not hmac.compare_digest(expected, request.headers.get("X-Signature", "")):\n        return HttpResponseForbidden()\n    ...',
      fixSafety:
        'No automatic fix: removing the exemption makes requests without a CSRF token fail with 403, so the clients of the view (forms, JavaScript, other servers) may need to change first. When an exemption is intended (a webhook or a token-authenticated API that does not use cookies), document it with `# pysec: ignore[csrf-protection-disabled]` and a reason, and verify the caller another way (signature, API token).',
      references: [
        'https://docs.djangoproject.com/en/stable/howto/csrf/',
        'https://docs.djangoproject.com/en/stable/ref/csrf/',
        'https://flask-wtf.readthedocs.io/en/stable/csrf/',
        'https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html',
      ],
    },
    fixable: false,
  },
  callFilter: (name, method) =>
    (name !== null && (DJANGO_CSRF_EXEMPT.has(name) || name === METHOD_DECORATOR)) ||
    method === 'exempt' ||
    method === 'update' ||
    method === 'from_mapping',
  textFilters: {
    // Only a plain name (`@csrf_exempt`, `@csrf.exempt`, an alias) can be reported: not a call.
    decorator: (text) => !/^@\s*[A-Za-z_][\w.\s\\]*\(/.test(text),
    assignment: (text) => text.includes(SETTING),
  },
  create(ctx) {
    const testFile = isTestPath(ctx.path);

    const reportDisabled = (node: SyntaxNode): void => {
      if (testFile || inTestClass(node)) return;
      ctx.report({ node, messageId: 'disabled', severity: 'high' });
    };

    return {
      decorator(node) {
        const expr = decoratorExpression(node);
        if (!expr) return;
        if (DJANGO_CSRF_EXEMPT.has(ctx.qualifiedName(expr) ?? '')) ctx.report({ node, messageId: 'djangoExempt' });
        else if (isFlaskWtfExempt(ctx, expr)) ctx.report({ node, messageId: 'flaskExempt' });
      },
      call(node) {
        const name = ctx.calleeName(node);
        if (name !== null && DJANGO_CSRF_EXEMPT.has(name)) {
          ctx.report({ node, messageId: 'djangoExempt' });
          return;
        }
        if (name === METHOD_DECORATOR) {
          const decorators = argument(node, 0, 'decorator');
          const list = decorators && (decorators.type === 'list' || decorators.type === 'tuple') ? decorators.namedChildren : [decorators];
          if (list.some((d) => DJANGO_CSRF_EXEMPT.has(ctx.qualifiedName(d) ?? ''))) {
            ctx.report({ node, messageId: 'djangoExempt' });
          }
          return;
        }
        const fn = node.childForFieldName('function');
        if (isFlaskWtfExempt(ctx, fn)) {
          ctx.report({ node, messageId: 'flaskExempt' });
          return;
        }
        // app.config.update(WTF_CSRF_ENABLED=False) / app.config.from_mapping(...)
        if (fn?.type === 'attribute') {
          const method = fn.childForFieldName('attribute')?.text;
          const obj = fn.childForFieldName('object');
          if ((method === 'update' || method === 'from_mapping') && obj?.type === 'attribute' && obj.childForFieldName('attribute')?.text === 'config') {
            const kw = keywordArg(node, SETTING);
            if (kw && isFalse(kw)) reportDisabled(node);
          }
        }
      },
      assignment(node) {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (!left || !isFalse(right)) return;
        if (left.type === 'identifier' && left.text === SETTING) {
          // A setting: module level or a configuration class body, not a function local.
          if (ctx.scopeOf(node).kind === 'function') return;
          reportDisabled(node);
        } else if (left.type === 'subscript' && stringValue(left.childForFieldName('subscript')) === SETTING) {
          const value = left.childForFieldName('value');
          if (value?.type === 'attribute' && value.childForFieldName('attribute')?.text === 'config') reportDisabled(node);
        }
      },
    };
  },
});

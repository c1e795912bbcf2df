import { createRule } from '../../core/types.js';
import { hasSplat, intValue, isFalse, isNone, keywordArg, keywordArgNode, unparen } from '../../python/ast.js';

const ENVIRONMENTS = new Set([
  'jinja2.Environment',
  'jinja2.environment.Environment',
  'jinja2.sandbox.SandboxedEnvironment',
  'jinja2.sandbox.ImmutableSandboxedEnvironment',
]);

export default createRule({
  meta: {
    id: 'jinja2-autoescape-disabled',
    area: 'secure-coding',
    summary: 'A Jinja2 environment renders templates without HTML autoescaping.',
    severity: 'medium',
    confidence: 'medium',
    cwe: ['CWE-79'],
    owasp: ['A03:2021'],
    bandit: ['B701'],
    ruff: ['S701'],
    messages: {
      disabled:
        '`{{fn}}(autoescape={{value}})` inserts variables into templates unescaped; if a template produces HTML, user data in it becomes cross-site scripting.',
      missing:
        '`{{fn}}()` leaves autoescaping off (Jinja2\'s default); if a template produces HTML, user data in it becomes cross-site scripting.',
    },
    docs: {
      whatItDoes:
        'Flags `jinja2.Environment(...)` and the sandboxed environments created with `autoescape=False` (or `None`/`0`) or without an `autoescape` argument. `autoescape=True`, `autoescape=select_autoescape(...)` and any value computed at run time are not flagged.',
      whyBad:
        'Unlike Django and Flask\'s own setup, a bare Jinja2 `Environment` does not escape anything by default: `{{ comment }}` is copied into the page as written, so a comment containing `<script>` runs in every visitor\'s browser (stored or reflected XSS). Escaping by hand with `|e` in every template is easy to forget once.',
      example:
        'from jinja2 import Environment, FileSystemLoader\n\nenv = Environment(loader=FileSystemLoader("templates"))',
      useInstead:
        'from jinja2 import Environment, FileSystemLoader, select_autoescape\n\nenv = Environment(\n    loader=FileSystemLoader("templates"),\n    autoescape=select_autoescape(["html", "htm", "xml"]),\n)',
      fixSafety:
        'Only a literal `autoescape=False` is rewritten, to `autoescape=True`. Templates that intentionally output raw HTML from a variable must then mark it with `|safe` or pass a `markupsafe.Markup`; templates that produce plain text (emails, config files) would see `&amp;`-style escapes, so for mixed use prefer `select_autoescape()`. A missing `autoescape` is reported without a fix, since the right value depends on what the templates produce.',
      references: [
        'https://jinja.palletsprojects.com/en/stable/api/#autoescaping',
        'https://jinja.palletsprojects.com/en/stable/api/#jinja2.select_autoescape',
        'https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html',
      ],
    },
    fixable: true,
  },
  callFilter: (name) => name !== null && ENVIRONMENTS.has(name),
  create(ctx) {
    return {
      call(node) {
        const fn = ctx.calleeName(node);
        if (!fn || !ENVIRONMENTS.has(fn)) return;
        const value = keywordArg(node, 'autoescape');
        if (!value) {
          // **options may carry autoescape.
          if (hasSplat(node)) return;
          ctx.report({ node, messageId: 'missing', data: { fn } });
          return;
        }
        const v = unparen(value);
        if (!isFalse(v) && !isNone(v) && intValue(v) !== 0) return;
        const kw = keywordArgNode(node, 'autoescape');
        ctx.report({
          node,
          messageId: 'disabled',
          data: { fn, value: v.text },
          ...(isFalse(v) && kw ? { fix: ctx.replace(kw, 'autoescape=True', 'Turn on autoescaping') } : {}),
        });
      },
    };
  },
});

import type { RuleContext } from '../../core/context.js';
import { createRule } from '../../core/types.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, unparen } from '../../python/ast.js';
import { isBuiltFromSafeParts, valueOrigin } from '../../python/values.js';
import { taintAt } from '../../python/taint.js';

/** Calls that mark a string as safe HTML; value: keyword name of the argument. */
export const MARKERS: Record<string, string> = {
  'markupsafe.Markup': 'base',
  'flask.Markup': 'base',
  'jinja2.Markup': 'base',
  'jinja2.utils.Markup': 'base',
  'django.utils.safestring.mark_safe': 's',
  'django.utils.html.mark_safe': 's',
  'django.utils.safestring.SafeString': 'base',
  'django.utils.safestring.SafeText': 'base',
};

/** Calls whose result is escaped or sanitized HTML (or not text at all). */
const SAFE_PRODUCERS = new Set([
  'markupsafe.escape',
  'markupsafe.Markup.escape',
  'markupsafe.escape_silent',
  'flask.escape',
  'flask.Markup.escape',
  'jinja2.escape',
  'jinja2.Markup.escape',
  'html.escape',
  'cgi.escape',
  'django.utils.html.escape',
  'django.utils.html.conditional_escape',
  'django.utils.html.format_html',
  'django.utils.html.format_html_join',
  'django.utils.html.json_script',
  'django.utils.html.escapejs',
  'flask.render_template',
  'django.template.loader.render_to_string',
  'bleach.clean',
  'bleach.linkify',
  'nh3.clean',
  'int',
  'float',
  'len',
  'bool',
]);


/** A constant, an escaped value, or a string assembled only from those. */
function isSafeHtml(ctx: RuleContext, node: SyntaxNode | null): boolean {
  return isBuiltFromSafeParts(ctx, node, (call) => {
    const name = ctx.calleeName(call);
    return name !== null && SAFE_PRODUCERS.has(name);
  });
}

export default createRule({
  meta: {
    id: 'unescaped-markup',
    area: 'secure-coding',
    summary: 'A value that is not a constant is marked as safe HTML (Markup, mark_safe), bypassing autoescaping.',
    severity: 'medium',
    confidence: 'medium',
    cwe: ['CWE-79'],
    owasp: ['A03:2021'],
    bandit: ['B308', 'B703', 'B704'],
    ruff: ['S308', 'S704'],
    messages: {
      built:
        '`{{fn}}()` marks a string built with {{how}} as safe HTML, so templates will not escape it; any user data in it becomes cross-site scripting.',
      dynamic:
        '`{{fn}}()` marks a value that is not a constant as safe HTML, so templates will not escape it; if it can hold user data, that is cross-site scripting.',
    },
    docs: {
      whatItDoes:
        'Flags `markupsafe.Markup` (also through `flask.Markup`/`jinja2.Markup`), Django\'s `mark_safe` and `SafeString` called with a value that is not a constant. A value made only of constants and escaped parts (`escape(x)`, `format_html(...)`, `bleach.clean(...)`) is not flagged.',
      whyBad:
        '`Markup` and `mark_safe` tell the template engine "this is already HTML, do not escape it". Applied to a string that contains user input, they switch off the protection autoescaping provides: a name such as `<img src=x onerror=alert(document.cookie)>` runs script in the browser of everyone who views the page.',
      example:
        'from markupsafe import Markup\n\ndef greeting(user):\n    return Markup(f"<b>Hello {user.name}</b>")',
      useInstead:
        'from markupsafe import Markup\n\ndef greeting(user):\n    # Markup.format() escapes its arguments; the template stays trusted.\n    return Markup("<b>Hello {}</b>").format(user.name)\n\n# Django: format_html("<b>Hello {}</b>", user.name)',
      fixSafety:
        'No automatic fix: the right change (escaping each value with `Markup(...).format()`/`format_html()`, sanitizing with a library such as `nh3` or `bleach`, or moving the HTML into a template) depends on which parts are meant to be HTML.',
      references: [
        'https://markupsafe.palletsprojects.com/en/stable/escaping/',
        'https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.safestring.mark_safe',
        'https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.html.format_html',
        'https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html',
      ],
    },
    fixable: false,
  },
  callFilter: (name) => name !== null && Object.hasOwn(MARKERS, name),
  create(ctx) {
    return {
      call(node) {
        const fn = ctx.calleeName(node);
        const kw = fn ? MARKERS[fn] : undefined;
        if (!fn || !kw) return;
        const value = argument(node, 0, kw);
        if (!value || isSafeHtml(ctx, value)) return;
        // Attacker data is reflected-xss's finding; values proven safe are none.
        const t = taintAt(ctx, unparen(value), 'xss');
        if (!t || t.tainted) return;
        const origin = valueOrigin(ctx, value);
        if (origin.kind === 'built') {
          ctx.report({ node, messageId: 'built', data: { fn, how: origin.how } });
        } else {
          ctx.report({ node, messageId: 'dynamic', data: { fn }, confidence: 'low' });
        }
      },
    };
  },
});

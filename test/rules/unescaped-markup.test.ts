import rule from '../../src/rules/secure-coding/unescaped-markup.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'flask request data (reported by reflected-xss)',
      code: 'from flask import request, Markup\ndef v():\n    return Markup(request.args["msg"])',
    },
    {
      name: 'django request data (reported by reflected-xss)',
      code: `
        from django.utils.safestring import mark_safe
        def view(request):
            q = request.GET.get("q", "")
            return mark_safe(f"Results for {q}")
      `,
    },
    'from markupsafe import Markup\nMarkup("<b>static</b>")',
    { name: 'constant bound once', code: 'from markupsafe import Markup\nICON = "<i class=x></i>"\nMarkup(ICON)' },
    { name: 'Markup.escape', code: 'from markupsafe import Markup\nMarkup.escape(name)' },
    { name: 'escape is not a marker', code: 'import markupsafe\nmarkupsafe.escape(name)' },
    { name: 'Markup of escape()', code: 'from markupsafe import Markup, escape\nMarkup(escape(name))' },
    {
      name: 'f-string of escaped parts',
      code: 'from markupsafe import Markup, escape\nimport html\nMarkup(f"<b>{escape(a)}</b><i>{html.escape(b)}</i>")',
    },
    { name: 'Markup.format escapes its arguments', code: 'from markupsafe import Markup\nMarkup("<b>{}</b>").format(name)' },
    { name: 'mark_safe of a constant', code: 'from django.utils.safestring import mark_safe\nmark_safe("<br>")' },
    {
      name: 'mark_safe of format_html / sanitizer',
      code: 'from django.utils.safestring import mark_safe\nfrom django.utils.html import format_html\nimport bleach\nmark_safe(format_html("<b>{}</b>", x))\nmark_safe(bleach.clean(html))',
    },
    { name: 'numbers are safe', code: 'from markupsafe import Markup\nMarkup("<td>%d</td>" % int(n))' },
    { name: 'local Markup class', code: 'class Markup:\n    pass\nMarkup(x)' },
    { name: 'shadowed mark_safe parameter', code: 'def f(mark_safe, x):\n    return mark_safe(x)' },
    { name: 'look-alike method', code: 'widget.mark_safe(x)\nself.Markup(x)' },
  ],
  invalid: [
    {
      name: 'f-string with a variable',
      code: 'from markupsafe import Markup\nMarkup(f"<b>Hello {user.name}</b>")',
      errors: [{ line: 2, column: 1, messageId: 'built', severity: 'medium' }],
      output: null,
    },
    {
      name: 'flask and jinja2 re-exports',
      code: 'import flask, jinja2\nflask.Markup("<p>" + text)\njinja2.Markup("<p>%s</p>" % text)',
      errors: [
        { line: 2, messageId: 'built' },
        { line: 3, messageId: 'built' },
      ],
    },
    {
      name: 'aliases and a plain variable',
      code: 'from markupsafe import Markup as M\nimport markupsafe as ms\nM(html)\nms.Markup(content)',
      errors: [
        { line: 3, messageId: 'dynamic' },
        { line: 4, messageId: 'dynamic' },
      ],
    },
    {
      name: 'django mark_safe and SafeString',
      code: 'from django.utils.safestring import mark_safe, SafeString\nmark_safe("<a href=\\"{}\\">x</a>".format(url))\nSafeString(body)',
      errors: [
        { line: 2, messageId: 'built' },
        { line: 3, messageId: 'dynamic' },
      ],
    },
    {
      name: 'only some parts escaped',
      code: 'from markupsafe import Markup, escape\nMarkup(f"{escape(a)}<br>{b}")',
      errors: [{ line: 2, messageId: 'built' }],
    },
    {
      name: 'markdown output is not sanitized',
      code: 'import markdown\nfrom markupsafe import Markup\nMarkup(markdown.markdown(post.body))',
      errors: [{ line: 3, messageId: 'dynamic' }],
    },
  ],
});

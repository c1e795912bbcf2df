import rule from '../../src/rules/secure-coding/template-injection.js';
import { ruleTester } from '../helpers/rule-tester.js';

const FLASK = 'from flask import Flask, request, render_template_string\napp = Flask(__name__)\n';

ruleTester(rule, {
  valid: [
    { name: 'value passed as a template variable', code: FLASK + 'def v():\n    return render_template_string("Hi {{ n }}", n=request.args["n"])' },
    { name: 'constant template', code: FLASK + 'def v():\n    return render_template_string("<h1>Hi</h1>")' },
    { name: 'escaped value is still SSTI-safe? no: constant only', code: FLASK + 'T = "<p>{{ x }}</p>"\ndef v():\n    return render_template_string(T, x=request.args["x"])' },
    { name: 'jinja2 Template from constant', code: 'import jinja2\nt = jinja2.Template("Hello {{ name }}")' },
    { name: 'from_string without jinja2', code: FLASK + 'def v():\n    parser.from_string(request.args["x"])' },
    { name: 'local render_template_string', code: 'from flask import request\ndef render_template_string(s):\n    return s\ndef v():\n    return render_template_string(request.args["s"])' },
    { name: 'overwritten', code: FLASK + 'def v():\n    t = request.args["t"]\n    t = "<p>ok</p>"\n    return render_template_string(t)' },
    { name: 'template from a file', code: FLASK + 'def v():\n    with open("page.html") as f:\n        return render_template_string(f.read(), q=request.args["q"])' },
  ],
  invalid: [
    { name: 'concatenated template', code: FLASK + 'def v():\n    n = request.args.get("n", "")\n    return render_template_string("<h1>Hi " + n + "</h1>")', errors: [{ line: 5, messageId: 'tainted', severity: 'critical' }] },
    { name: 'f-string template', code: FLASK + 'def v():\n    return render_template_string(f"<p>{request.args[\'q\']}</p>")', errors: [{ line: 4, messageId: 'tainted' }] },
    { name: 'jinja2.Template', code: 'import jinja2\nfrom flask import request\ndef v():\n    return jinja2.Template(request.form["tpl"]).render()', errors: [{ line: 4, messageId: 'tainted' }] },
    { name: 'Environment.from_string', code: 'from jinja2 import Environment\nfrom flask import request\nenv = Environment()\ndef v():\n    return env.from_string(request.data.decode()).render()', errors: [{ line: 5, messageId: 'tainted' }] },
    { name: 'django Template', code: 'from django.template import Template, Context\ndef v(request):\n    return Template("Hi " + request.GET["n"]).render(Context({}))', errors: [{ line: 3, messageId: 'tainted' }] },
    { name: 'route parameter', code: FLASK + '@app.route("/p/<name>")\ndef v(name):\n    return render_template_string("Hello %s" % name)', errors: [{ line: 5, messageId: 'tainted' }] },
    { name: 'template keyword', code: FLASK + 'def v():\n    return render_template_string(source=request.args["s"])', errors: [{ line: 4, messageId: 'tainted' }] },
    { name: 'escape does not stop SSTI', code: FLASK + 'from markupsafe import escape\ndef v():\n    return render_template_string("<p>" + escape(request.args["q"]) + "</p>")', errors: [{ line: 5, messageId: 'tainted' }] },
  ],
});

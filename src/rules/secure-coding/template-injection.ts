import { createTaintRule } from '../taint-rule.js';
import { argument } from '../../python/ast.js';
import { importsPackage } from '../../python/module-info.js';

/** Functions and classes that compile their argument as a template: keyword of the source. */
const TEMPLATES: Record<string, string> = {
  'flask.render_template_string': 'source',
  'flask.templating.render_template_string': 'source',
  'quart.render_template_string': 'source',
  'jinja2.Template': 'source',
  'jinja2.environment.Template': 'source',
  'django.template.Template': 'template_string',
  'django.template.base.Template': 'template_string',
  'mako.template.Template': 'text',
  'tornado.template.Template': 'template_string',
  'chameleon.PageTemplate': 'body',
};

export default createTaintRule({
  kind: 'template',
  meta: {
    id: 'template-injection',
    area: 'secure-coding',
    summary: 'Attacker-controlled input is compiled as a server-side template (SSTI).',
    severity: 'critical',
    confidence: 'high',
    cwe: ['CWE-1336', 'CWE-94'],
    owasp: ['A03:2021'],
    messages: {
      tainted:
        'Server-side template injection: {{source}} is compiled as a template by `{{sink}}`; `{{ "{{" }}...}}` in that input runs code on the server. Pass the input as a template variable instead.',
    },
    docs: {
      whatItDoes:
        'Follows attacker-controlled data to the template source of Flask `render_template_string`, Jinja2 `Template(...)` and `Environment.from_string(...)`, Django `Template(...)`, Mako and Tornado templates. Passing the same data as a template variable (`render_template_string("Hi {{ name }}", name=name)`) is safe and not flagged.',
      whyBad:
        'Template languages can reach Python objects: in Jinja2, `{{ cycler.__init__.__globals__.os.popen("id").read() }}` runs a command. When user input becomes part of the template source rather than a value rendered by it, the user writes server code.',
      example:
        'from flask import Flask, request, render_template_string\n\napp = Flask(__name__)\n\n@app.route("/hello")\ndef hello():\n    name = request.args.get("name", "world")\n    return render_template_string("<h1>Hello " + name + "</h1>")',
      useInstead:
        'from flask import Flask, request, render_template_string\n\napp = Flask(__name__)\n\n@app.route("/hello")\ndef hello():\n    name = request.args.get("name", "world")\n    return render_template_string("<h1>Hello {{ name }}</h1>", name=name)',
      fixSafety:
        'No automatic fix: moving the value into a template variable changes the template text and the call\'s arguments.',
      references: [
        'https://portswigger.net/web-security/server-side-template-injection',
        'https://jinja.palletsprojects.com/en/stable/sandbox/',
        'https://flask.palletsprojects.com/en/stable/api/#flask.render_template_string',
      ],
    },
    fixable: false,
  },
  callFilter: (name, method) => (name !== null && Object.hasOwn(TEMPLATES, name)) || method === 'from_string',
  sinks(ctx, call) {
    const name = ctx.calleeName(call);
    if (name && TEMPLATES[name]) {
      const src = argument(call, 0, TEMPLATES[name]);
      return src ? [{ node: src, sink: `${name.split('.').pop() ?? name}()` }] : [];
    }
    const fn = call.childForFieldName('function');
    if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'from_string' && importsPackage(ctx, 'jinja2')) {
      const src = argument(call, 0, 'source');
      return src ? [{ node: src, sink: 'Environment.from_string()' }] : [];
    }
    return [];
  },
});

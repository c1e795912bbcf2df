import rule from '../../src/rules/secure-coding/code-injection.js';
import { ruleTester } from '../helpers/rule-tester.js';

const FLASK = 'from flask import Flask, request\napp = Flask(__name__)\n';

ruleTester(rule, {
  valid: [
    { name: 'constant', code: 'eval("1 + 2")' },
    { name: 'literal_eval', code: FLASK + 'import ast\ndef v():\n    return ast.literal_eval(request.args["e"])' },
    { name: 'number', code: FLASK + 'def v():\n    n = float(request.args["n"])\n    return eval(f"{n} * 2")' },
    { name: 'shadowed eval', code: FLASK + 'def eval(x):\n    return x\ndef v():\n    return eval(request.args["e"])' },
    { name: 'model.eval', code: FLASK + 'def v():\n    model.eval(request.args["e"])' },
    { name: 'overwritten', code: FLASK + 'def v():\n    e = request.args["e"]\n    e = "1+1"\n    return eval(e)' },
    { name: 'unknown origin', code: 'def run(src):\n    exec(src)' },
    { name: 'allow-listed op', code: FLASK + 'OPS = ("1+1", "2*2")\ndef v():\n    e = request.args["e"]\n    if e in OPS:\n        return eval(e)' },
  ],
  invalid: [
    { name: 'eval of request data', code: FLASK + 'def v():\n    return eval(request.args["e"])', errors: [{ line: 4, messageId: 'tainted', severity: 'critical' }] },
    { name: 'exec of built code', code: FLASK + 'def v():\n    name = request.form["n"]\n    exec(f"result = {name}")', errors: [{ line: 5, messageId: 'tainted' }] },
    { name: 'compile', code: 'import sys\ncode = compile(sys.argv[1], "<arg>", "exec")', errors: [{ line: 2, messageId: 'tainted' }] },
    { name: 'input()', code: 'x = input("> ")\nprint(eval(x))', errors: [{ line: 2, messageId: 'tainted' }] },
    { name: 'django', code: 'from django.http import HttpResponse\ndef v(request):\n    return HttpResponse(eval(request.GET["q"]))', errors: [{ line: 3, messageId: 'tainted' }] },
    { name: 'route param', code: FLASK + '@app.route("/c/<expr>")\ndef v(expr):\n    return str(eval(expr))', errors: [{ line: 5, messageId: 'tainted' }] },
    { name: 'through helper', code: FLASK + 'def calc(e):\n    return eval(e)\ndef v():\n    return calc(request.args["e"])', errors: [{ line: 4, messageId: 'tainted' }] },
    { name: 'builtins alias', code: 'import builtins, sys\nbuiltins.eval(sys.argv[1])', errors: [{ line: 2, messageId: 'tainted' }] },
  ],
});

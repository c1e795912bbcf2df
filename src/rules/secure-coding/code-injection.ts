import { createTaintRule } from '../taint-rule.js';
import { keywordArg, positionalArgs } from '../../python/ast.js';
import { FUNCTIONS } from './dynamic-code-execution.js';

export default createTaintRule({
  kind: 'code',
  meta: {
    id: 'code-injection',
    area: 'secure-coding',
    summary: 'Attacker-controlled input is executed as Python code by eval(), exec() or compile().',
    severity: 'critical',
    confidence: 'high',
    cwe: ['CWE-94', 'CWE-95'],
    owasp: ['A03:2021'],
    bandit: ['B307', 'B102'],
    ruff: ['S307', 'S102'],
    messages: {
      tainted:
        'Code injection: {{source}} reaches `{{sink}}`; anyone who controls that input runs arbitrary Python on the server.',
    },
    docs: {
      whatItDoes:
        'Follows attacker-controlled data (request data, route parameters, `input()`, `sys.argv`, socket reads) to `eval()`, `exec()` and `compile()`. Values converted to numbers or checked against an allow-list are not flagged. `eval` of values whose origin cannot be seen is reported by `dynamic-code-execution` instead.',
      whyBad:
        '`eval` and `exec` run any Python: `__import__("os").system("...")` takes over the server. No blacklist of names or characters makes them safe for untrusted input.',
      example:
        'from flask import Flask, request\n\napp = Flask(__name__)\n\n@app.route("/calc")\ndef calc():\n    return str(eval(request.args["expr"]))',
      useInstead:
        'import ast\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n@app.route("/calc")\ndef calc():\n    # literal_eval accepts only literals: numbers, strings, lists, dicts...\n    return str(ast.literal_eval(request.args["expr"]))',
      fixSafety:
        'No automatic fix: `ast.literal_eval` accepts only literals, so code that relied on evaluating expressions needs a real parser or a fixed mapping of operations.',
      references: [
        'https://docs.python.org/3/library/ast.html#ast.literal_eval',
        'https://owasp.org/www-community/attacks/Code_Injection',
      ],
    },
    fixable: false,
  },
  callFilter: (name) => name !== null && Object.hasOwn(FUNCTIONS, name),
  sinks(ctx, call) {
    const name = ctx.calleeName(call);
    if (!name || !FUNCTIONS[name]) return [];
    const code = positionalArgs(call)[0] ?? keywordArg(call, 'source') ?? keywordArg(call, 'object');
    return code ? [{ node: code, sink: `${FUNCTIONS[name]}()` }] : [];
  },
});

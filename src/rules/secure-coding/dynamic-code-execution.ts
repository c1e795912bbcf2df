import { createRule } from '../../core/types.js';
import { positionalArgs, keywordArg, unparen } from '../../python/ast.js';
import { isConstant } from '../../python/values.js';
import { taintAt } from '../../python/taint.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';

export const FUNCTIONS: Record<string, string> = {
  eval: 'eval',
  exec: 'exec',
  compile: 'compile',
  execfile: 'execfile',
  'builtins.eval': 'eval',
  'builtins.exec': 'exec',
  'builtins.compile': 'compile',
};

export default createRule({
  meta: {
    id: 'dynamic-code-execution',
    area: 'secure-coding',
    summary: 'eval(), exec() or compile() runs a string that is not a constant.',
    severity: 'high',
    confidence: 'medium',
    cwe: ['CWE-95'],
    owasp: ['A03:2021'],
    bandit: ['B307', 'B102'],
    ruff: ['S307', 'S102'],
    messages: {
      dynamic: '`{{fn}}()` executes a string built at run time; if any part of it comes from outside, an attacker can run arbitrary Python.',
    },
    docs: {
      whatItDoes:
        'Flags calls to the builtins `eval`, `exec`, `compile` (and Python 2 `execfile`) whose code argument is not a constant string.',
      whyBad:
        'These functions run their argument as Python code with the full privileges of the process. When any part of that string can be influenced by a user, a file, or the network, the attacker runs code of their choice: reading secrets, changing data, or taking over the host. `eval` is not a parser for data: even with `{"__builtins__": {}}` it can be escaped.',
      example: 'def calculate(request):\n    return eval(request.GET["expr"])',
      useInstead:
        'import ast\n\ndef calculate(request):\n    # literal_eval accepts only Python literals: numbers, strings, lists, dicts...\n    return ast.literal_eval(request.GET["expr"])',
      fixSafety:
        'No automatic fix: the right replacement (`ast.literal_eval`, `json.loads`, a dispatch table, a real parser) depends on what the code is meant to accept.',
      references: [
        'https://docs.python.org/3/library/ast.html#ast.literal_eval',
        'https://nedbatchelder.com/blog/201206/eval_really_is_dangerous.html',
      ],
    },
    fixable: false,
  },
  callFilter: (name) => name !== null && Object.hasOwn(FUNCTIONS, name),
  create(ctx) {
    return {
      call(node) {
        const name = ctx.calleeName(node);
        const fn = name ? FUNCTIONS[name] : undefined;
        if (!fn) return;
        const code = positionalArgs(node)[0] ?? keywordArg(node, 'source') ?? keywordArg(node, 'object');
        if (!code || isConstant(ctx, code)) return;
        // `exec(compile(src, ...))`, `code = compile(...); exec(code)`: one hazard, reported once,
        // at the `compile()` that takes the source.
        if (compiledHere(ctx, code)) return;
        // Attacker data is code-injection's finding; values proven safe are none.
        const t = taintAt(ctx, unparen(code), 'code');
        if (!t || t.tainted) return;
        ctx.report({ node, messageId: 'dynamic', data: { fn } });
      },
    };
  },
});

/** Is `node` (or the value a name is bound to once) a call of the builtin `compile`? */
function compiledHere(ctx: RuleContext, node: SyntaxNode): boolean {
  let n = unparen(node);
  if (n.type === 'identifier') {
    const v = ctx.valueOf(n);
    if (!v || v.id === n.id) return false;
    n = unparen(v);
  }
  return n.type === 'call' && ctx.calleeName(n) === 'compile';
}

import rule from '../../src/rules/secure-coding/dynamic-code-execution.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'reassigned constant is no longer constant (reported by code-injection)',
      code: 'code = "1"\ncode = input()\neval(code)',
    },
    {
      name: 'flask request data (reported by code-injection)',
      code: `
        from flask import request
        def calc():
            expr = request.args.get("e")
            return eval(expr)
      `,
    },
    'eval("1 + 2")',
    'exec("import os")',
    { name: 'constant bound once', code: 'CODE = "x = 1"\nexec(CODE)' },
    { name: 'constant f-string', code: 'N = 3\neval(f"{N} + 1")' },
    { name: 'shadowed eval', code: 'def eval(x):\n    return x\neval(data)' },
    { name: 'local shadow in function', code: 'def f(eval, data):\n    return eval(data)' },
    { name: 'look-alike method', code: 'model.eval(data)\nself.exec(query)' },
    { name: 're.compile is not compile', code: 'import re\nre.compile(pattern)' },
    { name: 'from-import of another compile', code: 'from re import compile\ncompile(pattern)' },
    'ast.literal_eval(data)',
  ],
  invalid: [
    { code: 'eval(expr)', errors: [{ line: 1, column: 1, messageId: 'dynamic' }], output: null },
    // One hazard, one finding: the compile() that takes the source, not also the exec() of its result.
    { name: 'exec(compile(...))', code: 'def run(f, ns):\n    exec(compile(f.read(), "cfg.py", "exec"), ns)', errors: [{ line: 2, column: 10, messageId: 'dynamic' }] },
    { name: 'compiled into a name, then run', code: 'def run(src):\n    code = compile(src, "<x>", "exec")\n    exec(code)', errors: [{ line: 2, messageId: 'dynamic' }] },
    { name: 'compile shadowed: both calls are ours to judge', code: 'from mylib import compile\ndef run(src):\n    exec(compile(src))', errors: [{ line: 3, column: 5, messageId: 'dynamic' }] },
    { code: 'exec(f"x = {value}")', errors: [{ line: 1, messageId: 'dynamic' }] },
    { code: 'compile(src, "<string>", "exec")', errors: [{ line: 1, messageId: 'dynamic' }] },
    {
      name: 'builtins alias',
      code: 'import builtins as b\nb.eval(expr)',
      errors: [{ line: 2, messageId: 'dynamic' }],
    },
  ],
});

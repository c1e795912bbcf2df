import rule from '../../src/rules/secure-coding/jinja2-autoescape-disabled.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'import jinja2\njinja2.Environment(autoescape=True)',
    {
      name: 'select_autoescape',
      code: 'from jinja2 import Environment, select_autoescape\nEnvironment(loader=l, autoescape=select_autoescape(["html"]))',
    },
    { name: 'run-time value is unknown', code: 'import jinja2\njinja2.Environment(autoescape=settings.AUTOESCAPE)' },
    { name: 'callable value', code: 'import jinja2\njinja2.Environment(autoescape=guess_autoescape)' },
    { name: 'splat may carry autoescape', code: 'import jinja2\njinja2.Environment(**options)' },
    { name: 'sandbox with autoescape', code: 'from jinja2.sandbox import SandboxedEnvironment\nSandboxedEnvironment(autoescape=True)' },
    { name: 'local class named Environment', code: 'class Environment:\n    pass\nEnvironment()' },
    { name: 'another library Environment', code: 'from gym import Environment\nEnvironment()\nimport simpy\nsimpy.Environment()' },
    { name: 'Template is not checked', code: 'import jinja2\njinja2.Template(src)' },
    { name: 'shadowed module', code: 'def f(jinja2):\n    return jinja2.Environment()' },
  ],
  invalid: [
    {
      name: 'autoescape=False is fixed',
      code: 'import jinja2\nenv = jinja2.Environment(loader=loader, autoescape=False)',
      errors: [{ line: 2, column: 7, messageId: 'disabled' }],
      output: 'import jinja2\nenv = jinja2.Environment(loader=loader, autoescape=True)',
    },
    {
      name: 'missing autoescape: no fix',
      code: 'from jinja2 import Environment, FileSystemLoader\nenv = Environment(loader=FileSystemLoader("t"))',
      errors: [{ line: 2, messageId: 'missing' }],
      output: null,
    },
    {
      name: 'alias, no arguments',
      code: 'import jinja2 as j\nj.Environment()',
      errors: [{ line: 2, messageId: 'missing' }],
    },
    {
      name: 'from-import alias',
      code: 'from jinja2 import Environment as Env\nEnv(autoescape=False)',
      errors: [{ line: 2, messageId: 'disabled' }],
      output: 'from jinja2 import Environment as Env\nEnv(autoescape=True)',
    },
    {
      name: 'sandboxed environment',
      code: 'from jinja2 import sandbox\nsandbox.SandboxedEnvironment()\nsandbox.ImmutableSandboxedEnvironment(autoescape=False)',
      errors: [
        { line: 2, messageId: 'missing' },
        { line: 3, messageId: 'disabled' },
      ],
    },
    {
      name: 'None and 0 are reported without a fix',
      code: 'import jinja2\njinja2.Environment(autoescape=None)\njinja2.Environment(autoescape=0)',
      errors: [
        { line: 2, messageId: 'disabled' },
        { line: 3, messageId: 'disabled' },
      ],
      output: null,
    },
  ],
});

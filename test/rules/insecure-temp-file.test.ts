import rule from '../../src/rules/secure-coding/insecure-temp-file.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'import tempfile\ntempfile.mkstemp()',
    'import tempfile\ntempfile.NamedTemporaryFile(delete=False)',
    'import tempfile\ntempfile.TemporaryDirectory()\ntempfile.mkdtemp()',
    { name: 'gettempdir', code: 'import tempfile\ntempfile.gettempdir()' },
    { name: 'local mktemp', code: 'def mktemp():\n    return "/x"\nmktemp()' },
    { name: 'shadowed module', code: 'def f(tempfile):\n    return tempfile.mktemp()' },
    { name: 'look-alike method', code: 'self.mktemp()\ntmpdir.mktemp("data")' },
    { name: 'pytest tmp_path_factory', code: 'def test_x(tmp_path_factory):\n    tmp_path_factory.mktemp("d")' },
    { name: 'mktemp of another module', code: 'from twisted.python.filepath import mktemp\nmktemp()' },
  ],
  invalid: [
    {
      code: 'import tempfile\npath = tempfile.mktemp(suffix=".csv")',
      errors: [{ line: 2, column: 8, messageId: 'mktemp' }],
      output: null,
    },
    {
      name: 'module alias',
      code: 'import tempfile as tf\ntf.mktemp()',
      errors: [{ line: 2, messageId: 'mktemp' }],
    },
    {
      name: 'from-import alias',
      code: 'from tempfile import mktemp as mk\nopen(mk(), "w")',
      errors: [{ line: 2, messageId: 'mktemp' }],
    },
    {
      name: 'python 2 os functions',
      code: 'import os\nos.tempnam()\nos.tmpnam()',
      errors: [
        { line: 2, messageId: 'mktemp' },
        { line: 3, messageId: 'mktemp' },
      ],
    },
    {
      name: 'inside a function',
      code: 'import tempfile\ndef f():\n    return tempfile.mktemp(dir="/var/tmp")',
      errors: [{ line: 3, messageId: 'mktemp' }],
    },
  ],
});

import rule from '../../src/rules/secure-coding/permissive-file-mode.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'import os\nos.chmod(path, 0o755)',
    'import os\nos.chmod(path, 0o644)',
    'import os\nos.chmod(path, 0o600)',
    'import os\nos.chmod(path, 0o775)',
    { name: 'decimal 493 is 0o755', code: 'import os\nos.chmod(path, 493)' },
    { name: 'unknown mode', code: 'import os\ndef f(path, mode):\n    os.chmod(path, mode)' },
    { name: 'mode reassigned', code: 'import os\nMODE = 0o777\nMODE = 0o700\nos.chmod(p, MODE)' },
    { name: 'stat flags without others-write', code: 'import os, stat\nos.chmod(p, stat.S_IRWXU | stat.S_IRGRP | stat.S_IROTH)' },
    { name: 'removing bits with & ~ is unknown', code: 'import os\nos.chmod(p, st.st_mode & ~0o022)' },
    { name: 'shadowed os', code: 'def f(os):\n    os.chmod(p, 0o777)' },
    { name: 'look-alike chmod on unrelated object', code: 'sftp.chmod("/tmp/x", 0o777)\nself.chmod(0o777)' },
    { name: 'Path from an unknown factory', code: 'p = make_path()\np.chmod(0o777)' },
    { name: 'makedirs default is masked by umask', code: 'import os\nos.makedirs(d, 0o777, exist_ok=True)' },
    { name: 'safe path chmod', code: 'from pathlib import Path\nPath("x").chmod(0o600)' },
  ],
  invalid: [
    {
      code: 'import os\nos.chmod("/etc/app.conf", 0o777)',
      errors: [{ line: 2, column: 27, messageId: 'worldWritable', severity: 'high' }],
      output: null,
    },
    {
      name: 'rw for everyone',
      code: 'import os\nos.chmod(p, 0o666)',
      errors: [{ line: 2, messageId: 'worldWritable', severity: 'high' }],
    },
    { name: 'Python 2 octal', code: 'import os\nos.chmod(p, 0777)', errors: [{ line: 2, messageId: 'worldWritable' }] },
    { name: 'decimal 511', code: 'import os\nos.chmod(p, 511)', errors: [{ line: 2, messageId: 'worldWritable' }] },
    { name: 'keyword mode, fchmod', code: 'import os\nos.fchmod(fd, mode=0o776)', errors: [{ line: 2, messageId: 'worldWritable' }] },
    { name: 'others-write bit only', code: 'from os import chmod as ch\nch(p, 0o002)', errors: [{ line: 2, messageId: 'worldWritable' }] },
    {
      name: 'stat flags',
      code: 'import os\nimport stat as st\nos.chmod(p, st.S_IRWXU | st.S_IRWXG | st.S_IRWXO)',
      errors: [{ line: 3, messageId: 'worldWritable', severity: 'high' }],
    },
    {
      name: 'S_IWOTH from-import',
      code: 'import os\nfrom stat import S_IRUSR, S_IWOTH\nos.chmod(p, S_IRUSR | S_IWOTH)',
      errors: [{ line: 3, messageId: 'worldWritable' }],
    },
    {
      name: 'constant bound once',
      code: 'import os\nMODE = 0o777\ndef fix(p):\n    os.chmod(p, MODE)',
      errors: [{ line: 4, messageId: 'worldWritable' }],
    },
    {
      name: 'pathlib Path',
      code: 'from pathlib import Path\nPath("/srv/data").chmod(0o777)',
      errors: [{ line: 2, messageId: 'worldWritable' }],
    },
    {
      name: 'pathlib Path bound to a name',
      code: 'import pathlib\np = pathlib.Path(d) \np.chmod(mode=0o666)',
      errors: [{ line: 3, messageId: 'worldWritable' }],
    },
  ],
});

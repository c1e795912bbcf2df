import { createRule } from '../../core/types.js';

const FUNCTIONS = new Set(['tempfile.mktemp', 'os.tempnam', 'os.tmpnam']);

export default createRule({
  meta: {
    id: 'insecure-temp-file',
    area: 'secure-coding',
    summary: '`tempfile.mktemp()` returns a file name that another process can claim before it is opened.',
    severity: 'medium',
    confidence: 'high',
    cwe: ['CWE-377'],
    owasp: ['A01:2021'],
    bandit: ['B306'],
    ruff: ['S306'],
    messages: {
      mktemp:
        '`{{fn}}()` only picks a name: another process can create that file (or a symlink) before you open it; create the file atomically with `tempfile.NamedTemporaryFile()` or `tempfile.mkstemp()`.',
    },
    docs: {
      whatItDoes:
        'Flags `tempfile.mktemp()` and the Python 2 `os.tempnam()`/`os.tmpnam()`, which return the name of a temporary file that does not exist yet.',
      whyBad:
        'Between the moment the name is chosen and the moment the program opens it, another local user can create a file or a symbolic link with that name in the shared temporary directory. The program then writes into the attacker\'s file, or through the link into a file of the attacker\'s choosing (a race condition, "time of check to time of use"). The Python documentation deprecated `mktemp` for this reason in Python 2.3.',
      example:
        'import tempfile\n\npath = tempfile.mktemp(suffix=".csv")\nwith open(path, "w") as f:\n    f.write(report)',
      useInstead:
        'import tempfile\n\n# The file is created and opened in one step, readable only by this user.\nwith tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:\n    f.write(report)\n    path = f.name\n\n# or: fd, path = tempfile.mkstemp(suffix=".csv"), then os.fdopen(fd, "w")\n# or, for a scratch directory: tempfile.TemporaryDirectory()',
      fixSafety:
        'No automatic fix: `mkstemp()` returns an open descriptor and a name (a tuple) and `NamedTemporaryFile()` returns a file object, so the code around the call has to change.',
      references: [
        'https://docs.python.org/3/library/tempfile.html#tempfile.mktemp',
        'https://docs.python.org/3/library/tempfile.html#tempfile.NamedTemporaryFile',
        'https://cwe.mitre.org/data/definitions/377.html',
      ],
    },
    fixable: false,
  },
  callFilter: (name) => name !== null && FUNCTIONS.has(name),
  create(ctx) {
    return {
      call(node) {
        const fn = ctx.calleeName(node);
        if (!fn || !FUNCTIONS.has(fn)) return;
        ctx.report({ node, messageId: 'mktemp', data: { fn } });
      },
    };
  },
});

import { createRule } from '../../core/types.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, intValue, unparen } from '../../python/ast.js';
import { methodCall, producedBy } from '../../python/receivers.js';

/** Functions taking `(path_or_fd, mode)`. */
const FUNCTIONS = new Set([
  'os.chmod',
  'os.fchmod',
  'os.lchmod',
  'pathlib.Path.chmod',
  'pathlib.Path.lchmod',
  'pathlib.PosixPath.chmod',
  'pathlib.PosixPath.lchmod',
]);
const PATH_METHODS = new Set(['chmod', 'lchmod']);
const PATH_TYPES = new Set(['pathlib.Path', 'pathlib.PosixPath', 'pathlib.WindowsPath']);

const STAT: Record<string, number> = {
  S_ISUID: 0o4000, S_ISGID: 0o2000, S_ISVTX: 0o1000,
  S_IRWXU: 0o700, S_IRUSR: 0o400, S_IWUSR: 0o200, S_IXUSR: 0o100,
  S_IREAD: 0o400, S_IWRITE: 0o200, S_IEXEC: 0o100,
  S_IRWXG: 0o070, S_IRGRP: 0o040, S_IWGRP: 0o020, S_IXGRP: 0o010,
  S_IRWXO: 0o007, S_IROTH: 0o004, S_IWOTH: 0o002, S_IXOTH: 0o001,
};

const OTHERS_WRITE = 0o002;
const MAX_DEPTH = 4;

/**
 * The numeric value of a mode expression: integer literals (`0o777`, Python 2 `0777`, `511`),
 * `stat.S_I*` flags, `|` / `+` of those, and names bound once to such an expression. Null when unknown.
 */
function modeValue(ctx: RuleContext, node: SyntaxNode | null, depth = 0): number | null {
  if (!node || depth > MAX_DEPTH) return null;
  const n = unparen(node);
  switch (n.type) {
    case 'integer':
      return intValue(n);
    case 'identifier':
    case 'attribute': {
      const q = ctx.qualifiedName(n);
      if (q !== null) {
        const flag = q.startsWith('stat.') ? q.slice(5) : null;
        return flag && Object.hasOwn(STAT, flag) ? (STAT[flag] ?? null) : null;
      }
      if (n.type !== 'identifier') return null;
      const v = ctx.valueOf(n);
      return v && v.id !== n.id ? modeValue(ctx, v, depth + 1) : null;
    }
    case 'binary_operator': {
      const op = n.child(1)?.type;
      if (op !== '|' && op !== '+') return null;
      const l = modeValue(ctx, n.childForFieldName('left'), depth + 1);
      const r = l === null ? null : modeValue(ctx, n.childForFieldName('right'), depth + 1);
      if (l === null || r === null) return null;
      return op === '|' ? l | r : l + r;
    }
    default:
      return null;
  }
}

export default createRule({
  meta: {
    id: 'permissive-file-mode',
    area: 'secure-coding',
    summary: 'chmod gives every user on the machine write access to a file or directory.',
    severity: 'high',
    confidence: 'high',
    cwe: ['CWE-732'],
    owasp: ['A01:2021'],
    bandit: ['B103'],
    ruff: ['S103'],
    messages: {
      worldWritable:
        '`{{call}}` sets mode {{mode}}, which lets any user on the machine modify or replace the file: another account or a compromised service can plant code or data that this program later trusts.',
    },
    docs: {
      whatItDoes:
        'Flags `os.chmod`, `os.fchmod`, `os.lchmod` and `pathlib.Path(...).chmod` calls whose mode is known (an integer literal, including Python 2 `0777`, a name bound once to it, or `stat.S_I*` flags combined with `|`) and grants write permission to "others" (the `0o002` bit), such as `0o777` or `0o666`. Unknown modes and modes such as `0o755`, `0o644` or `0o600` are not flagged.',
      whyBad:
        'A world-writable file can be changed by every account on the host, including other users, web servers, CI jobs and any service an attacker has already compromised. If the file is a script, a configuration, a cache or a directory the program loads from, that is a path to running code as this program\'s user or tampering with its data. `chmod 777` is usually a quick way to silence a permission error, and it stays in production.',
      example: 'import os\n\nos.chmod("/var/app/config.yaml", 0o777)',
      useInstead:
        'import os\nimport stat\n\n# Owner can read and write; group can read; others get nothing.\nos.chmod("/var/app/config.yaml", stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP)  # 0o640',
      fixSafety:
        'No automatic fix: the right mode depends on which users and groups must access the file. Give write access to the owner (and, if needed, a dedicated group) only.',
      references: [
        'https://docs.python.org/3/library/os.html#os.chmod',
        'https://docs.python.org/3/library/stat.html',
        'https://wiki.sei.cmu.edu/confluence/display/c/FIO06-C.+Create+files+with+appropriate+access+permissions',
        'https://bandit.readthedocs.io/en/latest/plugins/b103_set_bad_file_permissions.html',
      ],
    },
    fixable: false,
  },
  callFilter: (name, method) => (name !== null && FUNCTIONS.has(name)) || PATH_METHODS.has(method),
  create(ctx) {
    return {
      call(node) {
        const name = ctx.calleeName(node);
        let mode: SyntaxNode | null;
        let call: string;
        if (name !== null) {
          if (!FUNCTIONS.has(name)) return;
          mode = argument(node, 1, 'mode');
          call = name;
        } else {
          const m = methodCall(node);
          if (!m || !PATH_METHODS.has(m.method)) return;
          const made = producedBy(ctx, m.receiver);
          if (!made || !PATH_TYPES.has(made)) return;
          mode = argument(node, 0, 'mode');
          call = `Path.${m.method}`;
        }
        const value = modeValue(ctx, mode);
        if (!mode || value === null || (value & OTHERS_WRITE) === 0) return;
        ctx.report({
          node: mode,
          messageId: 'worldWritable',
          data: { call, mode: `0o${value.toString(8)}` },
        });
      },
    };
  },
});

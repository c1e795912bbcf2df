import { createRule, type Confidence, type Severity } from '../../core/types.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, isTrue, keywordArg, stringValue, unparen } from '../../python/ast.js';
import { importsPackage, underMainGuard } from '../../python/module-info.js';
import { isReachable } from '../../python/taint.js';

const FLASK_CONSTRUCTORS = new Set(['flask.Flask', 'flask.app.Flask']);

/** Apps of other frameworks that are also conventionally called `app`. */
const OTHER_FRAMEWORKS = ['fastapi', 'starlette', 'quart', 'sanic', 'aiohttp', 'tornado', 'litestar', 'bottle', 'falcon'];

const APP_NAMES = new Set(['app', 'application']);

/** Is `node` (the receiver of `.run`, `.debug`, `.config`) a Flask application? */
export function isFlaskApp(ctx: RuleContext, node: SyntaxNode | null): boolean {
  if (!node) return false;
  const n = unparen(node);
  if (n.type !== 'identifier') return false;
  if (ctx.qualifiedName(n) === 'flask.current_app') return true;
  const constructor = ctx.constructedBy(n);
  if (constructor !== null && FLASK_CONSTRUCTORS.has(constructor)) return true;
  if (!APP_NAMES.has(n.text) || !importsPackage(ctx, 'flask')) return false;
  // `app` bound to another framework's application in a module that also imports flask.
  const origin = constructor ?? ctx.qualifiedName(n);
  return !(origin !== null && OTHER_FRAMEWORKS.some((f) => origin === f || origin.startsWith(`${f}.`)));
}

/**
 * The node that makes a value `True`: the literal itself (fixable), or, for a name bound
 * once to `True` (`DEBUG = True; app.run(debug=DEBUG)`), the name (reported, not fixed).
 */
function trueValue(ctx: RuleContext, node: SyntaxNode | null): { node: SyntaxNode; literal: boolean } | null {
  if (!node) return null;
  const n = unparen(node);
  if (isTrue(n)) return { node: n, literal: true };
  if (n.type === 'identifier' && isTrue(ctx.valueOf(n))) return { node: n, literal: false };
  return null;
}

/** `app.config` where `app` is a Flask application. */
function isFlaskConfig(ctx: RuleContext, node: SyntaxNode | null): boolean {
  if (!node) return false;
  const n = unparen(node);
  return n.type === 'attribute' && n.childForFieldName('attribute')?.text === 'config' && isFlaskApp(ctx, n.childForFieldName('object'));
}

export default createRule({
  meta: {
    id: 'flask-debug-enabled',
    area: 'logging',
    summary: 'A Flask app or the Werkzeug server runs with the interactive debugger enabled.',
    severity: 'high',
    confidence: 'high',
    cwe: ['CWE-489', 'CWE-215'],
    owasp: ['A05:2021'],
    bandit: ['B201'],
    ruff: ['S201'],
    messages: {
      flask:
        'Flask debug mode is turned on ({{how}}); its interactive debugger lets anyone who can trigger an error run Python on the server, and error pages leak source and settings.',
      werkzeug:
        'The Werkzeug debugger is enabled ({{how}}); anyone who can reach it and trigger an error can run Python on the server.',
    },
    docs: {
      whatItDoes:
        'Flags Flask applications started or configured in debug mode: `app.run(debug=True)`, `app.debug = True`, `app.config["DEBUG"] = True` and `app.config.update(DEBUG=True)` (also `from_mapping`), where `app` is created by `flask.Flask(...)`, is `flask.current_app`, or is named `app`/`application` in a module that imports Flask. Also flags the Werkzeug debugger: `werkzeug.serving.run_simple(..., use_debugger=True)` and `werkzeug.debug.DebuggedApplication(app, evalex=True)`. A `debug` value read from the environment or configuration is not flagged. Findings inside `if __name__ == "__main__":` are reported with medium severity and confidence: that block only runs when the file is started directly (`python app.py`), usually on a developer machine, but it is often copied into containers and run as is.',
      whyBad:
        'Debug mode turns on the Werkzeug interactive debugger. When a request raises an exception, the error page offers a Python console running inside the server process: whoever can reach the page can read files, environment variables and secrets, and run any command. The PIN that guards the console has been bypassed repeatedly (it is derived from guessable machine data and leaks through other bugs), and debug pages also disclose source code, paths and configuration (CWE-215). The development server itself is not built for production traffic.',
      example:
        'from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", debug=True)',
      useInstead:
        'import os\nfrom flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    # Debug only when explicitly asked for, e.g. `flask --app app run --debug` on a laptop.\n    app.run(debug=os.environ.get("FLASK_DEBUG") == "1")\n\n# In production, serve with a WSGI server: gunicorn "app:app"',
      fixSafety:
        'The fix replaces the literal `True` with `False`. This switches off the interactive debugger and the automatic reloader for that start-up path; developers who relied on them can use `flask run --debug` or the `FLASK_DEBUG` environment variable locally instead. No other behaviour changes.',
      references: [
        'https://flask.palletsprojects.com/en/stable/debugging/',
        'https://flask.palletsprojects.com/en/stable/deploying/',
        'https://werkzeug.palletsprojects.com/en/stable/debug/',
        'https://flask.palletsprojects.com/en/stable/config/#DEBUG',
      ],
    },
    fixable: true,
  },
  callFilter: (name, method) =>
    method === 'run' ||
    method === 'update' ||
    method === 'from_mapping' ||
    name === 'werkzeug.serving.run_simple' ||
    name === 'werkzeug.run_simple' ||
    name === 'werkzeug.debug.DebuggedApplication',
  // `app.debug = ...` / `app.config["DEBUG"] = ...`.
  textFilters: { assignment: (text) => /debug/i.test(text) },
  create(ctx) {
    const report = (
      node: SyntaxNode,
      value: { node: SyntaxNode; literal: boolean },
      messageId: 'flask' | 'werkzeug',
      how: string,
    ): void => {
      // `if DEBUG:` with `DEBUG = False`: the debugger never starts.
      if (node.type === 'call' && !isReachable(ctx, node)) return;
      const main = underMainGuard(node);
      const severity: Severity = main ? 'medium' : 'high';
      const confidence: Confidence = main ? 'medium' : 'high';
      ctx.report({
        node,
        messageId,
        data: { how },
        severity,
        confidence,
        ...(value.literal ? { fix: ctx.replace(value.node, 'False', 'Turn the debugger off') } : {}),
      });
    };

    /** `DEBUG=True` keyword, or `{"DEBUG": True}` as the first positional argument. */
    const debugInMapping = (call: SyntaxNode): { node: SyntaxNode; literal: boolean } | null => {
      const kw = keywordArg(call, 'DEBUG');
      if (kw) return trueValue(ctx, kw);
      const first = argument(call, 0);
      if (first?.type !== 'dictionary') return null;
      for (const pair of first.namedChildren) {
        if (pair.type !== 'pair') continue;
        if (stringValue(pair.childForFieldName('key')) === 'DEBUG') return trueValue(ctx, pair.childForFieldName('value'));
      }
      return null;
    };

    return {
      call(node) {
        const fn = node.childForFieldName('function');
        if (!fn) return;
        const name = ctx.calleeName(node);
        if (name === 'werkzeug.serving.run_simple' || name === 'werkzeug.run_simple') {
          const v = trueValue(ctx, argument(node, 4, 'use_debugger'));
          if (v) report(node, v, 'werkzeug', '`use_debugger=True`');
          return;
        }
        if (name === 'werkzeug.debug.DebuggedApplication') {
          const v = trueValue(ctx, argument(node, 1, 'evalex'));
          if (v) report(node, v, 'werkzeug', '`evalex=True`');
          return;
        }
        if (fn.type !== 'attribute') return;
        const method = fn.childForFieldName('attribute')?.text;
        const obj = fn.childForFieldName('object');
        if (method === 'run') {
          if (!isFlaskApp(ctx, obj)) return;
          const v = trueValue(ctx, argument(node, 2, 'debug'));
          if (v) report(node, v, 'flask', '`run(debug=True)`');
        } else if (method === 'update' || method === 'from_mapping') {
          if (!isFlaskConfig(ctx, obj)) return;
          const v = debugInMapping(node);
          if (v) report(node, v, 'flask', `\`config.${method}(DEBUG=True)\``);
        }
      },
      assignment(node) {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const value = trueValue(ctx, right);
        if (!left || !value) return;
        if (left.type === 'attribute') {
          if (left.childForFieldName('attribute')?.text === 'debug' && isFlaskApp(ctx, left.childForFieldName('object'))) {
            report(node, value, 'flask', '`app.debug = True`');
          }
        } else if (left.type === 'subscript') {
          const key = left.childForFieldName('subscript');
          if (stringValue(key) === 'DEBUG' && isFlaskConfig(ctx, left.childForFieldName('value'))) {
            report(node, value, 'flask', '`config["DEBUG"] = True`');
          }
        }
      },
    };
  },
});

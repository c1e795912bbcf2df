import { createRule, type Confidence, type Severity } from '../../core/types.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, isFalse, isTrue, keywordArg, stringValue, unparen } from '../../python/ast.js';
import { underMainGuard } from '../../python/module-info.js';
import { constantString } from '../../python/values.js';
import { isFlaskApp } from './flask-debug-enabled.js';


const DEBUGGED_APPLICATION = new Set(['werkzeug.debug.DebuggedApplication', 'werkzeug.DebuggedApplication']);

/** Ways to set an environment variable from Python. */
const ENV_SETTERS = new Set(['os.environ.setdefault', 'os.putenv', 'os.environ.update']);

/** The variable that turns the debugger PIN off when set to "off". */
const PIN_VARIABLE = 'WERKZEUG_DEBUG_PIN';

/** `True` written in place or through a name bound once to it. */
function isTrueValue(ctx: RuleContext, node: SyntaxNode | null): boolean {
  if (!node) return false;
  const n = unparen(node);
  return isTrue(n) || (n.type === 'identifier' && isTrue(ctx.valueOf(n)));
}

function isFalseValue(ctx: RuleContext, node: SyntaxNode | null): boolean {
  if (!node) return false;
  const n = unparen(node);
  return isFalse(n) || (n.type === 'identifier' && isFalse(ctx.valueOf(n)));
}

export default createRule({
  meta: {
    id: 'werkzeug-debugger-enabled',
    area: 'logging',
    summary: 'The Werkzeug interactive debugger is turned on through `app.run(use_debugger=True)`, or its PIN protection is switched off.',
    severity: 'high',
    confidence: 'high',
    cwe: ['CWE-215', 'CWE-94'],
    owasp: ['A05:2021'],
    messages: {
      runDebugger:
        '`app.run(use_debugger=True)` turns on the Werkzeug interactive debugger even though debug mode is off: anyone who can reach the server and trigger an error gets a Python console on it.',
      pinDisabled:
        'The Werkzeug debugger PIN is switched off ({{how}}): whenever the debugger is on, anyone who can trigger an error gets a Python console on the server without even having to guess or leak the PIN.',
    },
    docs: {
      whatItDoes:
        'Complements `flask-debug-enabled`, which already reports `app.run(debug=True)`, `DebuggedApplication(app, evalex=True)` and `run_simple(..., use_debugger=True)`. This rule reports the other ways to get the console: `app.run(use_debugger=True)` on a Flask app without `debug=True` (Flask passes it on to Werkzeug, whose `use_evalex` defaults to True), unless `use_evalex=False` is also given; and turning off the PIN that guards the console: `DebuggedApplication(..., pin_security=False)`, `os.environ["WERKZEUG_DEBUG_PIN"] = "off"` or `os.environ.setdefault("WERKZEUG_DEBUG_PIN", "off")`. Inside `if __name__ == "__main__":` findings are reported with medium severity and confidence, like `flask-debug-enabled`: that block only runs when the file is started directly, usually on a developer machine, but it is often copied into containers and run as is, so it is not ignored.',
      whyBad:
        'The Werkzeug debugger shows, on every unhandled error, a page with a Python console that runs code inside the server process (CWE-94): whoever reaches it can read files and secrets and run any command. The PIN is the only thing between a visitor and that console, and it has been derived or leaked repeatedly; with the PIN off there is nothing at all. Debug pages also disclose source code and settings (CWE-215).',
      example:
        'from flask import Flask\n\napp = Flask(__name__)\n\napp.run(host="0.0.0.0", use_debugger=True)',
      useInstead:
        'import os\nfrom flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    # Debugger only when explicitly asked for on a developer machine (`flask run --debug`).\n    app.run(use_debugger=os.environ.get("FLASK_DEBUG") == "1")',
      fixSafety:
        'No automatic fix: remove `use_debugger=True` / `pin_security=False` / `WERKZEUG_DEBUG_PIN=off`, or make them depend on an explicit development setting. Production servers (gunicorn, uWSGI, Waitress) never need the debugger.',
      references: [
        'https://werkzeug.palletsprojects.com/en/stable/debug/',
        'https://flask.palletsprojects.com/en/stable/debugging/',
        'https://flask.palletsprojects.com/en/stable/api/#flask.Flask.run',
      ],
    },
    fixable: false,
  },
  callFilter: (name, method) => method === 'run' || (name !== null && (DEBUGGED_APPLICATION.has(name) || ENV_SETTERS.has(name))),
  textFilters: {
    assignment: (text) => text.includes(PIN_VARIABLE),
  },
  create(ctx) {
    const report = (node: SyntaxNode, messageId: 'runDebugger' | 'pinDisabled', how = ''): void => {
      const main = underMainGuard(node);
      const severity: Severity = main ? 'medium' : 'high';
      const confidence: Confidence = main ? 'medium' : 'high';
      ctx.report({ node, messageId, data: { how }, severity, confidence });
    };

    const isPinOff = (value: SyntaxNode | null): boolean => constantString(ctx, value)?.trim().toLowerCase() === 'off';

    return {
      call(node) {
        const name = ctx.calleeName(node);
        if (name !== null && DEBUGGED_APPLICATION.has(name)) {
          const pin = keywordArg(node, 'pin_security');
          if (isFalseValue(ctx, pin)) report(node, 'pinDisabled', '`pin_security=False`');
          return;
        }
        if (name === 'os.environ.setdefault' || name === 'os.putenv') {
          if (constantString(ctx, argument(node, 0)) === PIN_VARIABLE && isPinOff(argument(node, 1))) {
            report(node, 'pinDisabled', `\`${PIN_VARIABLE}=off\``);
          }
          return;
        }
        if (name === 'os.environ.update') {
          const first = argument(node, 0);
          const kw = keywordArg(node, PIN_VARIABLE);
          let off = isPinOff(kw);
          if (!off && first?.type === 'dictionary') {
            off = first.namedChildren.some(
              (p) => p.type === 'pair' && stringValue(p.childForFieldName('key')) === PIN_VARIABLE && isPinOff(p.childForFieldName('value')),
            );
          }
          if (off) report(node, 'pinDisabled', `\`${PIN_VARIABLE}=off\``);
          return;
        }
        const fn = node.childForFieldName('function');
        if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'run') return;
        if (!isFlaskApp(ctx, fn.childForFieldName('object'))) return;
        // debug=True is flask-debug-enabled's finding; use_evalex=False leaves only the traceback page.
        if (isTrueValue(ctx, argument(node, 2, 'debug'))) return;
        if (!isTrueValue(ctx, keywordArg(node, 'use_debugger')) || isFalseValue(ctx, keywordArg(node, 'use_evalex'))) return;
        report(node, 'runDebugger');
      },
      assignment(node) {
        // os.environ["WERKZEUG_DEBUG_PIN"] = "off"
        const left = node.childForFieldName('left');
        if (left?.type !== 'subscript') return;
        if (ctx.qualifiedName(left.childForFieldName('value')) !== 'os.environ') return;
        if (stringValue(left.childForFieldName('subscript')) !== PIN_VARIABLE) return;
        if (isPinOff(node.childForFieldName('right'))) report(node, 'pinDisabled', `\`os.environ["${PIN_VARIABLE}"] = "off"\``);
      },
    };
  },
});

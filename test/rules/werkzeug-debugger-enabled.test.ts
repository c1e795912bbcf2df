import rule from '../../src/rules/logging/werkzeug-debugger-enabled.js';
import { describe, expect, it } from '@jest/globals';
import { ruleTester, run } from '../helpers/rule-tester.js';

const APP = 'from flask import Flask\napp = Flask(__name__)\n';

ruleTester(rule, {
  valid: [
    { name: 'debug=True is flask-debug-enabled\'s finding', code: `${APP}app.run(debug=True, use_debugger=True)` },
    { name: 'use_debugger=False', code: `${APP}app.run(use_debugger=False)` },
    { name: 'debugger without the console', code: `${APP}app.run(use_debugger=True, use_evalex=False)` },
    { name: 'use_debugger from the environment', code: `import os\n${APP}app.run(use_debugger=os.environ.get("DBG") == "1")` },
    { name: 'not a Flask app', code: 'server.run(use_debugger=True)' },
    { name: 'FastAPI app in a module importing flask', code: 'import flask\nfrom fastapi import FastAPI\napp = FastAPI()\napp.run(use_debugger=True)' },
    { name: 'evalex=True is flask-debug-enabled\'s finding', code: 'from werkzeug.debug import DebuggedApplication\napp = DebuggedApplication(app, evalex=True)' },
    { name: 'PIN security on', code: 'from werkzeug.debug import DebuggedApplication\napp = DebuggedApplication(app, evalex=True, pin_security=True)' },
    { name: 'PIN set to a value', code: 'import os\nos.environ["WERKZEUG_DEBUG_PIN"] = "1234-5678-9012"' },
    { name: 'other variable set to off', code: 'import os\nos.environ["FEATURE_X"] = "off"' },
    { name: 'local DebuggedApplication class', code: 'class DebuggedApplication:\n    pass\nDebuggedApplication(app, pin_security=False)' },
    { name: 'environ of another module', code: 'import myenv\nmyenv.environ["WERKZEUG_DEBUG_PIN"] = "off"' },
  ],
  invalid: [
    {
      name: 'app.run(use_debugger=True)',
      code: `${APP}app.run(host="0.0.0.0", use_debugger=True)`,
      errors: [{ line: 3, column: 1, messageId: 'runDebugger', severity: 'high' }],
    },
    {
      name: 'under the main guard: medium',
      code: `${APP}if __name__ == "__main__":\n    app.run(use_debugger=True, use_reloader=False)`,
      errors: [{ line: 4, messageId: 'runDebugger', severity: 'medium' }],
    },
    {
      name: 'debugger through a constant',
      code: `${APP}DEBUGGER = True\napp.run(use_debugger=DEBUGGER)`,
      errors: [{ line: 4, messageId: 'runDebugger' }],
    },
    {
      name: 'pin_security=False',
      code: 'from werkzeug.debug import DebuggedApplication\napp.wsgi_app = DebuggedApplication(app.wsgi_app, evalex=True, pin_security=False)',
      errors: [{ line: 2, messageId: 'pinDisabled' }],
    },
    {
      name: 'WERKZEUG_DEBUG_PIN=off by assignment',
      code: 'import os\nos.environ["WERKZEUG_DEBUG_PIN"] = "off"',
      errors: [{ line: 2, messageId: 'pinDisabled' }],
    },
    {
      name: 'WERKZEUG_DEBUG_PIN=off by setdefault, aliased import',
      code: 'from os import environ as env\nenv.setdefault("WERKZEUG_DEBUG_PIN", "OFF")',
      errors: [{ line: 2, messageId: 'pinDisabled' }],
    },
    {
      name: 'WERKZEUG_DEBUG_PIN=off by update',
      code: 'import os\nos.environ.update({"WERKZEUG_DEBUG_PIN": "off"})',
      errors: [{ line: 2, messageId: 'pinDisabled' }],
    },
    {
      name: 'current_app.run',
      code: 'from flask import current_app\ncurrent_app.run(use_debugger=True)',
      errors: [{ line: 2, messageId: 'runDebugger' }],
    },
  ],
});

describe('werkzeug-debugger-enabled docs', () => {
  it('flags docs.example and not docs.useInstead', () => {
    expect(run(rule, rule.meta.docs.example).findings.length).toBeGreaterThan(0);
    expect(run(rule, rule.meta.docs.useInstead).findings).toEqual([]);
  });
});

describe('werkzeug-debugger-enabled and flask-debug-enabled', () => {
  it('never report the same call', async () => {
    const { default: flaskDebug } = await import('../../src/rules/logging/flask-debug-enabled.js');
    const cases = [
      `${APP}app.run(use_debugger=True)`,
      `${APP}app.run(debug=True, use_debugger=True)`,
      'from werkzeug.debug import DebuggedApplication\nDebuggedApplication(app, evalex=True, pin_security=False)',
      'from werkzeug.serving import run_simple\nrun_simple("0.0.0.0", 5000, app, use_debugger=True)',
    ];
    for (const code of cases) {
      const ours = run(rule, code).findings.map((f) => `${f.range.start.line}:${f.messageId}`);
      const theirs = run(flaskDebug, code).findings.map((f) => `${f.range.start.line}:${f.messageId}`);
      // Same line only for DebuggedApplication: there the hazards differ (console on vs. PIN off).
      expect(ours.length + theirs.length).toBeGreaterThan(0);
      if (!code.includes('pin_security')) expect(ours.length === 0 || theirs.length === 0).toBe(true);
    }
  });
});

import rule from '../../src/rules/logging/flask-debug-enabled.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'debug=False', code: 'from flask import Flask\napp = Flask(__name__)\napp.run(debug=False)' },
    {
      name: 'debug from the environment',
      code: 'import os\nfrom flask import Flask\napp = Flask(__name__)\napp.run(debug=os.environ.get("FLASK_DEBUG") == "1")',
    },
    { name: 'no debug argument', code: 'from flask import Flask\napp = Flask(__name__)\napp.run(host="0.0.0.0")' },
    { name: 'non-Flask server without flask import', code: 'server.run(debug=True)\napp.run(debug=True)' },
    {
      name: 'other object in a flask module',
      code: 'from flask import Flask\nimport uvicorn\nserver = make_server()\nserver.run(debug=True)',
    },
    {
      name: 'FastAPI app named app in a module that imports flask',
      code: 'import flask\nfrom fastapi import FastAPI\napp = FastAPI()\napp.debug = True',
    },
    {
      name: 'name bound more than once is unknown',
      code: 'from flask import Flask\napp = Flask(__name__)\nDEBUG = True\nDEBUG = False\napp.run(debug=DEBUG)',
    },
    { name: 'other config keys', code: 'from flask import Flask\napp = Flask(__name__)\napp.config["TESTING"] = True\napp.config.update(DEBUG=False)' },
    { name: 'config of an unrelated object', code: 'from flask import Flask\nsettings.config["DEBUG"] = True\nlogger.debug = True' },
    {
      name: 'werkzeug without the debugger',
      code: 'from werkzeug.serving import run_simple\nfrom werkzeug.debug import DebuggedApplication\nrun_simple("localhost", 5000, app, use_reloader=True)\nDebuggedApplication(app)',
    },
    { name: 'local run_simple', code: 'def run_simple(*a, **k): pass\nrun_simple("h", 1, app, use_debugger=True)' },
  ],
  invalid: [
    {
      name: 'app.run(debug=True) at module level',
      code: 'from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)',
      errors: [{ line: 3, column: 1, messageId: 'flask', severity: 'high' }],
      output: 'from flask import Flask\napp = Flask(__name__)\napp.run(debug=False)',
    },
    {
      name: 'under __main__ is medium',
      code: `
        import flask as f
        server = f.Flask(__name__)
        if __name__ == "__main__":
            server.run(host="0.0.0.0", debug=True)
      `,
      errors: [{ line: 4, column: 5, messageId: 'flask', severity: 'medium' }],
      output: `
        import flask as f
        server = f.Flask(__name__)
        if __name__ == "__main__":
            server.run(host="0.0.0.0", debug=False)
      `,
    },
    {
      name: 'receiver named app in a flask module (factory)',
      code: 'from flask import Flask\nfrom myproject import create_app\napplication = create_app()\napplication.run("0.0.0.0", 8080, True)',
      errors: [{ line: 4, messageId: 'flask', severity: 'high' }],
      output: 'from flask import Flask\nfrom myproject import create_app\napplication = create_app()\napplication.run("0.0.0.0", 8080, False)',
    },
    {
      name: 'app.debug and app.config',
      code: `
        from flask import Flask
        app = Flask(__name__)
        app.debug = True
        app.config["DEBUG"] = True
        app.config.update(DEBUG=True)
        app.config.from_mapping({"DEBUG": True})
      `,
      errors: [
        { line: 3, messageId: 'flask' },
        { line: 4, messageId: 'flask' },
        { line: 5, messageId: 'flask' },
        { line: 6, messageId: 'flask' },
      ],
      output: `
        from flask import Flask
        app = Flask(__name__)
        app.debug = False
        app.config["DEBUG"] = False
        app.config.update(DEBUG=False)
        app.config.from_mapping({"DEBUG": False})
      `,
    },
    {
      name: 'current_app config',
      code: 'from flask import current_app\ndef setup():\n    current_app.config["DEBUG"] = True',
      errors: [{ line: 3, messageId: 'flask' }],
    },
    {
      name: 'constant name bound to True (no fix)',
      code: 'from flask import Flask\nDEBUG = True\napp = Flask(__name__)\napp.run(debug=DEBUG)',
      errors: [{ line: 4, messageId: 'flask' }],
      output: null,
    },
    {
      name: 'werkzeug run_simple and DebuggedApplication, aliased',
      code: `
        from werkzeug import serving
        from werkzeug.debug import DebuggedApplication as DA
        wsgi = DA(app, evalex=True)
        serving.run_simple("0.0.0.0", 5000, wsgi, use_debugger=True)
      `,
      errors: [
        { line: 3, messageId: 'werkzeug', severity: 'high' },
        { line: 4, messageId: 'werkzeug', severity: 'high' },
      ],
      output: `
        from werkzeug import serving
        from werkzeug.debug import DebuggedApplication as DA
        wsgi = DA(app, evalex=False)
        serving.run_simple("0.0.0.0", 5000, wsgi, use_debugger=False)
      `,
    },
  ],
});

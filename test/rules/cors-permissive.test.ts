import rule from '../../src/rules/access-control/cors-permissive.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'flask-cors wildcard without credentials', code: 'from flask_cors import CORS\nCORS(app)\nCORS(app, origins="*")' },
    {
      name: 'flask-cors credentials with explicit origins',
      code: `
        from flask_cors import CORS, cross_origin
        CORS(app, supports_credentials=True, origins=["https://app.example.com"])
        @cross_origin(origins="https://app.example.com", supports_credentials=True)
        def f(): ...
        @cross_origin("https://app.example.com", supports_credentials=True)
        def g(): ...
      `,
    },
    {
      name: 'flask-cors resources with explicit origins',
      code: `
        from flask_cors import CORS
        CORS(app, resources={r"/api/*": {"origins": ["https://a.example.com"]}}, supports_credentials=True)
      `,
    },
    { name: 'flask-cors credentials False', code: 'from flask_cors import CORS\nCORS(app, supports_credentials=False)' },
    { name: 'origins from the environment', code: 'import os\nfrom flask_cors import CORS\nCORS(app, origins=os.environ["ORIGINS"], supports_credentials=True)' },
    { name: 'local CORS look-alike', code: 'def CORS(app, **kw): ...\nCORS(app, supports_credentials=True)' },
    {
      name: 'starlette wildcard without credentials',
      code: `
        from fastapi.middleware.cors import CORSMiddleware
        app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["*"])
        app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=False)
      `,
    },
    {
      name: 'starlette credentials with a list and a narrow regex',
      code: `
        from starlette.middleware.cors import CORSMiddleware
        ORIGINS = ["https://app.example.com"]
        app.add_middleware(CORSMiddleware, allow_origins=ORIGINS, allow_credentials=True)
        app.add_middleware(CORSMiddleware, allow_origin_regex=r"https://.*\\.example\\.com", allow_credentials=True)
      `,
    },
    {
      name: 'another middleware with the same options',
      code: 'from myapp.mw import CORSMiddleware\napp.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)',
    },
    { name: 'django allow all without credentials', path: 'proj/settings.py', code: 'CORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_CREDENTIALS = False' },
    {
      name: 'django credentials with an allow-list',
      path: 'proj/settings.py',
      code: 'CORS_ALLOWED_ORIGINS = ["https://app.example.com"]\nCORS_ALLOW_CREDENTIALS = True\nCORS_ALLOW_ALL_ORIGINS = False',
    },
    {
      name: 'django settings inside a function',
      code: 'def f():\n    CORS_ALLOW_ALL_ORIGINS = True\n    CORS_ALLOW_CREDENTIALS = True',
    },
    { name: 'django allow all from DEBUG', path: 'proj/settings.py', code: 'CORS_ALLOW_ALL_ORIGINS = DEBUG\nCORS_ALLOW_CREDENTIALS = True' },
  ],
  invalid: [
    {
      name: 'flask-cors default origins',
      code: 'from flask_cors import CORS\napp = Flask(__name__)\nCORS(app, supports_credentials=True)',
      errors: [{ line: 3, column: 1, messageId: 'flask', severity: 'high' }],
      output: null,
    },
    {
      name: 'flask-cors wildcard and regex origins, aliased',
      code: `
        import flask_cors as fc
        fc.CORS(app, origins="*", supports_credentials=True)
        fc.CORS(app, origins=[r".*"], supports_credentials=True)
        fc.CORS(app, resources={r"/api/*": {"origins": "*"}}, supports_credentials=True)
        fc.CORS(app, resources=r"/api/*", supports_credentials=True)
      `,
      errors: [
        { line: 2, messageId: 'flask' },
        { line: 3, messageId: 'flask' },
        { line: 4, messageId: 'flask' },
        { line: 5, messageId: 'flask' },
      ],
    },
    {
      name: 'cross_origin decorator',
      code: `
        from flask_cors import cross_origin
        @app.route("/me")
        @cross_origin(supports_credentials=True)
        def me(): ...
        CREDS = True
        @cross_origin("*", supports_credentials=CREDS)
        def other(): ...
      `,
      errors: [
        { line: 3, column: 2, messageId: 'flask' },
        { line: 6, column: 2, messageId: 'flask' },
      ],
    },
    {
      name: 'fastapi add_middleware',
      code: `
        from fastapi import FastAPI
        from fastapi.middleware.cors import CORSMiddleware
        app = FastAPI()
        app.add_middleware(
            CORSMiddleware,
            allow_origins=["*"],
            allow_credentials=True,
        )
      `,
      errors: [{ line: 4, column: 1, messageId: 'starlette' }],
    },
    {
      name: 'starlette Middleware list, regex and direct wrap',
      code: `
        from starlette.middleware import Middleware
        from starlette.middleware.cors import CORSMiddleware
        origins = ["*"]
        middleware = [Middleware(CORSMiddleware, allow_origins=origins, allow_credentials=True)]
        app2 = CORSMiddleware(app, allow_origin_regex=".*", allow_credentials=True)
        app.add_middleware(CORSMiddleware, allow_origin_regex="^https?://.*$", allow_credentials=True)
      `,
      errors: [
        { line: 4, messageId: 'starlette' },
        { line: 5, messageId: 'starlette' },
        { line: 6, messageId: 'starlette' },
      ],
    },
    {
      name: 'django-cors-headers settings',
      path: 'proj/settings.py',
      code: `
        CORS_ALLOW_ALL_ORIGINS = True
        CORS_ALLOW_CREDENTIALS = True
      `,
      errors: [{ line: 1, column: 1, messageId: 'django' }],
    },
    {
      name: 'django-cors-headers old names and regexes',
      path: 'proj/settings.py',
      code: `
        CORS_ALLOW_CREDENTIALS = True
        CORS_ORIGIN_ALLOW_ALL = True
        CORS_ALLOWED_ORIGIN_REGEXES = [r"^.*$"]
      `,
      errors: [
        { line: 2, messageId: 'django' },
        { line: 3, messageId: 'django' },
      ],
    },
  ],
});

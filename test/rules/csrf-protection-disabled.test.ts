import rule from '../../src/rules/access-control/csrf-protection-disabled.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'csrf_protect and ensure_csrf_cookie',
      code: `
        from django.views.decorators.csrf import csrf_protect, ensure_csrf_cookie
        @csrf_protect
        def a(request): ...
        @ensure_csrf_cookie
        def b(request): ...
      `,
    },
    {
      name: 'local function named csrf_exempt',
      code: 'def csrf_exempt(view):\n    return view\n@csrf_exempt\ndef hook(request): ...\ncsrf_exempt(hook)',
    },
    { name: 'unresolved csrf_exempt', code: '@csrf_exempt\ndef hook(request): ...' },
    {
      name: 'exempt on an object that is not CSRFProtect',
      code: 'from myrate import Limiter\nlimiter = Limiter(app)\n@limiter.exempt\ndef health(): ...\nlimiter.exempt(bp)',
    },
    {
      name: 'method_decorator with another decorator',
      code: `
        from django.utils.decorators import method_decorator
        from django.contrib.auth.decorators import login_required
        @method_decorator(login_required, name="dispatch")
        class V(View): ...
      `,
    },
    { name: 'WTF_CSRF_ENABLED = True', code: 'WTF_CSRF_ENABLED = True\napp.config["WTF_CSRF_ENABLED"] = True' },
    {
      name: 'test configuration class',
      path: 'app/config.py',
      code: 'class TestingConfig(Config):\n    TESTING = True\n    WTF_CSRF_ENABLED = False',
    },
    { name: 'test module', path: 'tests/conftest.py', code: 'app.config["WTF_CSRF_ENABLED"] = False' },
    { name: 'test file name', path: 'app/test_forms.py', code: 'app.config.update(WTF_CSRF_ENABLED=False)' },
    { name: 'function local named like the setting', code: 'def f():\n    WTF_CSRF_ENABLED = False\n    return WTF_CSRF_ENABLED' },
    { name: 'other config keys', code: 'app.config["SESSION_COOKIE_SECURE"] = False\napp.config.update(DEBUG=False)' },
  ],
  invalid: [
    {
      name: 'django decorator',
      code: `
        from django.views.decorators.csrf import csrf_exempt
        @csrf_exempt
        def update_email(request): ...
      `,
      errors: [{ line: 2, column: 1, messageId: 'djangoExempt', severity: 'medium' }],
      output: null,
    },
    {
      name: 'aliased import and module import',
      code: `
        from django.views.decorators.csrf import csrf_exempt as no_csrf
        from django.views.decorators import csrf
        @no_csrf
        def a(request): ...
        @csrf.csrf_exempt
        def b(request): ...
      `,
      errors: [
        { line: 3, messageId: 'djangoExempt' },
        { line: 5, messageId: 'djangoExempt' },
      ],
    },
    {
      name: 'called in a URLconf',
      code: `
        from django.urls import path
        from django.views.decorators.csrf import csrf_exempt
        urlpatterns = [path("hook/", csrf_exempt(views.hook))]
      `,
      errors: [{ line: 3, column: 30, messageId: 'djangoExempt' }],
    },
    {
      name: 'method_decorator on a class-based view',
      code: `
        from django.utils.decorators import method_decorator
        from django.views.decorators.csrf import csrf_exempt
        @method_decorator(csrf_exempt, name="dispatch")
        class Hook(View): ...
        @method_decorator([login_required, csrf_exempt], name="dispatch")
        class Other(View): ...
      `,
      errors: [
        { line: 3, column: 2, messageId: 'djangoExempt' },
        { line: 5, column: 2, messageId: 'djangoExempt' },
      ],
    },
    {
      name: 'flask-wtf csrf.exempt',
      code: `
        from flask_wtf.csrf import CSRFProtect
        csrf = CSRFProtect(app)
        @app.route("/hook", methods=["POST"])
        @csrf.exempt
        def hook(): ...
        csrf.exempt(api_blueprint)
      `,
      errors: [
        { line: 4, messageId: 'flaskExempt' },
        { line: 6, messageId: 'flaskExempt' },
      ],
    },
    {
      name: 'flask-wtf from the package root, aliased',
      code: 'import flask_wtf as fw\nprotect = fw.CSRFProtect()\n@protect.exempt\ndef hook(): ...',
      errors: [{ line: 3, messageId: 'flaskExempt' }],
    },
    {
      name: 'WTF_CSRF_ENABLED = False everywhere it can be set',
      path: 'app/config.py',
      code: `
        WTF_CSRF_ENABLED = False
        class ProductionConfig:
            WTF_CSRF_ENABLED = False
        app.config["WTF_CSRF_ENABLED"] = False
        app.config.update(WTF_CSRF_ENABLED=False)
      `,
      errors: [
        { line: 1, messageId: 'disabled', severity: 'high' },
        { line: 3, messageId: 'disabled', severity: 'high' },
        { line: 4, messageId: 'disabled', severity: 'high' },
        { line: 5, messageId: 'disabled', severity: 'high' },
      ],
    },
  ],
});

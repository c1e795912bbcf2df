import rule from '../../src/rules/sensitive-data/insecure-cookie.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'response.set_cookie("session", token, secure=True, httponly=True, samesite="Lax")',
    { name: 'flags omitted: framework defaults apply', code: 'response.set_cookie("session", token)' },
    { name: 'flags from variables', code: 'def f(resp, secure):\n    resp.set_cookie("sid", v, secure=secure, httponly=settings.HTTPONLY)' },
    { name: 'samesite None with secure', code: 'resp.set_cookie("sid", v, secure=True, samesite="None")' },
    { name: 'samesite None with secure from config', code: 'resp.set_cookie("sid", v, secure=cfg.SECURE, samesite="None")' },
    { name: 'samesite Strict', code: 'resp.set_cookie("sid", v, samesite="Strict")' },
    { name: 'test client', code: 'client = app.test_client()\nclient.set_cookie("localhost", "sid", "x", secure=False)' },
    { name: 'test client inline', code: 'app.test_client().set_cookie("sid", "x", httponly=False)' },
    { name: 'cookie jar set_cookie(cookie)', code: 'jar.set_cookie(secure=False)' },
    { name: 'look-alike keyword on another method', code: 'resp.set_header("X", "y", secure=False)' },
    { name: 'settings True', code: 'SESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\nSESSION_COOKIE_HTTPONLY = True' },
    { name: 'CSRF_COOKIE_HTTPONLY False is the Django default and harmless', code: 'CSRF_COOKIE_HTTPONLY = False' },
    { name: 'setting inside a function is a local', code: 'def f():\n    SESSION_COOKIE_SECURE = False\n    return SESSION_COOKIE_SECURE' },
    { name: 'setting from the environment', code: 'import os\nSESSION_COOKIE_SECURE = os.environ.get("SECURE") == "1"' },
    { name: 'other dict', code: 'options["SESSION_COOKIE_SECURE"] = False' },
    { name: 'other update', code: 'data.update(SESSION_COOKIE_SECURE=False)' },
    { name: 'flask config True', code: 'app.config["SESSION_COOKIE_SECURE"] = True' },
  ],
  invalid: [
    {
      code: 'response.set_cookie("session", token, secure=False)',
      errors: [{ line: 1, column: 39, messageId: 'secure' }],
      output: 'response.set_cookie("session", token, secure=True)',
    },
    {
      name: 'httponly False, keyword key (Starlette)',
      code: 'response.set_cookie(key="session", value=token, httponly=False)',
      errors: [{ line: 1, messageId: 'httponly' }],
      output: 'response.set_cookie(key="session", value=token, httponly=True)',
    },
    {
      name: 'both flags off',
      code: 'resp.set_signed_cookie("sid", v, secure=False, httponly=False)',
      errors: [
        { line: 1, messageId: 'secure' },
        { line: 1, messageId: 'httponly' },
      ],
      output: 'resp.set_signed_cookie("sid", v, secure=True, httponly=True)',
    },
    {
      name: 'samesite None without secure',
      code: 'resp.set_cookie("sid", v, samesite="None")',
      errors: [{ line: 1, messageId: 'sameSiteNone' }],
      output: null,
    },
    {
      name: 'samesite none with secure False reports once',
      code: 'resp.set_cookie("sid", v, secure=False, samesite="none")',
      errors: [{ line: 1, messageId: 'secure' }],
    },
    {
      name: 'False through a constant: no fix',
      code: 'SECURE = False\ndef login(resp):\n    resp.set_cookie("sid", v, secure=SECURE)',
      errors: [{ line: 3, messageId: 'secure' }],
      output: null,
    },
    {
      name: 'Django settings',
      code: 'DEBUG = False\nSESSION_COOKIE_SECURE = False\nCSRF_COOKIE_SECURE = False\nSESSION_COOKIE_HTTPONLY = False',
      errors: [
        { line: 2, column: 1, messageId: 'setting' },
        { line: 3, messageId: 'setting' },
        { line: 4, messageId: 'setting' },
      ],
      output: 'DEBUG = False\nSESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\nSESSION_COOKIE_HTTPONLY = True',
    },
    {
      name: 'Flask config subscript',
      code: 'from flask import Flask\napp = Flask(__name__)\napp.config["SESSION_COOKIE_SECURE"] = False\napp.config["SESSION_COOKIE_HTTPONLY"] = False',
      errors: [
        { line: 3, messageId: 'setting' },
        { line: 4, messageId: 'setting' },
      ],
      output: 'from flask import Flask\napp = Flask(__name__)\napp.config["SESSION_COOKIE_SECURE"] = True\napp.config["SESSION_COOKIE_HTTPONLY"] = True',
    },
    {
      name: 'Flask config.update',
      code: 'app.config.update(SESSION_COOKIE_SECURE=False, REMEMBER_COOKIE_HTTPONLY=False, SECRET_KEY=k)',
      errors: [
        { line: 1, messageId: 'setting' },
        { line: 1, messageId: 'setting' },
      ],
      output: 'app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_HTTPONLY=True, SECRET_KEY=k)',
    },
  ],
});

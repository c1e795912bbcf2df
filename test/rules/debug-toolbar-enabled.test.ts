import rule from '../../src/rules/logging/debug-toolbar-enabled.js';
import { describe, expect, it } from '@jest/globals';
import { ruleTester, run } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'under if DEBUG', code: 'INSTALLED_APPS = ["django.contrib.admin"]\nif DEBUG:\n    INSTALLED_APPS += ["debug_toolbar"]\n    MIDDLEWARE.insert(0, "debug_toolbar.middleware.DebugToolbarMiddleware")', path: 'mysite/settings.py' },
    { name: 'development settings file', code: 'INSTALLED_APPS = ["debug_toolbar"]', path: 'mysite/settings/dev.py' },
    { name: 'local_settings', code: 'INSTALLED_APPS += ["debug_toolbar"]', path: 'local_settings.py' },
    { name: 'test settings', code: 'INSTALLED_APPS = ["debug_toolbar"]', path: 'mysite/settings_test.py' },
    { name: 'other apps', code: 'INSTALLED_APPS = ["django.contrib.admin", "debug_toolbar_extras_docs"]', path: 'mysite/settings.py' },
    { name: 'inside a function', code: 'def enable(apps):\n    INSTALLED_APPS = ["debug_toolbar"]\n    return INSTALLED_APPS', path: 'mysite/settings.py' },
    { name: 'other list', code: 'OPTIONAL_APPS = ["debug_toolbar"]', path: 'mysite/settings.py' },
    { name: 'callback from a dotted path', code: 'DEBUG_TOOLBAR_CONFIG = {"SHOW_TOOLBAR_CALLBACK": "mysite.utils.show_toolbar"}', path: 'mysite/settings.py' },
    { name: 'Flask toolbar under app.debug', code: 'from flask_debugtoolbar import DebugToolbarExtension\nif app.debug:\n    toolbar = DebugToolbarExtension(app)' },
    { name: 'Flask toolbar disabled', code: 'from flask_debugtoolbar import DebugToolbarExtension\napp.config["DEBUG_TB_ENABLED"] = False\ntoolbar = DebugToolbarExtension(app)' },
    { name: 'Flask toolbar disabled via update', code: 'from flask_debugtoolbar import DebugToolbarExtension\napp.config.update(DEBUG_TB_ENABLED=False)\nDebugToolbarExtension(app)' },
    { name: 'Flask toolbar under the main guard', code: 'from flask_debugtoolbar import DebugToolbarExtension\nif __name__ == "__main__":\n    DebugToolbarExtension(app)\n    app.run()' },
    { name: 'local class with the same name', code: 'class DebugToolbarExtension:\n    pass\nDebugToolbarExtension(app)' },
    { name: 'Flask toolbar in a dev factory module', code: 'from flask_debugtoolbar import DebugToolbarExtension\nDebugToolbarExtension(app)', path: 'app/dev.py' },
  ],
  invalid: [
    {
      name: 'INSTALLED_APPS in settings.py',
      code: 'INSTALLED_APPS = [\n    "django.contrib.admin",\n    "debug_toolbar",\n]\nMIDDLEWARE = ["debug_toolbar.middleware.DebugToolbarMiddleware"]',
      path: 'mysite/settings.py',
      errors: [{ line: 3, column: 5, messageId: 'django' }],
    },
    {
      name: 'production settings module, augmented assignment',
      code: 'from .base import *\nINSTALLED_APPS += ("debug_toolbar",)',
      path: 'mysite/settings/production.py',
      errors: [{ line: 2, messageId: 'django' }],
    },
    {
      name: 'middleware insert only',
      code: 'MIDDLEWARE.insert(0, "debug_toolbar.middleware.DebugToolbarMiddleware")',
      path: 'mysite/settings/base.py',
      errors: [{ line: 1, messageId: 'django' }],
    },
    {
      name: 'list concatenation with AppConfig path',
      code: 'INSTALLED_APPS = DJANGO_APPS + ["debug_toolbar.apps.DebugToolbarConfig"]',
      path: 'settings.py',
      errors: [{ line: 1, messageId: 'django' }],
    },
    {
      name: 'SHOW_TOOLBAR_CALLBACK always True',
      code: 'DEBUG_TOOLBAR_CONFIG = {\n    "SHOW_TOOLBAR_CALLBACK": lambda request: True,\n}',
      path: 'mysite/settings.py',
      errors: [{ line: 2, messageId: 'showAlways', severity: 'high' }],
    },
    {
      name: 'Flask toolbar, default config: low confidence',
      code: 'from flask import Flask\nfrom flask_debugtoolbar import DebugToolbarExtension\napp = Flask(__name__)\ntoolbar = DebugToolbarExtension(app)',
      errors: [{ line: 4, column: 11, messageId: 'flask' }],
    },
    {
      name: 'Flask toolbar explicitly enabled',
      code: 'import flask_debugtoolbar as tb\napp.config["DEBUG_TB_ENABLED"] = True\ntb.DebugToolbarExtension(app)',
      errors: [{ line: 3, messageId: 'flask' }],
    },
    {
      name: 'Flask toolbar with init_app in a factory',
      code: 'from flask_debugtoolbar import DebugToolbarExtension\ntoolbar = DebugToolbarExtension()\ndef create_app():\n    app = Flask(__name__)\n    toolbar.init_app(app)\n    return app',
      errors: [{ line: 2, messageId: 'flask' }],
    },
  ],
});

describe('debug-toolbar-enabled docs', () => {
  it('flags docs.example and not docs.useInstead', () => {
    expect(run(rule, rule.meta.docs.example).findings.length).toBeGreaterThan(0);
    expect(run(rule, rule.meta.docs.useInstead).findings).toEqual([]);
  });
});

describe('debug-toolbar-enabled confidence', () => {
  it('is low for Flask-DebugToolbar with default settings, medium when explicitly enabled', () => {
    const base = 'from flask_debugtoolbar import DebugToolbarExtension\n';
    expect(run(rule, `${base}DebugToolbarExtension(app)`).findings.map((f) => f.confidence)).toEqual(['low']);
    expect(run(rule, `${base}DEBUG_TB_ENABLED = True\nDebugToolbarExtension(app)`).findings.map((f) => f.confidence)).toEqual(['medium']);
  });
});

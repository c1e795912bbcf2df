import rule from '../../src/rules/logging/django-debug-enabled.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'from the environment', path: 'mysite/settings.py', code: 'import os\nDEBUG = os.environ.get("DEBUG") == "1"' },
    { name: 'DEBUG = False', path: 'mysite/settings.py', code: 'DEBUG = False\nTEMPLATE_DEBUG = False' },
    {
      name: 'inside a function',
      path: 'mysite/settings.py',
      code: 'def enable():\n    DEBUG = True\n    return DEBUG',
    },
    {
      name: 'inside a class (Flask-style config object)',
      path: 'config/settings.py',
      code: 'class DevConfig:\n    DEBUG = True\n',
    },
    {
      name: 'conditional assignment',
      path: 'mysite/settings.py',
      code: 'import os\nDEBUG = False\nif os.environ.get("ENV") == "dev":\n    DEBUG = True',
    },
    { name: 'non-settings module with a DEBUG constant', path: 'tools/cli.py', code: 'DEBUG = True\nprint(DEBUG)' },
    {
      name: 'other module named like a package but not settings',
      path: 'mysite/settings_helpers/utils.py',
      code: 'DEBUG = True',
    },
    {
      name: 'settings package __init__ alone',
      path: 'mysite/settings/__init__.py',
      code: 'DEBUG = True',
    },
    {
      name: 'Flask settings.py',
      path: 'app/settings.py',
      code: 'from flask import Flask\nDEBUG = True',
    },
    {
      name: 'markers but DEBUG is not the literal True',
      path: 'app/conf.py',
      code: 'INSTALLED_APPS = []\nDEBUG = "True"\nDEBUG_TOOLBAR = True',
    },
    {
      name: 'markers inside a function do not make a settings module',
      path: 'app/conf.py',
      code: 'def f():\n    INSTALLED_APPS = []\nDEBUG = True',
    },
  ],
  invalid: [
    {
      name: 'settings.py',
      path: 'mysite/settings.py',
      code: 'SECRET_KEY = "x"\nDEBUG = True\nALLOWED_HOSTS = []',
      errors: [{ line: 2, column: 1, messageId: 'debug', severity: 'medium' }],
      output: null,
    },
    {
      name: 'settings package module',
      path: 'config/settings/production.py',
      code: 'from .base import *\nDEBUG = True',
      errors: [{ line: 2, messageId: 'debug', severity: 'medium' }],
    },
    {
      name: 'settings_prod.py and prod_settings.py',
      path: 'settings_prod.py',
      code: 'DEBUG = True',
      errors: [{ line: 1, messageId: 'debug', severity: 'medium' }],
    },
    {
      name: 'any module assigning INSTALLED_APPS',
      path: 'mysite/conf.py',
      code: 'DEBUG = True\nINSTALLED_APPS = ["django.contrib.admin"]\nROOT_URLCONF = "mysite.urls"',
      errors: [{ line: 1, messageId: 'debug', severity: 'medium' }],
    },
    {
      name: 'augmented MIDDLEWARE marks a split settings module',
      path: 'mysite/prod.py',
      code: 'from mysite.base import *\nMIDDLEWARE += ["x"]\nDEBUG: bool = True',
      errors: [{ line: 3, messageId: 'debug' }],
    },
    {
      name: 'development settings are low',
      path: 'config/settings/dev.py',
      code: 'DEBUG = True',
      errors: [{ line: 1, messageId: 'debug', severity: 'low' }],
    },
    {
      name: 'local_settings.py and settings_test.py are low',
      path: 'local_settings.py',
      code: 'DEBUG = True',
      errors: [{ line: 1, messageId: 'debug', severity: 'low' }],
    },
    {
      name: 'settings_test.py is low',
      path: 'project/settings_test.py',
      code: 'INSTALLED_APPS = []\nDEBUG = True',
      errors: [{ line: 2, messageId: 'debug', severity: 'low' }],
    },
    {
      name: 'legacy TEMPLATE_DEBUG is low, chained assignment',
      path: 'mysite/settings.py',
      code: 'DEBUG = TEMPLATE_DEBUG = True',
      errors: [
        { line: 1, column: 1, messageId: 'debug', severity: 'medium' },
        { line: 1, column: 9, messageId: 'debug', severity: 'low' },
      ],
    },
  ],
});

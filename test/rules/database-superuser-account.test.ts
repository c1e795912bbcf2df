import rule from '../../src/rules/database/database-superuser-account.js';
import { describe, expect, it } from '@jest/globals';
import { ruleTester, run } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'dedicated account', code: 'engine = create_engine("postgresql://shop_app:pw@db.internal/shop")' },
    { name: 'superuser on localhost', code: 'engine = create_engine("postgresql://postgres:postgres@localhost:5432/app")' },
    { name: 'superuser over a Unix socket', code: 'engine = create_engine("postgresql://postgres@/app")' },
    { name: 'root is not special for PostgreSQL', code: 'DATABASE_URL = "postgresql://root:x@db.internal/app"' },
    { name: 'postgres user in a MySQL URL', code: 'DATABASE_URL = "mysql://postgres:x@db.internal/app"' },
    { name: 'database named postgres', code: 'DATABASE_URL = "postgresql://app:x@db.internal/postgres"' },
    { name: 'driver call without host uses the local server', code: 'import pymysql\nconn = pymysql.connect(user="root", password=pw, database="app")' },
    { name: 'driver call with localhost', code: 'import pymysql\nconn = pymysql.connect(host="127.0.0.1", user="root")' },
    { name: 'user from the environment', code: 'import os, pymysql\nconn = pymysql.connect(host="db", user=os.environ["DB_USER"])' },
    { name: 'local connect function', code: 'def connect(**kw):\n    pass\nconnect(host="db", user="root")' },
    { name: 'test file', code: 'DATABASE_URL = "postgresql://postgres:pw@db/app"', path: 'tests/settings.py' },
    { name: 'development settings file', code: 'DATABASE_URL = "postgresql://postgres:pw@db/app"', path: 'proj/settings_dev.py' },
    {
      name: 'Django DATABASES on localhost',
      code: 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "USER": "postgres", "HOST": "localhost"}}',
    },
    { name: 'Django DATABASES without host', code: 'DATABASES = {"default": {"ENGINE": "django.db.backends.mysql", "USER": "root"}}' },
    { name: 'docstring', code: 'def f():\n    """Connect with postgresql://postgres@db.internal/app."""' },
  ],
  invalid: [
    {
      name: 'create_engine URL',
      code: 'from sqlalchemy import create_engine\nengine = create_engine("postgresql+psycopg2://postgres:pw@db.internal:5432/shop")',
      errors: [{ line: 2, column: 24, messageId: 'account' }],
    },
    {
      name: 'f-string URL with computed host',
      code: 'import os\nSQLALCHEMY_DATABASE_URI = f"mysql+pymysql://root:{os.environ[\'PW\']}@{os.environ[\'HOST\']}/app"',
      errors: [{ line: 2, messageId: 'account' }],
    },
    {
      name: 'SQL Server sa',
      code: 'DATABASE_URL = "mssql+pyodbc://sa:pw@sqlserver.internal/app?driver=ODBC+Driver+18"',
      errors: [{ line: 1, messageId: 'account' }],
    },
    {
      name: 'MongoDB admin',
      code: 'from pymongo import MongoClient\nclient = MongoClient("mongodb://admin:pw@mongo:27017/app")',
      errors: [{ line: 2, messageId: 'account' }],
    },
    {
      name: 'pymysql.connect user root with a remote host',
      code: 'import pymysql\nconn = pymysql.connect(host="mysql.internal", user="root", password=pw)',
      errors: [{ line: 2, column: 52, messageId: 'account' }],
    },
    {
      name: 'psycopg2 with host from config',
      code: 'import psycopg2\nconn = psycopg2.connect(host=cfg.DB_HOST, user="postgres", dbname="app")',
      errors: [{ line: 2, messageId: 'account' }],
    },
    {
      name: 'libpq DSN',
      code: 'import psycopg2\nconn = psycopg2.connect("host=pg.internal dbname=app user=postgres")',
      errors: [{ line: 2, messageId: 'account' }],
    },
    {
      name: 'Django DATABASES',
      code: 'import os\nDATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.postgresql",\n        "HOST": os.environ["DB_HOST"],\n        "USER": "postgres",\n    }\n}',
      errors: [{ line: 6, messageId: 'account' }],
    },
    {
      name: 'sqlalchemy URL.create',
      code: 'from sqlalchemy import URL\nurl = URL.create("mysql+pymysql", username="root", password=pw, host="mysql.internal")',
      errors: [{ line: 2, messageId: 'account' }],
    },
  ],
});

describe('database-superuser-account docs', () => {
  it('flags docs.example and not docs.useInstead', () => {
    expect(run(rule, rule.meta.docs.example).findings.length).toBeGreaterThan(0);
    expect(run(rule, rule.meta.docs.useInstead).findings).toEqual([]);
  });
});

describe('database-superuser-account confidence', () => {
  it('is low when the password is the user name (a throwaway container)', () => {
    expect(run(rule, 'U = "postgresql://postgres:postgres@db:5432/app"').findings.map((f) => f.confidence)).toEqual(['low']);
    expect(run(rule, 'U = "postgresql://postgres:Xk9fr2Lq@db:5432/app"').findings.map((f) => f.confidence)).toEqual(['medium']);
  });
});

import rule from '../../src/rules/database/database-url-credentials.js';
import { describe, expect, it } from '@jest/globals';
import { ruleTester, run } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'URL from the environment', code: 'import os\nfrom sqlalchemy import create_engine\nengine = create_engine(os.environ["DATABASE_URL"])' },
    { name: 'no password', code: 'DATABASE_URL = "postgresql://app@db.internal/prod"' },
    { name: 'env placeholder', code: 'DATABASE_URL = "postgresql://app:${DB_PASSWORD}@db/prod"' },
    { name: 'angle-bracket placeholder', code: 'SQLALCHEMY_DATABASE_URI = "mysql://user:<password>@host/db"' },
    { name: 'format placeholder', code: 'url = "postgresql://{user}:{password}@{host}/{db}".format(**cfg)' },
    { name: 'percent placeholder', code: 'url = "postgresql://%(user)s:%(password)s@db/app" % cfg' },
    { name: 'the word password', code: 'DATABASE_URL = "postgresql://user:password@db.example.com/app"' },
    { name: 'masked', code: 'DATABASE_URL = "postgresql://app:****@db/prod"' },
    { name: 'f-string with interpolated password', code: 'import os\npw = os.environ["PW"]\nurl = f"postgresql://app:{pw}@db/prod"' },
    { name: 'docstring example', code: 'def connect():\n    """postgresql://app:s3cretPW@db/prod"""' },
    { name: 'not a database scheme', code: 'PROXY = "http://user:s3cretPW@proxy.internal:3128"' },
    { name: 'help text with spaces', code: 'parser.add_argument("--db", help="e.g. postgresql://app:s3cretPW@db/prod")' },
    { name: 'test file', code: 'engine = create_engine("postgresql://app:s3cretPW@db/prod")', path: 'tests/test_db.py' },
    { name: 'SQLAlchemy documentation credentials', code: 'engine = create_engine("postgresql://scott:tiger@hostname/dbname")' },
    { name: 'sqlite', code: 'engine = create_engine("sqlite:///app.db")' },
  ],
  invalid: [
    {
      name: 'create_engine',
      code: 'from sqlalchemy import create_engine\nengine = create_engine("postgresql+psycopg2://shop:Xk9!fr2Lq@db.internal:5432/shop")',
      errors: [{ line: 2, column: 24, messageId: 'url' }],
    },
    {
      name: 'Flask config',
      code: 'app.config["SQLALCHEMY_DATABASE_URI"] = "mysql+pymysql://app:Tr0ub4dor@mysql.prod/app"',
      errors: [{ line: 1, messageId: 'url' }],
    },
    {
      name: 'environment fallback',
      code: 'import os\nDATABASE_URL = os.environ.get("DATABASE_URL", "postgres://app:s3cr3tpw@db/prod")',
      errors: [{ line: 2, messageId: 'url' }],
    },
    {
      name: 'mongodb+srv',
      code: 'from pymongo import MongoClient\nclient = MongoClient("mongodb+srv://svc:Hq8zW2pL@cluster0.abcde.mongodb.net/app?retryWrites=true")',
      errors: [{ line: 2, messageId: 'url' }],
    },
    {
      name: 'redis with empty user',
      code: 'CACHE_URL = "redis://:Zx81kqPl@cache.internal:6379/0"',
      errors: [{ line: 1, messageId: 'url' }],
    },
    {
      name: 'localhost: reported with low confidence',
      code: 'engine = create_engine("postgresql://app:Xk9fr2Lq@localhost/app")',
      errors: [{ line: 1, messageId: 'url' }],
    },
    {
      name: 'weak default password',
      code: 'DATABASES_URL = "mysql://app:changeme@db/app"',
      errors: [{ line: 1, messageId: 'url' }],
    },
    {
      name: 'Django dj_database_url default',
      code: 'import dj_database_url\nDATABASES = {"default": dj_database_url.config(default="postgres://u:Kf83hd0s@pg.internal/app")}',
      errors: [{ line: 2, messageId: 'url' }],
    },
  ],
});

describe('database-url-credentials docs', () => {
  it('flags docs.example and not docs.useInstead', () => {
    expect(run(rule, rule.meta.docs.example).findings.length).toBeGreaterThan(0);
    expect(run(rule, rule.meta.docs.useInstead).findings).toEqual([]);
  });
});

describe('database-url-credentials confidence', () => {
  const confidence = (code: string, path?: string): string[] => run(rule, code, path).findings.map((f) => f.confidence);
  it('is high for a remote host, lower for defaults, local hosts and dev settings', () => {
    expect(confidence('U = "postgresql://app:Xk9fr2Lq@db.internal/app"')).toEqual(['high']);
    expect(confidence('U = "postgresql://app:changeme@db.internal/app"')).toEqual(['medium']);
    expect(confidence('U = "postgresql://app:Xk9fr2Lq@127.0.0.1:5432/app"')).toEqual(['low']);
    expect(confidence('U = "postgresql://postgres:postgres@db/app"')).toEqual(['low']);
    expect(confidence('U = "postgresql://app:Xk9fr2Lq@db.internal/app"', 'proj/settings/local.py')).toEqual(['low']);
  });
});

describe('database-url-credentials and the secret rules', () => {
  it('reports URLs that hardcoded-password and hardcoded-secret do not', async () => {
    const { default: password } = await import('../../src/rules/sensitive-data/hardcoded-password.js');
    const { default: secret } = await import('../../src/rules/sensitive-data/hardcoded-secret.js');
    const code =
      'from sqlalchemy import create_engine\nDATABASE_URL = "postgresql://app:Xk9!fr2Lq@db/prod"\nSQLALCHEMY_DATABASE_URI = "mysql://app:Tr0ub4dor@db/app"\nengine = create_engine("postgresql://app:Xk9!fr2Lq@db/prod")\ndb_password_url = "postgresql://app:Xk9!fr2Lq@db/prod"';
    expect(run(password, code).findings).toEqual([]);
    expect(run(secret, code).findings).toEqual([]);
    expect(run(rule, code).findings).toHaveLength(4);
  });
});

import rule from '../../src/rules/database/sql-excessive-privilege.js';
import { describe, expect, it } from '@jest/globals';
import { ruleTester, run } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'specific grant to a named role', code: 'cur.execute("GRANT SELECT, INSERT ON orders TO shop_app")' },
    { name: 'revoke', code: 'cur.execute("REVOKE ALL PRIVILEGES ON DATABASE shop FROM PUBLIC")' },
    { name: 'NOSUPERUSER', code: 'cur.execute("ALTER ROLE app NOSUPERUSER NOCREATEDB")' },
    { name: 'grant in a SQL comment', code: 'cur.execute("-- GRANT ALL PRIVILEGES ON *.* TO x\\nSELECT 1")' },
    { name: 'grant text inside a quoted value', code: 'cur.execute("INSERT INTO notes (body) VALUES (\'grant all to public\')")' },
    { name: 'docstring mentioning GRANT ALL', code: 'def f():\n    """Runs GRANT ALL PRIVILEGES ON *.* TO admin."""\n    return 1' },
    { name: 'string not executed', code: 'HELP = "GRANT ALL PRIVILEGES ON db TO user"\nprint(HELP)' },
    { name: 'test file', code: 'cur.execute("GRANT ALL PRIVILEGES ON DATABASE test TO test")', path: 'tests/conftest.py' },
    { name: 'local text() function, not SQLAlchemy', code: 'def text(s):\n    return s\ntext("GRANT ALL ON x TO y")' },
    { name: 'SELECT mentioning superuser column', code: 'cur.execute("SELECT rolname FROM pg_roles WHERE rolsuper")' },
    { name: 'grant from a variable: unknown', code: 'def f(cur, sql):\n    cur.execute(sql)' },
    { name: 'name bound twice is unknown', code: 'q = "GRANT ALL ON t TO u"\nq = "SELECT 1"\ncur.execute(q)' },
    { name: 'WITH GRANT OPTION outside a GRANT', code: 'cur.execute("SELECT \'with grant option\' AS x")' },
    { name: 'public schema, not grantee', code: 'cur.execute("GRANT USAGE ON SCHEMA public TO shop_app")' },
  ],
  invalid: [
    {
      name: 'Alembic op.execute GRANT ALL',
      code: 'from alembic import op\n\ndef upgrade():\n    op.execute("GRANT ALL PRIVILEGES ON DATABASE shop TO shop_app")',
      errors: [{ line: 4, column: 16, messageId: 'grantAll', severity: 'medium' }],
    },
    {
      name: 'MySQL global grant',
      code: 'cursor.execute("GRANT ALL PRIVILEGES ON *.* TO \'app\'@\'%\'")',
      errors: [{ line: 1, messageId: 'globalGrant', severity: 'high' }],
    },
    {
      name: 'grant to PUBLIC through a name',
      code: 'SQL = "GRANT SELECT ON ALL TABLES IN SCHEMA shop TO PUBLIC"\n\ndef setup(conn):\n    conn.execute(SQL)',
      errors: [{ line: 4, messageId: 'public' }],
    },
    {
      name: 'WITH GRANT OPTION',
      code: 'cur.execute("GRANT SELECT ON orders TO reporting WITH GRANT OPTION")',
      errors: [{ line: 1, messageId: 'grantOption' }],
    },
    {
      name: 'CREATE ROLE SUPERUSER via SQLAlchemy text',
      code: 'from sqlalchemy import text\nstmt = text("CREATE ROLE app LOGIN SUPERUSER PASSWORD :pw")',
      errors: [{ line: 2, messageId: 'superuser', severity: 'high' }],
    },
    {
      name: 'ALTER USER WITH SUPERUSER via exec_driver_sql',
      code: 'conn.exec_driver_sql("ALTER USER app WITH SUPERUSER")',
      errors: [{ line: 1, messageId: 'superuser' }],
    },
    {
      name: 'Django RunSQL with a list',
      code: 'from django.db import migrations\n\nclass Migration(migrations.Migration):\n    operations = [\n        migrations.RunSQL(["CREATE TABLE t (id int)", "GRANT ALL ON t TO app"], reverse_sql="REVOKE ALL ON t FROM app"),\n    ]',
      errors: [{ line: 5, messageId: 'grantAll' }],
    },
    {
      name: 'executescript with several statements',
      code: 'conn.executescript("""\n    CREATE TABLE t (id int);\n    GRANT ALL ON t TO PUBLIC;\n""")',
      errors: [{ line: 1, messageId: 'grantAll' }],
    },
    {
      name: 'SQL Server sysadmin membership',
      code: 'cursor.execute("ALTER SERVER ROLE sysadmin ADD MEMBER app_login")',
      errors: [{ line: 1, messageId: 'superuser' }],
    },
    {
      name: 'psycopg2 sql.SQL composition',
      code: 'from psycopg2 import sql\ncur.execute(sql.SQL("GRANT ALL ON {} TO {}").format(sql.Identifier(t), sql.Identifier(u)))',
      errors: [{ line: 2, messageId: 'grantAll' }],
    },
    {
      name: 'lower-case, keyword argument',
      code: 'session.execute(statement="grant all on orders to app")',
      errors: [{ line: 1, messageId: 'grantAll' }],
    },
  ],
});

describe('sql-excessive-privilege docs', () => {
  it('flags docs.example and not docs.useInstead', () => {
    expect(run(rule, rule.meta.docs.example).findings.length).toBeGreaterThan(0);
    expect(run(rule, rule.meta.docs.useInstead).findings).toEqual([]);
  });
});

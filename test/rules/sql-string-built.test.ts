import rule from '../../src/rules/database/sql-string-built.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'flask request data (reported by sql-injection)',
      code: `
        from flask import request
        def search():
            db.session.execute(f"SELECT * FROM items WHERE title LIKE '%{request.args['q']}%'")
      `,
    },
    {
      name: 'django connection.cursor().execute with request data (reported by sql-injection)',
      code: `
        from django.db import connection
        def view(request):
            name = request.GET["name"]
            with connection.cursor() as c:
                connection.cursor().execute(f"SELECT * FROM app_user WHERE name = '{name}'")
      `,
    },
    { name: 'parameterized %s', code: 'cur.execute("SELECT * FROM t WHERE id = %s", (uid,))' },
    { name: 'parameterized ?', code: 'cur.execute("SELECT * FROM t WHERE id = ?", (uid,))' },
    { name: 'parameterized :name', code: 'conn.execute("SELECT * FROM t WHERE id = :id", {"id": uid})' },
    { name: 'constant string', code: 'cur.execute("DELETE FROM sessions WHERE expired = 1")' },
    {
      name: 'f-string over constants only',
      code: 'TABLE = "users"\ncur.execute(f"SELECT * FROM {TABLE} WHERE id = %s", (uid,))',
    },
    {
      name: 'module constant used inside a function',
      code: 'TABLE = "users"\ndef get(cur, uid):\n    cur.execute(f"SELECT * FROM {TABLE} WHERE id = ?", (uid,))',
    },
    { name: 'format(**locals()) on non-SQL text', code: 'runner.execute("deploy {name}".format(**locals()))' },
    { name: 'constant concatenation', code: 'BASE = "SELECT * FROM t"\ncur.execute(BASE + " WHERE id = ?", (uid,))' },
    { name: 'unrelated execute without SQL text', code: 'executor.execute(f"job {name}")\nrunner.execute("run {}".format(task))' },
    { name: 'logging SQL text', code: 'import logging\nlogging.info(f"SELECT * FROM users WHERE name = {name}")' },
    {
      name: '% formatting inside the parameters',
      code: 'cur.execute("SELECT * FROM t WHERE name LIKE %s", ("%%%s%%" % term,))',
    },
    {
      name: 'psycopg sql composition',
      code: `
        from psycopg2 import sql
        cur.execute(sql.SQL("SELECT * FROM {} WHERE id = %s").format(sql.Identifier(table)), (uid,))
        q = sql.SQL("DELETE FROM {}").format(sql.Identifier(table))
        cur.execute(q)
      `,
    },
    { name: 'numbers only (int conversion)', code: 'cur.execute(f"SELECT * FROM t LIMIT {int(limit)}")' },
    { name: 'numbers only (%d)', code: 'cur.execute("SELECT * FROM t WHERE id = %d" % uid)' },
    {
      name: 'reassigned query is unknown',
      code: 'q = f"SELECT * FROM t WHERE a = {x}"\nq = "SELECT 1"\ncur.execute(q)',
    },
    { name: 'look-alike raw() not on a manager', code: 'response.raw(f"SELECT * FROM t WHERE a = {x}")' },
    { name: 'text() that is not sqlalchemy', code: 'from myui import text\ntext(f"Hello {name}")' },
    {
      name: 'sqlalchemy text with bind parameters',
      code: 'from sqlalchemy import text\nsession.execute(text("SELECT * FROM users WHERE name = :n"), {"n": name})',
    },
    { name: 'pandas read_sql with a table name', code: 'import pandas as pd\npd.read_sql(f"{schema}_events", engine)' },
    { name: 'extra() outside Django', code: 'thing.extra(where=[f"id = {x}"])' },
    {
      name: 'django raw with params',
      code: 'User.objects.raw("SELECT * FROM app_user WHERE name = %s", [name])',
    },
  ],
  invalid: [
    {
      name: 'f-string',
      code: 'cur.execute(f"SELECT * FROM users WHERE name = \'{name}\'")',
      errors: [{ line: 1, column: 13, messageId: 'built', severity: 'high' }],
      output: null,
    },
    {
      name: '.format',
      code: 'cursor.executemany("INSERT INTO t (a) VALUES ({})".format(a), rows)',
      errors: [{ line: 1, column: 20, messageId: 'built' }],
    },
    {
      name: '% formatting',
      code: 'cur.execute("select * from t where name = \'%s\'" % name)',
      errors: [{ line: 1, column: 13, messageId: 'built' }],
    },
    {
      name: 'concatenation',
      code: 'conn.executescript("DROP TABLE " + table)',
      errors: [{ line: 1, column: 20, messageId: 'built' }],
    },
    {
      name: 'name bound once: reported on the argument',
      code: 'def f(cur, order):\n    q = "SELECT id FROM t ORDER BY " + order\n    cur.execute(q)',
      errors: [{ line: 3, column: 17, messageId: 'built' }],
    },
    {
      name: 'keyword query argument and mogrify',
      code: 'cur.execute(query=f"UPDATE t SET a = {v}")\ncur.mogrify(f"DELETE FROM t WHERE id = {i}")',
      errors: [
        { line: 1, messageId: 'built' },
        { line: 2, messageId: 'built' },
      ],
    },
    {
      name: 'sqlalchemy text, aliased',
      code: 'import sqlalchemy as sa\nfrom sqlalchemy import text as T\nsa.text(f"{col} DESC")\nT("id = " + uid)',
      errors: [
        { line: 3, column: 9, messageId: 'built' },
        { line: 4, column: 3, messageId: 'built' },
      ],
    },
    {
      name: 'django raw, extra and RawSQL',
      code: `
        from django.db.models.expressions import RawSQL
        User.objects.raw(f"SELECT * FROM app_user WHERE name = '{name}'")
        User.objects.filter(active=True).extra(where=["name = '%s'" % name], select={"x": "a + " + b})
        User.objects.annotate(v=RawSQL("SELECT v FROM t WHERE id = " + i, ()))
      `,
      errors: [
        { line: 2, messageId: 'built' },
        { line: 3, column: 47, messageId: 'built' },
        { line: 3, column: 83, messageId: 'built' },
        { line: 4, column: 32, messageId: 'built' },
      ],
    },
    {
      name: 'pandas read_sql and read_sql_query',
      code: 'import pandas as pd\npd.read_sql(f"SELECT * FROM t WHERE d > \'{day}\'", con)\npd.read_sql_query(sql="SELECT * FROM " + t, con=con)',
      errors: [
        { line: 2, messageId: 'built' },
        { line: 3, messageId: 'built' },
      ],
    },
    {
      name: 'text handed to psycopg sql.SQL',
      code: 'from psycopg import sql\ncur.execute(sql.SQL(f"SELECT * FROM t WHERE a = {a}"))',
      errors: [{ line: 2, messageId: 'built' }],
    },
    {
      name: 'receiver imported from the project (qualified name known but not a sink)',
      code: 'from app.extensions import db\nfrom app.models import User\ndb.session.execute("DELETE FROM t WHERE id = " + i)\nUser.objects.raw("SELECT * FROM u WHERE n = \'%s\'" % n)',
      errors: [
        { line: 3, messageId: 'built' },
        { line: 4, messageId: 'built' },
      ],
    },
    {
      name: 'exec_driver_sql and constant template name',
      code: 'Q = "SELECT * FROM t WHERE a = \'%s\'"\nconn.exec_driver_sql(Q % a)',
      errors: [{ line: 2, messageId: 'built' }],
    },
  ],
});

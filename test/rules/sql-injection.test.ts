import rule from '../../src/rules/database/sql-injection.js';
import { ruleTester } from '../helpers/rule-tester.js';

const FLASK = 'from flask import Flask, request\nimport sqlite3\napp = Flask(__name__)\ndb = sqlite3.connect("app.db")\n';

ruleTester(rule, {
  valid: [
    { name: 'parameterized query', code: FLASK + 'def v():\n    db.execute("SELECT * FROM t WHERE n = ?", (request.args["n"],))' },
    { name: 'constant query', code: FLASK + 'def v():\n    db.execute("SELECT * FROM t")' },
    { name: 'int() conversion', code: FLASK + 'def v():\n    uid = int(request.args["id"])\n    db.execute(f"SELECT * FROM t WHERE id = {uid}")' },
    { name: 'overwritten before use', code: FLASK + 'def v():\n    n = request.args["n"]\n    n = "admin"\n    db.execute(f"SELECT * FROM t WHERE n = \'{n}\'")' },
    { name: 'constant branch never taken', code: FLASK + 'def v():\n    q = "SELECT 1"\n    if False:\n        q = "SELECT " + request.args["c"]\n    db.execute(q)' },
    { name: 'allow-listed column', code: FLASK + 'COLUMNS = ("name", "email")\ndef v():\n    c = request.args["sort"]\n    if c not in COLUMNS:\n        c = "name"\n    db.execute(f"SELECT * FROM t ORDER BY {c}")' },
    { name: 'unknown origin is sql-string-built', code: 'def find(cur, name):\n    cur.execute(f"SELECT * FROM t WHERE n = \'{name}\'")' },
    { name: 'environment is trusted by default', code: 'import os, sqlite3\ndb = sqlite3.connect("x")\ndb.execute(f"SELECT * FROM {os.environ[\'TABLE\']} WHERE a = 1")' },
    { name: 'execute of a non-SQL receiver with request data', code: 'from flask import request\ndef v():\n    executor.execute(request.args["job"])' },
    { name: 'helper only called with constants', code: FLASK + 'def q(col):\n    return db.execute(f"SELECT {col} FROM t")\ndef v():\n    return q("name")' },
    { name: 'uuid conversion', code: FLASK + 'import uuid\ndef v():\n    i = uuid.UUID(request.args["id"])\n    db.execute(f"SELECT * FROM t WHERE id = \'{i}\'")' },
  ],
  invalid: [
    { name: 'f-string with request arg', code: FLASK + 'def v():\n    n = request.args.get("n")\n    db.execute(f"SELECT * FROM t WHERE n = \'{n}\'")', errors: [{ line: 7, messageId: 'tainted', severity: 'critical' }] },
    { name: 'concatenation through a variable', code: FLASK + 'def v():\n    q = "SELECT * FROM t WHERE n = \'" + request.form["n"] + "\'"\n    db.execute(q)', errors: [{ line: 7, messageId: 'tainted' }] },
    { name: '% formatting', code: FLASK + 'def v():\n    db.execute("DELETE FROM t WHERE id = %s" % request.args["id"])', errors: [{ line: 6, messageId: 'tainted' }] },
    { name: 'route parameter', code: FLASK + '@app.route("/u/<name>")\ndef v(name):\n    db.execute("SELECT * FROM u WHERE name = \'{}\'".format(name))', errors: [{ line: 7, messageId: 'tainted' }] },
    { name: 'through a helper in the same module', code: FLASK + 'def find(name):\n    return db.execute(f"SELECT * FROM u WHERE n = \'{name}\'")\ndef v():\n    return find(request.args["n"])', errors: [{ line: 6, messageId: 'tainted' }] },
    {
      name: 'django raw and cursor',
      code: 'from django.db import connection\nfrom app.models import User\ndef v(request):\n    User.objects.raw("SELECT * FROM u WHERE n = \'%s\'" % request.GET["n"])\n    with connection.cursor() as cursor:\n        cursor.execute(f"DELETE FROM u WHERE id = {request.POST[\'id\']}")',
      errors: [{ line: 4, messageId: 'tainted' }, { line: 6, messageId: 'tainted' }],
    },
    { name: 'sqlalchemy text', code: 'from fastapi import FastAPI\nfrom sqlalchemy import text\napp = FastAPI()\n@app.get("/u")\ndef v(name: str):\n    return session.execute(text(f"SELECT * FROM u WHERE n = \'{name}\'"))', errors: [{ line: 6, messageId: 'tainted' }] },
    { name: 'tainted whole query on a cursor', code: FLASK + 'def v():\n    cur = db.cursor()\n    cur.execute(request.args["q"])', errors: [{ line: 7, messageId: 'tainted' }] },
    { name: 'cli input', code: 'import sqlite3, sys\ndb = sqlite3.connect("x")\ndb.execute("SELECT * FROM t WHERE n = \'" + sys.argv[1] + "\'")', errors: [{ line: 3, messageId: 'tainted' }] },
  ],
});

import { createTaintRule } from '../taint-rule.js';
import { builtString } from '../../python/values.js';
import { looksLikeSql, sqlCallFilter, sqlSinks } from './sql-string-built.js';
import { receiverName } from '../taint-rule.js';
import type { RuleContext } from '../../core/context.js';
import { unparen } from '../../python/ast.js';

/** Packages whose cursors and sessions run SQL: in modules importing them, `.execute(x)` is SQL. */
const DB_PACKAGES = [
  'sqlite3', 'psycopg2', 'psycopg', 'pymysql', 'MySQLdb', 'mysql', 'sqlalchemy', 'flask_sqlalchemy', 'django.db',
  'cx_Oracle', 'oracledb', 'pyodbc', 'pymssql', 'aiosqlite', 'asyncpg', 'aiomysql', 'aiopg', 'databases',
  'records', 'peewee', 'duckdb', 'snowflake', 'clickhouse_driver', 'ibm_db', 'pg8000', 'sqlmodel',
];

const DB_RECEIVER = /^(?:cur|cursor|c|conn|connection|con|db|database|session|engine|sess|tx|transaction|dbconn|db_conn|db_session|self\.cursor)$|cursor|conn$|_db$|^db_/i;

function usesDatabase(ctx: RuleContext): boolean {
  return ctx.allScopes().some((sc) =>
    [...sc.imports.values()].some((m) => DB_PACKAGES.some((p) => m === p || m.startsWith(`${p}.`))),
  );
}

export default createTaintRule({
  kind: 'sql',
  meta: {
    id: 'sql-injection',
    area: 'database',
    summary: 'Attacker-controlled input reaches the text of an SQL query.',
    severity: 'critical',
    confidence: 'high',
    cwe: ['CWE-89'],
    owasp: ['A03:2021'],
    bandit: ['B608'],
    ruff: ['S608'],
    messages: {
      tainted:
        'SQL injection: {{source}} reaches the query text of `{{sink}}`; anyone who can send that input can read or change the database. Pass it as a query parameter.',
    },
    docs: {
      whatItDoes:
        'Follows data from attacker-controlled sources (Flask/Django/FastAPI request data and route parameters, `input()`, `sys.argv`, socket reads, and sources you declare) through assignments, string building, containers and functions of the same module to the SQL text of DB-API `execute`/`executemany`/`executescript`, SQLAlchemy `text()`/`exec_driver_sql()`, Django `raw()`/`extra()`/`RawSQL`, and pandas `read_sql`. Values passed as query parameters are never flagged; values converted with `int()`/`float()`/`uuid.UUID()`, checked against an allow-list, or overwritten with constants before the query are not flagged either.',
      whyBad:
        'When request data is pasted into SQL text, the database cannot tell where the value ends and the query begins: `x\' OR \'1\'=\'1` turns a lookup into a dump of the table, and `x\'; DROP TABLE users; --` destroys it. SQL injection leaks data, bypasses logins and, on some databases, runs commands on the server.',
      example:
        'from flask import Flask, request\nimport sqlite3\n\napp = Flask(__name__)\n\n@app.route("/users")\ndef users():\n    name = request.args.get("name", "")\n    db = sqlite3.connect("app.db")\n    rows = db.execute(f"SELECT * FROM users WHERE name = \'{name}\'").fetchall()\n    return {"users": rows}',
      useInstead:
        'from flask import Flask, request\nimport sqlite3\n\napp = Flask(__name__)\n\n@app.route("/users")\ndef users():\n    name = request.args.get("name", "")\n    db = sqlite3.connect("app.db")\n    rows = db.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchall()\n    return {"users": rows}',
      fixSafety:
        'No automatic fix: the placeholder style depends on the driver (`?`, `%s`, `:name`), and identifiers (table or column names) cannot be parameters: map them through an allow-list instead. If you have a validation function pysec does not know, declare it under `taint.sanitizers` in `.github/pysec.yml`.',
      references: [
        'https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html',
        'https://cheatsheetseries.owasp.org/cheatsheets/Query_Parameterization_Cheat_Sheet.html',
        'https://docs.python.org/3/library/sqlite3.html#sqlite3-placeholders',
        'https://docs.djangoproject.com/en/stable/topics/db/sql/',
      ],
    },
    fixable: false,
  },
  callFilter: sqlCallFilter,
  sinks(ctx, call) {
    return sqlSinks(ctx, call)
      .filter(({ query, needsSqlText }) => {
        // `session.execute(text(q))`: the inner text() call is the sink that reports.
        const inner = unparen(query);
        if (inner.type === 'call' && sqlCallFilter(ctx.calleeName(inner), '') && ctx.calleeName(inner) !== null) return false;
        if (!needsSqlText) return true;
        // `.execute()` of an unknown receiver: SQL when the text reads as SQL, or when the module
        // uses a database driver and the receiver is named like a cursor/connection/session.
        const built = builtString(ctx, query);
        if (built) return looksLikeSql(built.template);
        return usesDatabase(ctx) && DB_RECEIVER.test(receiverName(call) ?? '');
      })
      .map(({ query, sink }) => ({ node: query, sink }));
  },
});

import { createRule, type Severity } from '../../core/types.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, unparen } from '../../python/ast.js';
import { constantString } from '../../python/values.js';
import { isTestPath } from '../../python/module-info.js';

/** Methods of DB-API cursors, SQLAlchemy connections and Alembic's `op` that run their first argument. */
const EXECUTE_METHODS = new Set(['execute', 'executescript', 'exec_driver_sql']);

/** Functions whose first argument (or `keyword`) is SQL text, by qualified name. */
const SQL_FUNCTIONS: Record<string, string> = {
  'sqlalchemy.text': 'text',
  'sqlalchemy.sql.text': 'text',
  'sqlalchemy.sql.expression.text': 'text',
  'sqlalchemy.DDL': 'statement',
  'sqlalchemy.schema.DDL': 'statement',
  'django.db.migrations.RunSQL': 'sql',
  'django.db.migrations.operations.RunSQL': 'sql',
  'django.db.migrations.operations.special.RunSQL': 'sql',
  'psycopg2.sql.SQL': 'string',
  'psycopg.sql.SQL': 'string',
};

/** Cheap text test: every statement the rule reports contains one of these words. */
const CANDIDATE = /grant|superuser|sysadmin|db_owner/i;

type Hazard = 'superuser' | 'globalGrant' | 'grantAll' | 'public' | 'grantOption';

interface Match {
  hazard: Hazard;
  severity: Severity;
  statement: string;
}

/** Comments and quoted literals removed, so `-- GRANT ALL` or `'grant all'` inside data do not count. */
function stripSql(sql: string): string {
  return sql
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/--[^\n]*/g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''");
}

/** Patterns in order of precedence: a statement is reported once, for its worst hazard. */
const CHECKS: { hazard: Hazard; severity: Severity; test: (s: string) => boolean }[] = [
  {
    hazard: 'superuser',
    severity: 'high',
    test: (s) =>
      /^(?:create|alter)\s+(?:user|role)\b[\s\S]*\bsuperuser\b/i.test(s) ||
      /^alter\s+server\s+role\s+\[?sysadmin\]?\s+add\s+member\b/i.test(s) ||
      /^alter\s+role\s+\[?db_owner\]?\s+add\s+member\b/i.test(s) ||
      /^(?:exec(?:ute)?\s+)?(?:\w+\.)*sp_addsrvrolemember\b[\s\S]*\bsysadmin\b/i.test(s),
  },
  { hazard: 'globalGrant', severity: 'high', test: (s) => /^grant\b[\s\S]*?\bon\s+\*\.\*/i.test(s) },
  { hazard: 'grantAll', severity: 'medium', test: (s) => /^grant\s+all(?:\s+privileges)?\b/i.test(s) },
  { hazard: 'public', severity: 'medium', test: (s) => /^grant\b[\s\S]*\bto\s+public\b/i.test(s) },
  { hazard: 'grantOption', severity: 'medium', test: (s) => /^grant\b[\s\S]*\bwith\s+(?:grant|admin)\s+option\b/i.test(s) },
];

/** The first over-privileged statement in a piece of SQL, or null. */
function findExcessivePrivilege(sql: string): Match | null {
  if (!CANDIDATE.test(sql)) return null;
  for (const raw of stripSql(sql).split(';')) {
    const statement = raw.trim().replace(/\s+/g, ' ');
    if (!statement) continue;
    for (const check of CHECKS) {
      if (check.test(statement)) {
        return { hazard: check.hazard, severity: check.severity, statement: statement.length > 60 ? `${statement.slice(0, 57)}...` : statement };
      }
    }
  }
  return null;
}

/** SQL strings given as the argument: one string, or a list/tuple of them (RunSQL, executescript). */
function sqlStrings(ctx: RuleContext, node: SyntaxNode | null): { node: SyntaxNode; sql: string }[] {
  if (!node) return [];
  const n = unparen(node);
  if (n.type === 'list' || n.type === 'tuple') {
    return n.namedChildren.flatMap((c) => {
      // RunSQL also takes (sql, params) pairs.
      const item = c.type === 'tuple' || c.type === 'parenthesized_expression' ? (unparen(c).namedChildren[0] ?? null) : c;
      const sql = constantString(ctx, item);
      return item && sql !== null ? [{ node: item, sql }] : [];
    });
  }
  const sql = constantString(ctx, n);
  return sql === null ? [] : [{ node: n, sql }];
}

export default createRule({
  meta: {
    id: 'sql-excessive-privilege',
    area: 'database',
    summary: 'SQL run by the application grants broad privileges: GRANT ALL, grants to PUBLIC or on *.*, WITH GRANT OPTION, or a superuser role.',
    severity: 'medium',
    confidence: 'high',
    cwe: ['CWE-250', 'CWE-269'],
    owasp: ['A04:2021', 'A01:2021'],
    messages: {
      superuser:
        'This SQL makes a database account a superuser (`{{statement}}`): the account bypasses every permission check, and whoever controls it can read and change all data and often run commands on the database host.',
      globalGrant:
        'This SQL grants privileges on every database of the server (`{{statement}}`): the account can read or change data far beyond what this application needs.',
      grantAll:
        'This SQL grants ALL privileges (`{{statement}}`): the account can also drop, truncate and alter what it only needs to read or write, so a SQL injection or a leaked password does far more damage. Grant only the privileges the code uses.',
      public:
        'This SQL grants privileges to PUBLIC (`{{statement}}`): every current and future database account gets them, not only this application.',
      grantOption:
        'This SQL grants privileges WITH GRANT/ADMIN OPTION (`{{statement}}`): the grantee can hand the same privileges on to any other account.',
    },
    docs: {
      whatItDoes:
        'Flags SQL literals run by the application (as the argument of `.execute()`, `.executescript()`, `.exec_driver_sql()`, Alembic `op.execute()`, SQLAlchemy `text()`/`DDL()`, psycopg `sql.SQL()` and Django `migrations.RunSQL()`, directly or through a name bound once to the literal) that grant more than an application account needs: `GRANT ALL [PRIVILEGES]`, grants `ON *.*`, grants `TO PUBLIC`, `WITH GRANT OPTION` / `WITH ADMIN OPTION`, `CREATE/ALTER USER|ROLE ... SUPERUSER`, and SQL Server `sysadmin`/`db_owner` membership. Comments and quoted values inside the SQL are ignored, as are `REVOKE`, `NOSUPERUSER` and specific grants such as `GRANT SELECT ON orders TO reporting`. Test files are skipped.',
      whyBad:
        'Least privilege limits the damage of every other bug. An application account with ALL privileges or superuser rights turns a SQL injection, a leaked connection string or a compromised dependency into full control of the database: dropping tables, reading other schemas, creating accounts, and on PostgreSQL (`COPY ... PROGRAM`) or MySQL (`FILE`) reaching the server\'s file system and shell. Grants to PUBLIC apply to every account, including ones created later, and WITH GRANT OPTION lets the privilege spread beyond anyone\'s review.',
      example:
        'from alembic import op\n\ndef upgrade():\n    op.execute("GRANT ALL PRIVILEGES ON DATABASE shop TO shop_app")',
      useInstead:
        'from alembic import op\n\ndef upgrade():\n    # Only what the application actually does with its tables.\n    op.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA shop TO shop_app")',
      fixSafety:
        'No automatic fix: which privileges the account needs depends on the queries the application runs. List them explicitly (SELECT, INSERT, UPDATE, DELETE on the tables used) and keep schema changes (CREATE, ALTER, DROP) for a separate migration account.',
      references: [
        'https://cheatsheetseries.owasp.org/cheatsheets/Database_Security_Cheat_Sheet.html#permissions',
        'https://www.postgresql.org/docs/current/sql-grant.html',
        'https://dev.mysql.com/doc/refman/8.0/en/grant.html',
        'https://owasp.org/Top10/A04_2021-Insecure_Design/',
      ],
    },
    fixable: false,
  },
  callFilter: (name, method) => EXECUTE_METHODS.has(method) || (name !== null && Object.hasOwn(SQL_FUNCTIONS, name)),
  create(ctx) {
    if (isTestPath(ctx.path)) return {};
    return {
      call(node) {
        const fn = node.childForFieldName('function');
        if (!fn) return;
        const name = ctx.calleeName(node);
        let arg: SyntaxNode | null = null;
        if (name !== null && Object.hasOwn(SQL_FUNCTIONS, name)) {
          arg = argument(node, 0, SQL_FUNCTIONS[name]);
        } else if (fn.type === 'attribute' && EXECUTE_METHODS.has(fn.childForFieldName('attribute')?.text ?? '')) {
          arg = argument(node, 0, 'sql') ?? argument(node, 0, 'statement') ?? argument(node, 0, 'sqltext');
        }
        for (const s of sqlStrings(ctx, arg)) {
          const match = findExcessivePrivilege(s.sql);
          if (!match) continue;
          ctx.report({ node: s.node, messageId: match.hazard, data: { statement: match.statement }, severity: match.severity });
          return;
        }
      },
    };
  },
});

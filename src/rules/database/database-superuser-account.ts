import { createRule, type Confidence } from '../../core/types.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, keywordArg, stringTemplate, stringValue, unparen } from '../../python/ast.js';
import { constantString } from '../../python/values.js';
import { isTestPath } from '../../python/module-info.js';

type Family = 'PostgreSQL' | 'MySQL' | 'SQL Server' | 'MongoDB' | 'Oracle' | 'CockroachDB';

/** The built-in administrative account of each database (and the names conventionally given to it). */
const SUPERUSERS: Record<Family, string[]> = {
  PostgreSQL: ['postgres'],
  MySQL: ['root'],
  'SQL Server': ['sa'],
  MongoDB: ['root', 'admin'],
  Oracle: ['sys', 'system'],
  CockroachDB: ['root'],
};

function schemeFamily(scheme: string): Family | null {
  const s = scheme.toLowerCase().split('+')[0] ?? '';
  if (s === 'postgres' || s === 'postgresql' || s === 'pgsql' || s === 'postgis') return 'PostgreSQL';
  if (s === 'mysql' || s === 'mariadb') return 'MySQL';
  if (s === 'mssql' || s === 'sqlserver') return 'SQL Server';
  if (s === 'mongodb') return 'MongoDB';
  if (s === 'oracle') return 'Oracle';
  if (s === 'cockroachdb') return 'CockroachDB';
  return null;
}

/** Django `ENGINE` values. */
function engineFamily(engine: string): Family | null {
  const e = engine.toLowerCase();
  if (/postgres|postgis|psycopg/.test(e)) return 'PostgreSQL';
  if (/mysql|mariadb/.test(e)) return 'MySQL';
  if (/sql_server|mssql/.test(e)) return 'SQL Server';
  if (/oracle/.test(e)) return 'Oracle';
  if (/cockroach/.test(e)) return 'CockroachDB';
  if (/djongo|mongo/.test(e)) return 'MongoDB';
  return null;
}

/** Driver connect functions, by qualified name. */
const CONNECT_FUNCTIONS: Record<string, Family> = {
  'psycopg2.connect': 'PostgreSQL',
  'psycopg.connect': 'PostgreSQL',
  'psycopg.Connection.connect': 'PostgreSQL',
  'psycopg.AsyncConnection.connect': 'PostgreSQL',
  'asyncpg.connect': 'PostgreSQL',
  'asyncpg.create_pool': 'PostgreSQL',
  'pg8000.connect': 'PostgreSQL',
  'pg8000.native.Connection': 'PostgreSQL',
  'pymysql.connect': 'MySQL',
  'pymysql.Connect': 'MySQL',
  'pymysql.connections.Connection': 'MySQL',
  'MySQLdb.connect': 'MySQL',
  'MySQLdb.Connect': 'MySQL',
  'mysql.connector.connect': 'MySQL',
  'aiomysql.connect': 'MySQL',
  'aiomysql.create_pool': 'MySQL',
  'mariadb.connect': 'MySQL',
  'pymssql.connect': 'SQL Server',
  'pymongo.MongoClient': 'MongoDB',
  'motor.motor_asyncio.AsyncIOMotorClient': 'MongoDB',
};

/** `sqlalchemy.URL.create("postgresql+psycopg2", username=..., host=...)`. */
const URL_CREATE = new Set(['sqlalchemy.URL.create', 'sqlalchemy.engine.URL.create', 'sqlalchemy.engine.url.URL.create']);

/** `scheme://user[:password]@host…` as a whole string (no spaces). */
const URL = /^([a-z][a-z0-9+._-]*):\/\/([^:@/\s]+)(?::([^@/\s]*))?@([^/?#\s]*)(?:[/?#]\S*)?$/i;

/** Hosts that only exist on the developer's machine (an empty host is the local socket). */
function isLocalHost(hostPort: string): boolean {
  const first = hostPort.split(',')[0] ?? '';
  const host = first.replace(/^\[([^\]]*)\].*$/, '$1').replace(/:\d*$/, '').toLowerCase();
  return host === '' || host === 'localhost' || host === '::1' || host === '0.0.0.0' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Words in a file name that say it configures development, not production. */
const DEV_WORDS = new Set(['dev', 'devel', 'develop', 'development', 'local', 'example', 'sample', 'docker', 'compose']);

function isDevPath(path: string): boolean {
  const file = path.toLowerCase().split(/[\\/]/).pop() ?? '';
  return file.replace(/\.pyi?$/, '').split(/[_\-.]/).some((w) => DEV_WORDS.has(w));
}

function isDocString(node: SyntaxNode): boolean {
  return node.parent?.type === 'expression_statement' && node.parent.namedChildCount === 1;
}

function isSuperuser(family: Family, user: string): boolean {
  return SUPERUSERS[family].includes(user.toLowerCase());
}

/**
 * The host given to a driver call: a literal (judged by isLocalHost), `unknown` when it is
 * computed (the usual production setup), null when absent (the driver's local default).
 */
function hostOf(ctx: RuleContext, call: SyntaxNode, names: string[]): string | 'unknown' | null {
  for (const name of names) {
    const v = keywordArg(call, name);
    if (!v) continue;
    const s = constantString(ctx, v);
    return s === null ? 'unknown' : s;
  }
  return null;
}

/** libpq key/value DSN: `"host=db user=postgres dbname=app"`. */
function dsnField(dsn: string, key: string): string | null {
  const m = new RegExp(`(?:^|\\s)${key}\\s*=\\s*'?([^\\s']*)`).exec(dsn);
  return m?.[1] ?? null;
}

export default createRule({
  meta: {
    id: 'database-superuser-account',
    area: 'database',
    summary: 'The application connects to its database as the built-in superuser (postgres, root, sa, ...).',
    severity: 'medium',
    confidence: 'medium',
    cwe: ['CWE-250'],
    owasp: ['A04:2021'],
    messages: {
      account:
        'The application connects to {{family}} as `{{user}}`, the database superuser: a SQL injection or a leaked connection string then gives full control of every database on the server, not just this application\'s tables. Create a dedicated account with only the privileges the application needs.',
    },
    docs: {
      whatItDoes:
        'Flags connections made with a database\'s built-in administrative account: `postgres` (PostgreSQL), `root` (MySQL/MariaDB, CockroachDB), `sa` (SQL Server), `root`/`admin` (MongoDB), `sys`/`system` (Oracle). It looks at database URLs in string literals (`postgresql://postgres:...@db/app`, passed to `create_engine` or assigned to `SQLALCHEMY_DATABASE_URI`/`DATABASE_URL`), at the `user=`/`username=` of driver calls (`psycopg2.connect`, `pymysql.connect`, `mysql.connector.connect`, `asyncpg.connect`, `pymssql.connect`, `MongoClient`, `sqlalchemy.URL.create`, and libpq DSN strings), and at Django `DATABASES` entries with `"USER": "postgres"` / `"root"` / `"sa"`. A URL whose password equals the user name (`postgres:postgres@db`, the stock password of a throwaway container) is reported with low confidence. Connections to the local machine (`localhost`, `127.0.0.1`, a Unix socket, or no host given) are not flagged, since that is the usual developer set-up; neither are test files or files named for development (`settings_dev.py`, `local_settings.py`, `docker_settings.py`).',
      whyBad:
        'The superuser bypasses every permission check in the database. If the application connects as it, any SQL injection, any leak of the connection string and any compromised dependency can read and change every database on the server, create accounts, and on PostgreSQL (`COPY ... TO PROGRAM`) or MySQL (`SELECT ... INTO OUTFILE`) reach the database host\'s files and shell. Least privilege keeps the damage of such bugs to the application\'s own tables.',
      example:
        'import os\nfrom sqlalchemy import create_engine\n\nengine = create_engine(f"postgresql://postgres:{os.environ[\'PGPASSWORD\']}@db.internal/shop")\n\nDATABASES = {"default": {"ENGINE": "django.db.backends.mysql", "HOST": "mysql.internal", "USER": "root"}}',
      useInstead:
        'import os\nfrom sqlalchemy import create_engine\n\n# A dedicated account that owns nothing but the tables the application uses.\nengine = create_engine(os.environ["DATABASE_URL"])  # postgresql://shop_app:...@db.internal/shop\n\nDATABASES = {"default": {"ENGINE": "django.db.backends.mysql", "HOST": "mysql.internal", "USER": "shop_app"}}',
      fixSafety:
        'No automatic fix: create a dedicated database account, grant it only the privileges the application uses (and keep schema migrations on a separate account if possible), then change the connection settings.',
      references: [
        'https://cheatsheetseries.owasp.org/cheatsheets/Database_Security_Cheat_Sheet.html#permissions',
        'https://www.postgresql.org/docs/current/role-attributes.html',
        'https://dev.mysql.com/doc/refman/8.0/en/account-management-statements.html',
      ],
    },
    fixable: false,
  },
  callFilter: (name) => name !== null && (Object.hasOwn(CONNECT_FUNCTIONS, name) || URL_CREATE.has(name)),
  textFilters: {
    string: (text) => text.includes('://'),
    dictionary: (text) => text.includes('USER'),
  },
  create(ctx) {
    if (isTestPath(ctx.path) || isDevPath(ctx.path)) return {};

    const report = (node: SyntaxNode, family: Family, user: string, confidence?: Confidence): void => {
      ctx.report({ node, messageId: 'account', data: { family, user }, ...(confidence ? { confidence } : {}) });
    };

    /** A string literal naming the user (`user="root"`), with a non-local host. */
    const checkUser = (userNode: SyntaxNode | null, family: Family, host: string | 'unknown' | null): void => {
      if (!userNode || host === null || (host !== 'unknown' && isLocalHost(host))) return;
      const user = constantString(ctx, userNode);
      if (user !== null && isSuperuser(family, user)) report(unparen(userNode), family, user);
    };

    return {
      string(node) {
        if (node.parent?.type === 'concatenated_string' || isDocString(node)) return;
        // f-strings too: `f"postgresql://postgres:{pw}@{host}/app"` still names the account.
        const m = URL.exec(stringTemplate(node).trim());
        if (!m) return;
        const [, scheme = '', rawUser = '', password, host = ''] = m;
        const family = schemeFamily(scheme);
        const user = decodeURIComponentSafe(rawUser);
        if (!family || !isSuperuser(family, user) || isLocalHost(host)) return;
        // `postgres:postgres@db`: the stock password of a throwaway container, typical of docker-compose set-ups.
        report(node, family, user, password !== undefined && decodeURIComponentSafe(password) === user ? 'low' : undefined);
      },
      call(node) {
        const name = ctx.calleeName(node);
        if (!name) return;
        if (URL_CREATE.has(name)) {
          const driver = constantString(ctx, argument(node, 0, 'drivername'));
          const family = driver ? schemeFamily(driver) : null;
          if (family) checkUser(keywordArg(node, 'username'), family, hostOf(ctx, node, ['host']));
          return;
        }
        const family = Object.hasOwn(CONNECT_FUNCTIONS, name) ? CONNECT_FUNCTIONS[name] : undefined;
        if (!family) return;
        if (family === 'PostgreSQL') {
          // libpq DSN as the first argument.
          const first = argument(node, 0, 'dsn');
          const dsn = first ? constantString(ctx, first) : null;
          if (first && dsn !== null && !dsn.includes('://')) {
            const user = dsnField(dsn, 'user');
            const host = dsnField(dsn, 'host') ?? hostOf(ctx, node, ['host']);
            if (user && isSuperuser(family, user) && host !== null && (host === 'unknown' || !isLocalHost(host))) {
              report(unparen(first), family, user);
            }
            return;
          }
        }
        const userNode = keywordArg(node, 'user') ?? keywordArg(node, 'username') ?? keywordArg(node, 'uid');
        checkUser(userNode, family, hostOf(ctx, node, ['host', 'server', 'hostname', 'unix_socket']));
      },
      dictionary(node) {
        // Django: {"ENGINE": "django.db.backends.postgresql", "USER": "postgres", "HOST": "db"}
        let engine: string | null = null;
        let user: SyntaxNode | null = null;
        let host: SyntaxNode | null = null;
        for (const pair of node.namedChildren) {
          if (pair.type !== 'pair') continue;
          const key = stringValue(pair.childForFieldName('key'));
          const value = pair.childForFieldName('value');
          if (key === 'ENGINE') engine = constantString(ctx, value);
          else if (key === 'USER') user = value;
          else if (key === 'HOST') host = value;
        }
        const family = engine ? engineFamily(engine) : null;
        if (!family || !user || !host) return;
        const h = constantString(ctx, host);
        checkUser(user, family, h === null ? 'unknown' : h);
      },
    };
  },
});

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

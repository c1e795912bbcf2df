import { createRule, type Confidence } from '../../core/types.js';
import type { SyntaxNode } from '../../python/parser.js';
import { stringValue } from '../../python/ast.js';
import { WEAK_DEFAULTS, isPlaceholder, isTestPath } from '../../python/secrets.js';

/** URL schemes of databases (with an optional `+driver`, as SQLAlchemy writes them). */
const DB_SCHEME =
  /^(?:postgres(?:ql)?|pgsql|postgis|cockroachdb|redshift|mysql|mariadb|mssql|sqlserver|oracle|mongodb(?:\+srv)?|redis|rediss|clickhouse|snowflake|db2|ibm_db_sa|firebird|sybase|teradatasql|vertica|presto|trino)(?:\+[a-z0-9_]+)?$/i;

/** `scheme://user:password@host…` as a whole string (no spaces). */
const URL_WITH_PASSWORD = /^([a-z][a-z0-9+._-]*):\/\/([^:@/\s]*):([^@/\s]+)@([^/?#\s]*)(?:[/?#]\S*)?$/i;

/** Passwords that only say where the real one goes. */
const PLACEHOLDER_PASSWORDS = new Set([
  'password', 'passwd', 'pass', 'pwd', 'pw', 'secret', 'mypassword', 'yourpassword', 'your_password', 'dbpassword',
  'db_password', 'db_pass', 'user_password', 'userpassword', 'pword', 'passw', 'p', 'pass123',
  // SQLAlchemy's documentation examples.
  'tiger',
]);

/** Hosts that only exist on the developer's machine. */
function isLocalHost(hostPort: string): boolean {
  const first = hostPort.split(',')[0] ?? '';
  const host = first.replace(/^\[([^\]]*)\].*$/, '$1').replace(/:\d*$/, '').toLowerCase();
  return host === '' || host === 'localhost' || host === '::1' || host === '0.0.0.0' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Words in a settings file name that say it is for development, not production. */
const DEV_WORDS = new Set(['dev', 'devel', 'develop', 'development', 'local', 'example', 'sample']);

function isDevSettingsPath(path: string): boolean {
  const file = path.toLowerCase().split(/[\\/]/).pop() ?? '';
  return file.replace(/\.pyi?$/, '').split(/[_\-.]/).some((w) => DEV_WORDS.has(w));
}

/** Docstrings and bare string statements are documentation, not configuration. */
function isDocString(node: SyntaxNode): boolean {
  return node.parent?.type === 'expression_statement' && node.parent.namedChildCount === 1;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export default createRule({
  meta: {
    id: 'database-url-credentials',
    area: 'database',
    summary: 'A database URL with an inline password is written as a string literal.',
    severity: 'high',
    confidence: 'high',
    cwe: ['CWE-798'],
    owasp: ['A07:2021'],
    messages: {
      url:
        'This {{scheme}} URL contains a hard-coded password for `{{user}}`@`{{host}}`: everyone with access to the code can log in to the database, and the password cannot be rotated without a release. Read the URL (or its password) from the environment or a secret manager.',
    },
    docs: {
      whatItDoes:
        'Flags string literals that are a whole database URL with a password in it, such as `postgresql://app:s3cret@db.internal/prod`, `mysql+pymysql://user:pw@host/db`, `mongodb+srv://user:pw@cluster/...` or `redis://:pw@cache:6379/0`, wherever they appear: passed to `create_engine()`, `psycopg2.connect()` or `MongoClient()`, assigned to `SQLALCHEMY_DATABASE_URI` / `DATABASE_URL`, or used as the default of `os.environ.get(...)`. Stand-ins are not flagged: `${DB_PASSWORD}`, `<password>`, `{password}`, `%(password)s`, `password`, `pass`, `xxx`, `***` and similar, nor URLs built at run time (f-strings, `.format()`, `URL.create(password=os.environ[...])`) and docstrings. URLs that point at the local machine (`localhost`, `127.0.0.1`), whose password equals the user name (`postgres:postgres`), or that sit in development settings files (`settings_dev.py`, `local_settings.py`) are reported with low confidence; well-known default passwords (`admin`, `root`, `changeme`) with medium confidence. Test files are skipped.',
      whyBad:
        'A connection string in the source gives the database password to everyone who can read the repository, its forks, CI logs, packages and container images, and it stays in git history after it is removed. Database passwords are rarely rotated, often shared between environments, and grant direct access to the data the application protects, bypassing all of its own access checks.',
      example:
        'from sqlalchemy import create_engine\n\nengine = create_engine("postgresql+psycopg2://shop:Xk9!fr2Lq@db.internal:5432/shop")',
      useInstead:
        'import os\nfrom sqlalchemy import create_engine\n\n# The whole URL comes from the deployment (environment, secret manager).\nengine = create_engine(os.environ["DATABASE_URL"])',
      fixSafety:
        'No automatic fix: the URL has to move to the deployment (an environment variable or a secret manager), and because the password is already in the git history it should be rotated.',
      references: [
        'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html',
        'https://docs.sqlalchemy.org/en/20/core/engines.html#database-urls',
        'https://12factor.net/config',
      ],
    },
    fixable: false,
    redactSnippet: true,
  },
  fileFilter: (source) => source.includes('://') && source.includes('@'),
  textFilters: {
    string: (text) => text.includes('://') && text.includes('@'),
  },
  create(ctx) {
    if (isTestPath(ctx.path)) return {};
    const devSettings = isDevSettingsPath(ctx.path);
    return {
      string(node) {
        if (node.parent?.type === 'concatenated_string' || isDocString(node)) return;
        const value = stringValue(node);
        if (value === null) return;
        const m = URL_WITH_PASSWORD.exec(value.trim());
        if (!m) return;
        const [, scheme = '', rawUser = '', rawPassword = '', host = ''] = m;
        if (!DB_SCHEME.test(scheme)) return;
        const user = safeDecode(rawUser);
        const password = safeDecode(rawPassword);
        if (isPlaceholder(password) || PLACEHOLDER_PASSWORDS.has(password.toLowerCase())) return;
        let confidence: Confidence = 'high';
        if (WEAK_DEFAULTS.has(password.toLowerCase())) confidence = 'medium';
        if (isLocalHost(host) || password === user || devSettings) confidence = 'low';
        ctx.report({
          node,
          messageId: 'url',
          data: { scheme: scheme.split('+')[0] ?? scheme, user: user || '(no user)', host: host || 'localhost' },
          confidence,
        });
      },
    };
  },
});

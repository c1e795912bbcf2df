import { createRule } from '../../core/types.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, keywordArg, unparen } from '../../python/ast.js';
import { builtString, isConstant, type BuiltString } from '../../python/values.js';
import { taintAt } from '../../python/taint.js';
import { importsPackage } from '../../python/module-info.js';

/**
 * Methods of DB-API cursors/connections and SQLAlchemy sessions/connections that run their
 * first argument as SQL. The receiver cannot be resolved statically, so the template must
 * also look like SQL (see SQL_TEXT).
 */
const EXECUTE_METHODS = new Set(['execute', 'executemany', 'executescript', 'mogrify', 'exec_driver_sql']);

/** Keyword names the query travels under in the common drivers. */
const QUERY_KEYWORDS = ['sql', 'query', 'operation', 'statement', 'sql_script'];

interface Sink {
  /** Display name of the sink. */
  name: string;
  /** Where the query argument sits. */
  index: number;
  keyword: string;
  /** True when the function is not known to take SQL, so the template must look like SQL. */
  needsSqlText: boolean;
}

/** Functions whose argument is SQL text, by qualified name. */
const SQL_FUNCTIONS: Record<string, Sink> = {
  'sqlalchemy.text': { name: 'sqlalchemy.text', index: 0, keyword: 'text', needsSqlText: false },
  'sqlalchemy.sql.text': { name: 'sqlalchemy.text', index: 0, keyword: 'text', needsSqlText: false },
  'sqlalchemy.sql.expression.text': { name: 'sqlalchemy.text', index: 0, keyword: 'text', needsSqlText: false },
  'django.db.models.expressions.RawSQL': { name: 'RawSQL', index: 0, keyword: 'sql', needsSqlText: false },
  'django.db.models.RawSQL': { name: 'RawSQL', index: 0, keyword: 'sql', needsSqlText: false },
  // read_sql also accepts a table name, which it does not interpolate: require SQL text.
  'pandas.read_sql': { name: 'pandas.read_sql', index: 0, keyword: 'sql', needsSqlText: true },
  'pandas.io.sql.read_sql': { name: 'pandas.read_sql', index: 0, keyword: 'sql', needsSqlText: true },
  'pandas.read_sql_query': { name: 'pandas.read_sql_query', index: 0, keyword: 'sql', needsSqlText: false },
  'pandas.io.sql.read_sql_query': { name: 'pandas.read_sql_query', index: 0, keyword: 'sql', needsSqlText: false },
  // psycopg's composition API does no escaping of the text given to SQL() itself.
  'psycopg2.sql.SQL': { name: 'psycopg2.sql.SQL', index: 0, keyword: 'string', needsSqlText: true },
  'psycopg.sql.SQL': { name: 'psycopg.sql.SQL', index: 0, keyword: 'string', needsSqlText: true },
};

/**
 * Static template text that reads as SQL: a statement shape or a clause keyword, as words,
 * in any case. Plain English passed to an unrelated `.execute()` rarely matches these.
 */
const SQL_TEXT = [
  /\bselect\b[\s\S]*?\bfrom\b/i,
  /^\s*\(?\s*select\s/i,
  /\binsert\s+(?:or\s+\w+\s+|ignore\s+)?into\b/i,
  /\breplace\s+into\b/i,
  /\bupdate\b[\s\S]*?\bset\b/i,
  /\bdelete\s+from\b/i,
  /\b(?:create|drop|alter|truncate)\s+(?:(?:or\s+replace|temporary|temp|unique|materialized|if\s+(?:not\s+)?exists)\s+)*(?:table|index|view|database|schema|user|role|trigger|sequence|function|procedure)\b/i,
  /\bwhere\b/i,
  /\border\s+by\b/i,
  /\bgroup\s+by\b/i,
  /\bhaving\b/i,
  /\bvalues\s*\(/i,
  /^\s*pragma\s/i,
  /^\s*with\s+\w+\s+as\s*\(/i,
  /\bgrant\s+\w+/i,
];

export function looksLikeSql(template: string): boolean {
  return SQL_TEXT.some((re) => re.test(template));
}

/** Conversions whose result cannot carry a quote or SQL syntax. */
const NUMERIC_CONVERSIONS = new Set(['int', 'float', 'bool', 'len', 'uuid.UUID']);

function isSafePart(ctx: RuleContext, node: SyntaxNode | null): boolean {
  if (!node) return false;
  const n = unparen(node);
  if (isConstant(ctx, n)) return true;
  if (n.type === 'call') {
    const name = ctx.calleeName(n);
    return name !== null && NUMERIC_CONVERSIONS.has(name);
  }
  return false;
}

/** `%` conversions in a template, `%%` excluded: `"id = %d and n = %(n)s"` → ['d', 's']. */
function percentConversions(template: string): string[] {
  const out: string[] = [];
  for (const m of template.matchAll(/%(?:\([^)]*\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?([a-zA-Z%])/g)) {
    if (m[1] !== '%') out.push(m[1] ?? '');
  }
  return out;
}

function concatParts(n: SyntaxNode): SyntaxNode[] {
  const u = unparen(n);
  if (u.type === 'binary_operator' && u.child(1)?.type === '+') {
    const l = u.childForFieldName('left');
    const r = u.childForFieldName('right');
    return [...(l ? concatParts(l) : []), ...(r ? concatParts(r) : [])];
  }
  return [u];
}

function interpolations(n: SyntaxNode): SyntaxNode[] {
  if (n.type === 'concatenated_string') return n.namedChildren.flatMap(interpolations);
  if (n.type !== 'string') return [];
  return n.namedChildren
    .filter((c) => c.type === 'interpolation')
    .map((c) => c.childForFieldName('expression'))
    .filter((e): e is SyntaxNode => e !== null);
}

/**
 * True when every run-time part of the built string is a number (`int(x)`, `len(rows)`)
 * or the `%` template takes only numeric conversions (`%d`), so nothing can break out of
 * the SQL syntax.
 */
function onlyNumericParts(ctx: RuleContext, built: BuiltString): boolean {
  const n = built.node;
  switch (built.kind) {
    case 'f-string':
      return interpolations(n).every((e) => isSafePart(ctx, e));
    case 'format': {
      const args = n.childForFieldName('arguments');
      if (!args) return false;
      return args.namedChildren.every((a) => {
        if (a.type === 'comment') return true;
        if (a.type === 'keyword_argument') return isSafePart(ctx, a.childForFieldName('value'));
        return isSafePart(ctx, a);
      });
    }
    case 'percent': {
      const conversions = percentConversions(built.template);
      if (conversions.length > 0 && conversions.every((c) => 'diouxXeEfFgG'.includes(c))) return true;
      const right = n.childForFieldName('right');
      if (!right) return false;
      const r = unparen(right);
      if (r.type === 'tuple') return r.namedChildren.every((c) => c.type === 'comment' || isSafePart(ctx, c));
      return isSafePart(ctx, r);
    }
    case 'concatenation':
      return concatParts(n).every((p) => isSafePart(ctx, p));
  }
}

export interface SqlSink {
  query: SyntaxNode;
  /** Display name of the sink. */
  sink: string;
  /** The receiver is not known to run SQL: the text must read as SQL. */
  needsSqlText: boolean;
}

const queryArgument = (call: SyntaxNode, keywords: readonly string[]): SyntaxNode | null => {
  for (const k of keywords) {
    const v = keywordArg(call, k);
    if (v) return v;
  }
  return argument(call, 0);
};

/** `X.objects.<method>`: a Django manager, or any call in a module that imports Django. */
function isDjangoQuerySet(ctx: RuleContext, obj: SyntaxNode | null): boolean {
  for (let n = obj ? unparen(obj) : null; n; ) {
    if (n.type === 'attribute') {
      if (n.childForFieldName('attribute')?.text === 'objects') return true;
      n = n.childForFieldName('object');
    } else if (n.type === 'call') {
      n = n.childForFieldName('function');
    } else {
      break;
    }
  }
  return importsPackage(ctx, 'django');
}

/**
 * `audit = AuditLog(); audit.execute(...)` where `AuditLog` is a class of this module that
 * defines the method itself: not a database cursor (a flow into real SQL inside that method
 * is found there).
 */
function localClassDefines(ctx: RuleContext, obj: SyntaxNode, method: string): boolean {
  const value = ctx.valueOf(obj);
  const call = value ? unparen(value) : null;
  const fn = call?.type === 'call' ? call.childForFieldName('function') : null;
  if (fn?.type !== 'identifier') return false;
  const r = ctx.resolve(fn);
  if (r.kind !== 'local') return false;
  const body = r.scope.node.type === 'module' ? r.scope.node : r.scope.node.childForFieldName('body');
  for (const c of body?.namedChildren ?? []) {
    const def = c.type === 'decorated_definition' ? c.childForFieldName('definition') : c;
    if (def?.type !== 'class_definition' || def.childForFieldName('name')?.text !== fn.text) continue;
    // A subclass of something else may inherit a real cursor: only plain classes count.
    if (def.childForFieldName('superclasses')?.namedChildren.some((b) => b.text !== 'object')) return false;
    return (def.childForFieldName('body')?.namedChildren ?? []).some((m) => {
      const d = m.type === 'decorated_definition' ? m.childForFieldName('definition') : m;
      return d?.type === 'function_definition' && d.childForFieldName('name')?.text === method;
    });
  }
  return false;
}

/** The SQL text arguments of a call to a database API (shared with sql-injection). */
export function sqlSinks(ctx: RuleContext, node: SyntaxNode): SqlSink[] {
  const out: SqlSink[] = [];
  const add = (query: SyntaxNode | null, sink: string, needsSqlText: boolean): void => {
    if (query) out.push({ query, sink, needsSqlText });
  };
  const fn = node.childForFieldName('function');
  if (!fn) return out;
  const qualified = ctx.calleeName(node);
  const known = qualified !== null ? SQL_FUNCTIONS[qualified] : undefined;
  if (known) {
    add(queryArgument(node, [known.keyword]), `${known.name}()`, known.needsSqlText);
    return out;
  }
  if (fn.type !== 'attribute') return out;
  const method = fn.childForFieldName('attribute')?.text ?? '';
  const obj = fn.childForFieldName('object');
  if (EXECUTE_METHODS.has(method)) {
    if (obj && localClassDefines(ctx, obj, method)) return out;
    add(queryArgument(node, QUERY_KEYWORDS), `.${method}()`, true);
  } else if (method === 'raw') {
    const o = obj ? unparen(obj) : null;
    if (o?.type === 'attribute' && o.childForFieldName('attribute')?.text === 'objects') {
      add(queryArgument(node, ['raw_query']), '.objects.raw()', false);
    }
  } else if (method === 'extra' && isDjangoQuerySet(ctx, obj)) {
    const where = keywordArg(node, 'where');
    if (where && (where.type === 'list' || where.type === 'tuple')) {
      for (const w of where.namedChildren) if (w.type !== 'comment') add(w, '.extra(where=...)', false);
    }
    const select = keywordArg(node, 'select');
    if (select?.type === 'dictionary') {
      for (const pair of select.namedChildren) {
        if (pair.type === 'pair') add(pair.childForFieldName('value'), '.extra(select=...)', false);
      }
    }
  }
  return out;
}

/** Whether the call can run SQL: `sqlSinks` found it, for the callFilter of both SQL rules. */
export const sqlCallFilter = (name: string | null, method: string): boolean =>
  (name !== null && Object.hasOwn(SQL_FUNCTIONS, name)) || EXECUTE_METHODS.has(method) || method === 'raw' || method === 'extra';

export default createRule({
  meta: {
    id: 'sql-string-built',
    area: 'database',
    summary: 'An SQL query is built with an f-string, `.format()`, `%` or `+` instead of query parameters.',
    severity: 'high',
    confidence: 'medium',
    cwe: ['CWE-89'],
    owasp: ['A03:2021'],
    bandit: ['B608'],
    ruff: ['S608'],
    messages: {
      built:
        'SQL passed to `{{sink}}` is built with {{how}}; a value containing a quote can change the query (SQL injection): pass values as query parameters instead.',
    },
    docs: {
      whatItDoes:
        'Flags SQL text assembled at run time with an f-string, `str.format()`, `%` formatting or `+` concatenation and then run through a database API: DB-API `execute`/`executemany`/`executescript`/`mogrify` (sqlite3, psycopg, MySQLdb, ...), SQLAlchemy `text()`, `Session.execute()`, `Connection.execute()`/`exec_driver_sql()`, Django `Model.objects.raw()`, `QuerySet.extra(where=..., select=...)`, `RawSQL()` and `connection.cursor().execute()`, pandas `read_sql()`/`read_sql_query()`, and the text given to psycopg `sql.SQL()`. Because a cursor\'s type cannot be known statically, a call to a method named `execute` is only flagged when the literal part of the string reads as SQL (SELECT ... FROM, INSERT INTO, UPDATE ... SET, DELETE FROM, CREATE/DROP/ALTER TABLE, WHERE, ORDER BY, ...). Strings built only from constants or numbers (`int(x)`, `%d`) are not flagged, nor values the taint engine proves safe (overwritten with constants, sanitized, only ever given constants by the callers in the module). When the value comes from attacker-controlled input, `sql-injection` reports the flow instead, so one query gets one finding: this rule covers SQL built from values whose origin cannot be seen (function parameters with no caller in the module, results of other modules).',
      whyBad:
        'When a value is pasted into SQL text, the database cannot tell where the value ends and the query begins. A name such as `x\' OR \'1\'=\'1` turns a lookup into a dump of the whole table, and `x\'; DROP TABLE users; --` can destroy it. SQL injection is one of the most exploited vulnerabilities: it leaks data, bypasses logins and, on some databases, runs commands on the server. Escaping by hand is fragile (encodings, backslashes, identifiers, LIKE wildcards); query parameters are sent separately from the SQL and are never parsed as SQL.',
      example:
        'def find_user(cursor, name):\n    cursor.execute(f"SELECT * FROM users WHERE name = \'{name}\'")\n    return cursor.fetchone()',
      useInstead:
        '# sqlite3 uses ? (or :name) placeholders\ncursor.execute("SELECT * FROM users WHERE name = ?", (name,))\n\n# psycopg / psycopg2 / MySQLdb use %s (or %(name)s); never format the string yourself\ncursor.execute("SELECT * FROM users WHERE name = %s", (name,))\n\n# identifiers (table/column names) cannot be parameters: compose them safely\nfrom psycopg import sql\ncursor.execute(sql.SQL("SELECT * FROM {} WHERE name = %s").format(sql.Identifier(table)), (name,))\n\n# SQLAlchemy: bind parameters in text()\nfrom sqlalchemy import text\nsession.execute(text("SELECT * FROM users WHERE name = :name"), {"name": name})\n\n# Django: use the ORM, or params= with raw()/extra()/RawSQL\nUser.objects.filter(name=name)\nUser.objects.raw("SELECT * FROM app_user WHERE name = %s", [name])',
      fixSafety:
        'No automatic fix: moving values into parameters changes the placeholder style per driver (`?`, `%s`, `:name`) and the call\'s arguments, and identifiers need an allow-list or the driver\'s identifier quoting instead. If a value is provably safe (for example chosen from a fixed set in the same function), say so with `# pysec: ignore[sql-string-built]` and a comment explaining why.',
      references: [
        'https://cheatsheetseries.owasp.org/cheatsheets/Query_Parameterization_Cheat_Sheet.html',
        'https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html',
        'https://docs.python.org/3/library/sqlite3.html#sqlite3-placeholders',
        'https://www.psycopg.org/psycopg3/docs/basic/params.html',
        'https://docs.sqlalchemy.org/en/20/core/sqlelement.html#sqlalchemy.sql.expression.text',
        'https://docs.djangoproject.com/en/stable/topics/db/sql/',
      ],
    },
    fixable: false,
  },
  callFilter: sqlCallFilter,
  create(ctx) {
    const HOW: Record<BuiltString['kind'], string> = {
      'f-string': 'an f-string',
      format: '`.format()`',
      percent: '`%` formatting',
      concatenation: 'string concatenation',
    };
    return {
      call(node) {
        for (const { query, sink, needsSqlText } of sqlSinks(ctx, node)) {
          const built = builtString(ctx, query);
          if (!built) continue;
          if (needsSqlText && !looksLikeSql(built.template)) continue;
          if (onlyNumericParts(ctx, built)) continue;
          const arg = unparen(query);
          // Attacker data reaching the query is sql-injection's finding; a query whose parts are
          // all known and safe (constants, numbers, values overwritten before use) is no finding.
          // What remains is SQL built from values whose origin the analysis cannot see.
          const t = taintAt(ctx, arg, 'sql');
          if (!t || t.tainted) continue;
          ctx.report({ node: built.node.id === arg.id ? built.node : arg, messageId: 'built', data: { sink, how: HOW[built.kind] } });
        }
      },
    };
  },
});

import { createRule } from '../../core/types.js';
import { nodeAtRange, type RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, enclosingFunction, keywordArgNode, snakeCase, stringValue, terminalName, unparen } from '../../python/ast.js';
import { constantString } from '../../python/values.js';
import { isTestPath } from '../../python/module-info.js';
import { methodCall } from '../../python/receivers.js';
import { secretNameKind } from '../../python/secrets.js';

function words(name: string): string[] {
  return snakeCase(name).split(/[^a-z0-9]+/).filter(Boolean);
}

/** Words that make a password-named field or value a hash of it. */
const HASHED_WORDS = new Set(['hash', 'hashed', 'digest', 'encrypted', 'enc', 'crypted', 'crypt', 'salt', 'salted', 'bcrypt', 'argon2', 'pbkdf2', 'scrypt']);

/**
 * A password in clear by its name (`password`, `raw_password`, `new_password`, `pwd`), as a field
 * that should hold it hashed, or as a value.
 */
function isPasswordName(name: string): boolean {
  return secretNameKind(name) === 'password' && !words(name).some((w) => HASHED_WORDS.has(w));
}
const isPasswordField = isPasswordName;
const isPasswordValueName = isPasswordName;

/** Objects that carry input (a form, a request body, a schema of the incoming data). */
const INPUT_OBJECT =
  /^(?:form|args|data|payload|body|params|credentials|creds|cleaned_data|validated_data|json|request_data|user_input|inputs?|values|fields|login|signup|register|registration)$|(?:_in|_create|_data|_form|_schema|_request|_payload|_body|_input|_dto)$/;
/** Type annotations of input schemas: `UserCreate`, `UserIn`, `SignupRequest`, `RegisterForm`. */
const INPUT_TYPE = /(?:Create|In|Input|Request|Schema|Form|Payload|Register|Registration|Signup|SignUp|Login|Data|Dto|DTO|Body|Params)$/;

/** Methods that read one field of a mapping: `request.form.get("password")`. */
const LOOKUP_METHODS = new Set(['get', 'pop', 'getlist', 'getvalue', 'getfirst']);
/** Methods that keep a string what it was. */
const STRING_METHODS = new Set(['strip', 'lstrip', 'rstrip']);
const PROMPTS = new Set(['getpass.getpass', 'input', 'raw_input', 'click.prompt', 'typer.prompt']);

/** The type annotation of parameter `name` in the function around `node`, as written. */
function annotationOf(node: SyntaxNode, name: string): string | null {
  const fn = enclosingFunction(node);
  const params = fn?.childForFieldName('parameters');
  for (const p of params?.namedChildren ?? []) {
    if (p.type !== 'typed_parameter' && p.type !== 'typed_default_parameter') continue;
    const id = p.type === 'typed_parameter' ? p.namedChildren.find((c) => c.type === 'identifier') : p.childForFieldName('name');
    if (id?.text === name) return p.childForFieldName('type')?.text ?? null;
  }
  return null;
}

function isInputObject(node: SyntaxNode): boolean {
  const n = unparen(node);
  const name = terminalName(n);
  if (!name) return false;
  if (INPUT_OBJECT.test(snakeCase(name))) return true;
  // `request.form`, `request.POST`, `request.data`: handled by the name; `request.json` too.
  if (n.type === 'identifier') {
    const type = annotationOf(n, name);
    return type !== null && INPUT_TYPE.test(type.replace(/^.*\./, ''));
  }
  return false;
}

/**
 * True when `node` is the password as the user typed it: a password-named parameter or
 * variable that nothing hashes in this scope, a form or request field (`form.password.data`,
 * `request.form["password"]`, `data.get("password")`), or a prompt.
 */
function isRawPassword(ctx: RuleContext, node: SyntaxNode | null, depth = 0): boolean {
  if (!node || depth > 4) return false;
  const n = unparen(node);
  switch (n.type) {
    case 'identifier': {
      const r = ctx.resolve(n);
      if (r.kind !== 'local') return false;
      const assigned = r.scope.assignments.get(n.text) ?? [];
      const values = assigned.map((a) => nodeAtRange(ctx.root, a.start, a.end, a.type));
      if (values.some((v) => !v || v.id === n.id || !isRawPassword(ctx, v, depth + 1))) return false;
      if (isPasswordValueName(n.text)) return true;
      // Another name: raw only when every binding is a plain assignment of a raw password.
      return values.length > 0 && !r.scope.otherBindings.has(n.text);
    }
    case 'subscript': {
      const key = stringValue(n.childForFieldName('subscript'));
      return key !== null && isPasswordValueName(key);
    }
    case 'attribute': {
      const attr = terminalName(n) ?? '';
      const obj = n.childForFieldName('object');
      if (!obj) return false;
      // WTForms: form.password.data
      if (attr === 'data' && unparen(obj).type === 'attribute') {
        const field = terminalName(unparen(obj));
        return field !== null && isPasswordValueName(field);
      }
      return isPasswordValueName(attr) && isInputObject(obj);
    }
    case 'call': {
      const name = ctx.calleeName(n);
      if (name && PROMPTS.has(name)) return true;
      const m = methodCall(n);
      if (!m) return false;
      if (LOOKUP_METHODS.has(m.method)) {
        const key = stringValue(argument(n, 0));
        return key !== null && isPasswordValueName(key);
      }
      if (STRING_METHODS.has(m.method)) return isRawPassword(ctx, m.receiver, depth + 1);
      return false;
    }
    default:
      return false;
  }
}

/** Words of a class or object name that make it an account record. */
const ACCOUNT_WORDS = new Set([
  'user', 'users', 'account', 'accounts', 'member', 'members', 'customer', 'customers', 'admin', 'admins', 'profile',
  'person', 'employee', 'staff', 'student', 'teacher', 'patient', 'owner', 'subscriber', 'player', 'client_user',
  'superuser', 'operator', 'author', 'doctor', 'seller', 'buyer', 'vendor', 'agent',
]);
/** Words that make it something else: input schemas, configuration, connections. */
const NOT_ACCOUNT_WORDS = new Set([
  'create', 'in', 'input', 'request', 'form', 'schema', 'serializer', 'login', 'register', 'registration', 'signup',
  'data', 'dto', 'payload', 'update', 'base', 'credentials', 'creds', 'auth', 'config', 'settings', 'conf', 'client',
  'connection', 'conn', 'info', 'params', 'out', 'response', 'public', 'read', 'args', 'options', 'opts', 'session',
  'db', 'database', 'ftp', 'smtp', 'mail', 'proxy', 'body', 'query', 'filter', 'model_form', 'admin_form', 'change',
  'reset', 'test', 'mock', 'fake', 'factory',
]);

function isAccountName(name: string): boolean {
  const w = words(name);
  return w.some((x) => ACCOUNT_WORDS.has(x)) && !w.some((x) => NOT_ACCOUNT_WORDS.has(x));
}

/** Base classes of ORM models. */
const MODEL_BASE = /(?:^|\.)(?:Model|Base|DeclarativeBase|AbstractUser|AbstractBaseUser|SQLModel|Document|DynamicDocument|db\.Model)$/;

/** The class definition of a locally defined class named `name` (module level), if any. */
function localClass(ctx: RuleContext, name: string): SyntaxNode | null {
  for (const stmt of ctx.root.namedChildren) {
    const def = stmt.type === 'decorated_definition' ? stmt.childForFieldName('definition') : stmt;
    if (def?.type === 'class_definition' && def.childForFieldName('name')?.text === name) return def;
  }
  return null;
}

function inheritsModel(def: SyntaxNode): boolean {
  const bases = def.childForFieldName('superclasses');
  return (bases?.namedChildren ?? []).some((b) => b.type !== 'keyword_argument' && MODEL_BASE.test(b.text));
}

/** A call that builds an ORM record: `User(...)`, `models.Account(...)`, a local `class X(db.Model)`. */
function isModelConstructor(ctx: RuleContext, call: SyntaxNode): boolean {
  const fn = call.childForFieldName('function');
  const name = terminalName(fn);
  if (!fn || !name || !/^[A-Z]/.test(name)) return false;
  const local = fn.type === 'identifier' ? localClass(ctx, name) : null;
  if (local) return inheritsModel(local);
  const q = ctx.qualifiedName(fn);
  if (q && /(?:^|\.)models\.[A-Z]\w*$/.test(q)) return !/(?:Form|Serializer|Schema)$/.test(name);
  return isAccountName(name);
}

/** `X.objects.create(...)`, `X.objects.filter(...).update(...)`: Django writes the value as given. */
function isDjangoManagerWrite(call: SyntaxNode): boolean {
  const m = methodCall(call);
  if (!m || (m.method !== 'create' && m.method !== 'update' && m.method !== 'bulk_update')) return false;
  for (let r: SyntaxNode | null = unparen(m.receiver); r; ) {
    if (r.type === 'attribute') {
      if (terminalName(r) === 'objects') return true;
      r = r.childForFieldName('object');
    } else if (r.type === 'call') {
      r = r.childForFieldName('function');
    } else {
      return false;
    }
  }
  return false;
}

/** SQLAlchemy core: `insert(users).values(password=...)`, `users.update().values(...)`. */
function isSqlValues(call: SyntaxNode): boolean {
  const m = methodCall(call);
  if (!m || m.method !== 'values') return false;
  for (let r: SyntaxNode | null = unparen(m.receiver); r; ) {
    if (r.type === 'call') {
      const fn = r.childForFieldName('function');
      const name = terminalName(fn);
      if (name === 'insert' || name === 'update') return true;
      r = fn;
    } else if (r.type === 'attribute') {
      r = r.childForFieldName('object');
    } else {
      return false;
    }
  }
  return false;
}

/** Classes whose `self.password = ...` stores into an ORM record. */
function inModelClass(node: SyntaxNode): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'class_definition') return inheritsModel(n);
  }
  return false;
}

const SQL_WRITE = /\b(?:insert\s+(?:or\s+\w+\s+)?into|update\s+[\w."`[\]]+\s+set|replace\s+into)\b/i;
const SQL_PASSWORD_COLUMN = /\b(?:password|passwd|pwd|passphrase|user_password)\b/i;
/** SQL that hashes inside the database: pgcrypto, MySQL functions. */
const SQL_HASHING = /\b(?:crypt|gen_salt|sha2|sha1|md5|password|digest|encode|hash\w*)\s*\(/i;

/** The raw password among the parameters of a query, if any. */
function rawParameter(ctx: RuleContext, params: SyntaxNode | null, depth = 0): SyntaxNode | null {
  if (!params || depth > 2) return null;
  const p = unparen(params);
  if (p.type === 'tuple' || p.type === 'list') {
    return p.namedChildren.find((c) => c.type !== 'comment' && isRawPassword(ctx, c)) ?? null;
  }
  if (p.type === 'dictionary') {
    for (const pair of p.namedChildren) {
      const value = pair.type === 'pair' ? pair.childForFieldName('value') : null;
      if (value && isRawPassword(ctx, value)) return value;
    }
    return null;
  }
  if (p.type === 'identifier') {
    const v = ctx.valueOf(p);
    return v && v.id !== p.id ? rawParameter(ctx, v, depth + 1) : null;
  }
  return null;
}

export default createRule({
  meta: {
    id: 'plaintext-password-stored',
    area: 'secure-coding',
    summary: 'A password is stored as typed (in a model field, an ORM record or an SQL row) instead of as a password hash.',
    severity: 'high',
    confidence: 'medium',
    cwe: ['CWE-256', 'CWE-312'],
    owasp: ['A04:2021'],
    messages: {
      attribute:
        '`{{target}}` is set to the password as typed: anyone who can read the database (a backup, an SQL injection, a curious admin) gets every user\'s password; store a hash (`set_password()`, `generate_password_hash()`, argon2).',
      keyword:
        '`{{call}}` stores the password as typed in `{{field}}`: anyone who can read the database gets every user\'s password; store a hash (`make_password()`, `generate_password_hash()`, argon2).',
      sql: 'The query writes the password as typed into the `{{column}}` column: anyone who can read the table gets every user\'s password; store a hash (argon2, bcrypt, `generate_password_hash()`).',
    },
    docs: {
      whatItDoes:
        'Flags a password, as the user typed it, written to storage: `user.password = password` on an account-like object (or `self.password = ...` inside an ORM model class), a model constructor or Django manager call with `password=raw` (`User(password=pw)`, `User.objects.create(password=pw)`, `....update(password=pw)`, SQLAlchemy `insert(users).values(password=pw)`), and `cursor.execute("INSERT INTO users (name, password) VALUES (?, ?)", (name, password))` or an `UPDATE ... SET password = ...` with the raw password as a query parameter. A raw password is a password-named parameter or variable that is not re-bound to anything else in the function, a form or request field (`form.password.data`, `request.form["password"]`, `data.get("password")`, `user_in.password` of an input schema), or a `getpass()` prompt. Not flagged: values passed through any function first (`generate_password_hash`, `bcrypt.hashpw`, `make_password`, `PasswordHasher().hash`...), `create_user()` / `set_password()` (which hash), hash-named fields (`password_hash`), `None` and empty strings, SQL that hashes in the database (`crypt(?, gen_salt(\'bf\'))`), configuration or client objects (`self.password = password` in an FTP client), and test files.',
      whyBad:
        'Passwords stored in clear are exposed to anyone who ever reads the database: a leaked backup, an SQL injection, a log of queries, a compromised admin account, or an insider. Because people reuse passwords, the damage goes beyond your application: attackers try the leaked pairs on email, banking and other services (credential stuffing). A slow, salted password hash makes a leaked table far less useful.',
      example:
        'def register(request):\n    user = User(username=request.POST["username"], password=request.POST["password"])\n    user.save()',
      useInstead:
        'from django.contrib.auth.hashers import make_password\n\ndef register(request):\n    user = User(username=request.POST["username"], password=make_password(request.POST["password"]))\n    user.save()\n\n# or: User.objects.create_user(username, password=request.POST["password"])',
      fixSafety:
        'No automatic fix: the hashing function depends on the framework, and the code that checks passwords at login must change at the same time (`check_password()`, `check_password_hash()`, `PasswordHasher().verify()`), along with a migration that hashes the passwords already stored.',
      references: [
        'https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html',
        'https://docs.djangoproject.com/en/stable/topics/auth/passwords/',
        'https://werkzeug.palletsprojects.com/en/stable/utils/#werkzeug.security.generate_password_hash',
        'https://argon2-cffi.readthedocs.io/en/stable/',
      ],
    },
    fixable: false,
  },
  callFilter: (name, method) =>
    // A constructor (`User(...)`). A builtin (`ValueError(...)`, resolved to its own name) has no
    // module-level class of that name, so only isAccountName can make it a model.
    (/^[A-Z]/.test(method) && (name === null || name !== method || isAccountName(method))) ||
    method === 'create' ||
    method === 'update' ||
    method === 'bulk_update' ||
    method === 'values' ||
    method === 'execute' ||
    method === 'executemany',
  // The field is a password name: every such name holds `pass` or `pw` (`pwd`, `pword`), in any case.
  textFilters: { assignment: (text) => /pass|pw/i.test(text) },
  create(ctx) {
    if (isTestPath(ctx.path)) return {};

    const checkSql = (node: SyntaxNode): void => {
      const sql = constantString(ctx, argument(node, 0, 'sql') ?? argument(node, 0, 'operation'));
      if (sql === null || !SQL_WRITE.test(sql) || SQL_HASHING.test(sql)) return;
      const column = SQL_PASSWORD_COLUMN.exec(sql)?.[0];
      if (!column) return;
      if (rawParameter(ctx, argument(node, 1, 'parameters') ?? argument(node, 1, 'params'))) {
        ctx.report({ node, messageId: 'sql', data: { column } });
      }
    };

    return {
      call(node) {
        const m = methodCall(node);
        if (m && (m.method === 'execute' || m.method === 'executemany')) return checkSql(node);
        const writes = isDjangoManagerWrite(node) || isSqlValues(node) || (node.childForFieldName('function') && isModelConstructor(ctx, node));
        if (!writes) return;
        for (const kw of node.childForFieldName('arguments')?.namedChildren ?? []) {
          if (kw.type !== 'keyword_argument') continue;
          const field = kw.childForFieldName('name')?.text;
          if (!field || !isPasswordField(field)) continue;
          if (!isRawPassword(ctx, kw.childForFieldName('value'))) continue;
          const fn = node.childForFieldName('function');
          const call = fn ? (fn.text.length > 40 ? `${terminalName(fn) ?? 'call'}(...)` : `${fn.text}(...)`) : 'call';
          ctx.report({ node: keywordArgNode(node, field) ?? kw, messageId: 'keyword', data: { call, field } });
        }
      },
      assignment(node) {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left?.type !== 'attribute' || !right) return;
        const field = terminalName(left);
        const obj = left.childForFieldName('object');
        if (!field || !obj || !isPasswordField(field)) return;
        const o = unparen(obj);
        if (o.type === 'identifier' && (o.text === 'self' || o.text === 'cls')) {
          if (!inModelClass(node)) return;
        } else {
          const objName = terminalName(o);
          if (!objName || !isAccountName(objName)) return;
        }
        if (!isRawPassword(ctx, right)) return;
        ctx.report({ node, messageId: 'attribute', data: { target: left.text } });
      },
    };
  },
});

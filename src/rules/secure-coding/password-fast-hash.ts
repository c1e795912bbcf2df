import type { RuleContext } from '../../core/context.js';
import { createRule } from '../../core/types.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, keywordArg, snakeCase, stringValue, terminalName, unparen } from '../../python/ast.js';

const FAST_HASHES = new Set(
  [
    'md5',
    'sha1',
    'sha224',
    'sha256',
    'sha384',
    'sha512',
    'sha512_224',
    'sha512_256',
    'sha3_224',
    'sha3_256',
    'sha3_384',
    'sha3_512',
    'blake2b',
    'blake2s',
    'shake_128',
    'shake_256',
  ].map((h) => `hashlib.${h}`),
);

/** Words of a name that make it a password. */
const PASSWORD_WORD = /^(?:password|passwd|passphrase|pwd|passwords)\d*$/;
/** Words that make a password-named value something else: a reset token, a stored hash, a length... */
const NOT_A_PASSWORD = new Set([
  'token', 'reset', 'hash', 'hashed', 'digest', 'salt', 'len', 'length', 'size', 'count', 'min', 'max',
  'policy', 'field', 'label', 'hint', 'url', 'path', 'file', 'expiry', 'expires', 'expiration', 'changed',
  'updated', 'date', 'time', 'attempts', 'strength', 'regex', 'pattern', 'prompt', 'widget', 'validator',
]);

function isPasswordName(name: string): boolean {
  const words = snakeCase(name).split(/[^a-z0-9]+/).filter(Boolean);
  return words.some((w) => PASSWORD_WORD.test(w)) && !words.some((w) => NOT_A_PASSWORD.has(w));
}

/** Methods whose first string argument names the value read (`form.get("password")`). */
const LOOKUP_METHODS = new Set(['get', 'getlist', 'pop', 'getvalue', 'getfirst']);

/** True when the expression reads a password-named variable, attribute or key. */
export function readsPassword(ctx: RuleContext, node: SyntaxNode | null, depth = 0): boolean {
  if (!node || depth > 4) return false;
  const stack: SyntaxNode[] = [node];
  let budget = 200;
  while (stack.length > 0 && budget-- > 0) {
    const n = stack.pop() as SyntaxNode;
    switch (n.type) {
      case 'identifier': {
        if (isPasswordName(n.text)) return true;
        const v = ctx.valueOf(n);
        if (v && v.id !== n.id && readsPassword(ctx, v, depth + 1)) return true;
        continue;
      }
      case 'attribute': {
        const attr = n.childForFieldName('attribute')?.text;
        if (attr && isPasswordName(attr)) return true;
        const obj = n.childForFieldName('object');
        if (obj) stack.push(obj);
        continue;
      }
      case 'subscript': {
        const key = stringValue(n.childForFieldName('subscript'));
        if (key !== null && isPasswordName(key)) return true;
        const value = n.childForFieldName('value');
        if (value) stack.push(value);
        continue;
      }
      case 'call': {
        const fn = n.childForFieldName('function');
        const method = fn?.type === 'attribute' ? terminalName(fn) : null;
        if (method && LOOKUP_METHODS.has(method)) {
          const key = stringValue(argument(n, 0));
          if (key !== null && isPasswordName(key)) return true;
        }
        break;
      }
      case 'keyword_argument': {
        const value = n.childForFieldName('value');
        if (value) stack.push(value);
        continue;
      }
      case 'lambda':
        continue;
      default:
        break;
    }
    for (const c of n.namedChildren) stack.push(c);
  }
  return false;
}

export default createRule({
  meta: {
    id: 'password-fast-hash',
    area: 'secure-coding',
    summary: 'A password is hashed with a fast general-purpose hash (MD5, SHA-1, SHA-256...) instead of a password hashing function.',
    severity: 'high',
    confidence: 'medium',
    cwe: ['CWE-916', 'CWE-328'],
    owasp: ['A02:2021'],
    bandit: ['B324'],
    ruff: ['S324'],
    messages: {
      fastHash:
        '`{{fn}}` hashes a password in one fast step: a leaked hash can be brute-forced at billions of guesses per second; use a password hashing function (argon2, bcrypt, scrypt or PBKDF2).',
    },
    docs: {
      whatItDoes:
        'Flags `hashlib.md5/sha1/sha256/sha512/sha3_*/blake2*(...)`, `hashlib.new(name, data)` and `.update(data)` on such a hash object when the data is a password-like value: a variable, attribute or key named `password`, `passwd`, `pwd`, `passphrase` (also inside `password.encode()`, `salt + password` or an f-string). Not flagged: hashes of other data (file contents, cache keys), `hashlib.pbkdf2_hmac`, `hashlib.scrypt`, bcrypt and argon2, and password-named values that are not passwords (`password_reset_token`, `password_hash`, `password_length`): hashing a random reset token with SHA-256 is the recommended way to store it.',
      whyBad:
        'General-purpose hashes are designed to be fast: a single GPU computes billions of MD5 or SHA-256 hashes per second, so after a database leak most human-chosen passwords are recovered within hours, salt or no salt. Password hashing functions are deliberately slow and memory-hard, and their cost can be raised as hardware gets faster.',
      example:
        'import hashlib\n\ndef store(user, password):\n    user.pw = hashlib.sha256((SALT + password).encode()).hexdigest()',
      useInstead:
        'from argon2 import PasswordHasher  # pip install argon2-cffi\n\nph = PasswordHasher()\n\ndef store(user, password):\n    user.pw = ph.hash(password)  # salt and parameters are stored in the result\n\n# Django: django.contrib.auth.hashers.make_password(password)\n# Standard library: hashlib.scrypt(...) or hashlib.pbkdf2_hmac("sha256", pw, salt, 600_000)',
      fixSafety:
        'No automatic fix: a new hashing scheme needs a migration of the stored hashes (rehash at next login, or wrap the old hash in the new function).',
      references: [
        'https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html',
        'https://argon2-cffi.readthedocs.io/en/stable/',
        'https://docs.python.org/3/library/hashlib.html#key-derivation',
        'https://docs.djangoproject.com/en/stable/topics/auth/passwords/',
      ],
    },
    fixable: false,
  },
  // `.update()` on a hash object, or a hash constructor.
  callFilter: (name, method) => method === 'update' || (name !== null && (FAST_HASHES.has(name) || name === 'hashlib.new')),
  create(ctx) {
    /** The hash a call constructs, as `hashlib.sha256`, or null. */
    function hashConstructor(call: SyntaxNode): string | null {
      const name = ctx.calleeName(call);
      if (!name) return null;
      if (FAST_HASHES.has(name)) return name;
      if (name === 'hashlib.new') {
        const algo = stringValue(argument(call, 0, 'name'));
        return algo !== null && FAST_HASHES.has(`hashlib.${algo.toLowerCase().replace(/-/g, '_')}`)
          ? `hashlib.new("${algo}")`
          : null;
      }
      return null;
    }

    function hashOfObject(obj: SyntaxNode): string | null {
      const o = unparen(obj);
      if (o.type === 'call') return hashConstructor(o);
      if (o.type === 'identifier') {
        const v = ctx.valueOf(o);
        return v && unparen(v).type === 'call' ? hashConstructor(unparen(v)) : null;
      }
      return null;
    }

    return {
      call(node) {
        const fnNode = node.childForFieldName('function');
        if (fnNode?.type === 'attribute' && terminalName(fnNode) === 'update') {
          const obj = fnNode.childForFieldName('object');
          const hash = obj ? hashOfObject(obj) : null;
          if (hash && readsPassword(ctx, argument(node, 0))) {
            ctx.report({ node, messageId: 'fastHash', data: { fn: hash } });
          }
          return;
        }
        const hash = hashConstructor(node);
        if (!hash) return;
        const isNew = hash.startsWith('hashlib.new');
        const data = isNew
          ? argument(node, 1, 'data') ?? keywordArg(node, 'string')
          : argument(node, 0, 'data') ?? keywordArg(node, 'string');
        if (readsPassword(ctx, data)) ctx.report({ node, messageId: 'fastHash', data: { fn: hash } });
      },
    };
  },
});

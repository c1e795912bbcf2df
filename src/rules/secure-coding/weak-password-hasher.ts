import { createRule, type Confidence } from '../../core/types.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, intValue, keywordArg, unparen } from '../../python/ast.js';
import { constantString } from '../../python/values.js';
import { isTestPath } from '../../python/module-info.js';
import { readsPasswordName } from '../../python/secrets.js';

/** Django hashers that are a single round of MD5/SHA-1 or DES crypt. */
const DJANGO_WEAK_HASHERS = new Set([
  'MD5PasswordHasher',
  'UnsaltedMD5PasswordHasher',
  'UnsaltedSHA1PasswordHasher',
  'SHA1PasswordHasher',
  'CryptPasswordHasher',
]);

/** passlib schemes that are fast digests, DES/MD5 crypt variants, or no hashing at all. */
const PASSLIB_WEAK = new Set([
  'md5_crypt', 'apr_md5_crypt', 'des_crypt', 'bsdi_crypt', 'bigcrypt', 'crypt16', 'hex_md4', 'hex_md5', 'hex_sha1',
  'hex_sha256', 'hex_sha512', 'ldap_md5', 'ldap_sha1', 'ldap_salted_md5', 'ldap_salted_sha1', 'ldap_hex_md5',
  'ldap_hex_sha1', 'ldap_plaintext', 'ldap_des_crypt', 'ldap_bsdi_crypt', 'ldap_md5_crypt', 'plaintext',
  'roundup_plaintext', 'mysql323', 'mysql41', 'postgres_md5', 'oracle10', 'oracle11', 'mssql2000', 'mssql2005',
  'nthash', 'bsd_nthash', 'lmhash', 'msdcc', 'msdcc2', 'cisco_pix', 'cisco_asa', 'cisco_type7', 'htdigest',
  'django_salted_md5', 'django_salted_sha1', 'django_des_crypt',
]);

const CRYPT_CONTEXT = new Set(['passlib.context.CryptContext', 'passlib.apps.CryptContext']);

const GENERATE_PASSWORD_HASH = new Set(['werkzeug.security.generate_password_hash', 'werkzeug.generate_password_hash']);

const BCRYPT_GENSALT = new Set(['bcrypt.gensalt']);
/** OWASP Password Storage Cheat Sheet: "a work factor of 10 or more" for bcrypt. */
const BCRYPT_MIN_ROUNDS = 10;

const PBKDF2 = new Set(['hashlib.pbkdf2_hmac']);
const PBKDF2_CLASSES = new Set([
  'cryptography.hazmat.primitives.kdf.pbkdf2.PBKDF2HMAC',
]);
/**
 * OWASP recommends 600,000 iterations of PBKDF2-HMAC-SHA256 (210,000 for SHA-512, 1,300,000
 * for SHA-1). Only counts below a sixth of that are reported: those are clearly obsolete
 * (the 1,000-10,000 of old tutorials), while values in between are a tuning decision.
 */
const PBKDF2_MIN_ITERATIONS = 100_000;

/** Settings modules for tests or CI, where fast hashers are the recommended practice. */
function isTestSettings(path: string): boolean {
  if (isTestPath(path)) return true;
  const parts = path.toLowerCase().split(/[\\/]/);
  const stem = (parts[parts.length - 1] ?? '').replace(/\.py$/, '');
  return stem.split(/[_\-.]/).some((w) => w === 'test' || w === 'tests' || w === 'testing' || w === 'ci');
}

function isDevSettings(path: string): boolean {
  const parts = path.toLowerCase().split(/[\\/]/);
  const stem = (parts[parts.length - 1] ?? '').replace(/\.py$/, '');
  return stem.split(/[_\-.]/).some((w) => ['dev', 'devel', 'develop', 'development', 'local'].includes(w));
}

/** Inside `if TESTING:` / `if "test" in sys.argv:` / `if DEBUG:`. */
function underTestCondition(node: SyntaxNode): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'function_definition') return false;
    if (n.type === 'class_definition' && /test/i.test(n.childForFieldName('name')?.text ?? '')) return true;
    if (n.type === 'if_statement' || n.type === 'elif_clause') {
      const cond = n.childForFieldName('condition');
      if (cond && /test|debug/i.test(cond.text)) return true;
    }
  }
  return false;
}

function firstElement(node: SyntaxNode): SyntaxNode | null {
  const n = unparen(node);
  if (n.type !== 'list' && n.type !== 'tuple') return null;
  return n.namedChildren.find((c) => c.type !== 'comment') ?? null;
}

function integer(ctx: RuleContext, node: SyntaxNode | null): number | null {
  if (!node) return null;
  const n = unparen(node);
  const direct = intValue(n);
  if (direct !== null) return direct;
  if (n.type === 'identifier') {
    const v = ctx.valueOf(n);
    return v && v.id !== n.id ? intValue(unparen(v)) : null;
  }
  return null;
}

export default createRule({
  meta: {
    id: 'weak-password-hasher',
    area: 'secure-coding',
    summary: 'Passwords are hashed with an obsolete scheme (MD5, SHA-1, DES crypt, plaintext) or with a far too low work factor.',
    severity: 'high',
    confidence: 'high',
    cwe: ['CWE-916'],
    owasp: ['A02:2021'],
    messages: {
      djangoHasher:
        '`PASSWORD_HASHERS` starts with `{{hasher}}`, so every new or changed password is stored as a single fast {{algo}} hash that a GPU cracks at billions of guesses per second; put `Argon2PasswordHasher`, `ScryptPasswordHasher` or `PBKDF2PasswordHasher` first.',
      passlibScheme:
        'The passlib context hashes new passwords with `{{scheme}}`, which is fast or obsolete and cracked at scale after a leak; use `argon2`, `bcrypt`, `scrypt` or `pbkdf2_sha256` as the default and keep `{{scheme}}` only in `deprecated`.',
      passlibHash:
        '`{{call}}` hashes passwords with `{{scheme}}`, which is fast or obsolete and cracked at scale after a leak; use `argon2`, `bcrypt` or `pbkdf2_sha256`.',
      werkzeugMethod:
        '`generate_password_hash(..., method="{{method}}")` stores {{what}}; use the default (`scrypt`, or `pbkdf2:sha256` with at least 600,000 iterations).',
      bcryptRounds:
        '`bcrypt.gensalt(rounds={{rounds}})` is below the minimum work factor of {{min}} (OWASP): each guess costs {{factor}}x less than at the default of 12.',
      pbkdf2Iterations:
        'PBKDF2 with {{iterations}} iterations makes password guessing cheap; OWASP recommends 600,000 for HMAC-SHA256 (210,000 for SHA-512).',
    },
    docs: {
      whatItDoes:
        'Flags password hashing configured with an obsolete scheme or a very low cost: a Django `PASSWORD_HASHERS` setting whose first entry (the one used for new hashes) is `MD5PasswordHasher`, `UnsaltedMD5PasswordHasher`, `SHA1PasswordHasher`, `UnsaltedSHA1PasswordHasher` or `CryptPasswordHasher`; a passlib `CryptContext` whose default scheme (`default=`, else the first of `schemes=`) is a fast digest, DES/MD5 crypt or plaintext (`md5_crypt`, `des_crypt`, `hex_md5`, `ldap_md5`, `plaintext`...), and direct use of such a scheme (`passlib.hash.md5_crypt.hash(...)`); Werkzeug `generate_password_hash(password, method=...)` with `plain` or a bare digest name (`md5`, `sha1`, `sha256`) or PBKDF2 below 100,000 iterations; `bcrypt.gensalt(rounds=N)` with N below 10; `hashlib.pbkdf2_hmac(...)` on a password and cryptography\'s `PBKDF2HMAC(...)` with fewer than 100,000 iterations (a sixth of the OWASP recommendation: lower values are clearly obsolete, higher ones a tuning decision). Weak schemes kept after a stronger first one (to verify old hashes while they are upgraded) are not flagged, nor are test settings (`settings/test.py`, `test_settings.py`, `tests/`, blocks under `if TESTING:` or `if "test" in sys.argv:`), where fast hashers are the documented way to speed up test suites.',
      whyBad:
        'A password hash only helps when it is slow to compute: after a database leak, an attacker tries billions of candidate passwords against each hash. A single MD5 or SHA-1 round, DES crypt or MD5 crypt can be computed billions (or for md5_crypt, millions) of times per second on one GPU, so most human-chosen passwords fall within hours; plaintext needs no cracking at all. bcrypt and PBKDF2 with a low work factor lose the same way.',
      example:
        '# settings.py\nPASSWORD_HASHERS = [\n    "django.contrib.auth.hashers.MD5PasswordHasher",\n    "django.contrib.auth.hashers.PBKDF2PasswordHasher",\n]\n\n# auth.py\nimport bcrypt\nhashed = bcrypt.hashpw(password, bcrypt.gensalt(rounds=4))',
      useInstead:
        '# settings.py: the first hasher is used for new hashes; old MD5 hashes are\n# still verified (and upgraded at the next login) while MD5 stays in the list.\nPASSWORD_HASHERS = [\n    "django.contrib.auth.hashers.Argon2PasswordHasher",\n    "django.contrib.auth.hashers.PBKDF2PasswordHasher",\n    "django.contrib.auth.hashers.MD5PasswordHasher",\n]\n\n# auth.py\nimport bcrypt\nhashed = bcrypt.hashpw(password, bcrypt.gensalt())  # 12 rounds',
      fixSafety:
        'No automatic fix: existing hashes must stay verifiable. Put the strong scheme first (Django, passlib `default=`) and keep the old one after it, so that users are rehashed when they next log in; raise work factors the same way. Check the login latency of the new parameters on production hardware.',
      references: [
        'https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html',
        'https://docs.djangoproject.com/en/stable/topics/auth/passwords/#using-argon2-with-django',
        'https://passlib.readthedocs.io/en/stable/narr/quickstart.html',
        'https://werkzeug.palletsprojects.com/en/stable/utils/#werkzeug.security.generate_password_hash',
      ],
    },
    fixable: false,
  },
  callFilter: (name) =>
    (name !== null &&
      (CRYPT_CONTEXT.has(name) ||
        GENERATE_PASSWORD_HASH.has(name) ||
        BCRYPT_GENSALT.has(name) ||
        PBKDF2.has(name) ||
        PBKDF2_CLASSES.has(name) ||
        name.startsWith('passlib.hash.'))),
  textFilters: { assignment: (text) => text.includes('PASSWORD_HASHERS') },
  create(ctx) {
    if (isTestSettings(ctx.path)) return {};
    const settingsConfidence: Confidence = isDevSettings(ctx.path) ? 'low' : 'high';

    const checkCryptContext = (node: SyntaxNode): void => {
      const schemes = keywordArg(node, 'schemes') ?? argument(node, 0);
      const explicit = keywordArg(node, 'default');
      const chosen = explicit ?? (schemes ? firstElement(schemes) : null);
      const scheme = chosen ? constantString(ctx, chosen) : null;
      if (scheme && PASSLIB_WEAK.has(scheme)) {
        ctx.report({ node: chosen ?? node, messageId: 'passlibScheme', data: { scheme } });
      }
    };

    const checkWerkzeug = (node: SyntaxNode): void => {
      const methodNode = argument(node, 1, 'method');
      const method = methodNode ? constantString(ctx, methodNode) : null;
      if (method === null || !methodNode) return;
      const lower = method.toLowerCase();
      if (lower === 'plain') {
        ctx.report({ node: methodNode, messageId: 'werkzeugMethod', data: { method, what: 'the password in plaintext' } });
        return;
      }
      const [kind, , iterations] = lower.split(':');
      if (kind === 'pbkdf2') {
        const n = iterations !== undefined ? Number(iterations) : NaN;
        if (Number.isFinite(n) && n < PBKDF2_MIN_ITERATIONS) {
          ctx.report({ node: methodNode, messageId: 'pbkdf2Iterations', data: { iterations: n.toLocaleString('en-US') } });
        }
        return;
      }
      if (kind === 'scrypt' || kind === undefined) return;
      // Werkzeug < 2.3 accepted any hashlib name: one salted HMAC round.
      if (/^(?:md5|sha1|sha224|sha256|sha384|sha512|sha3_\d+|blake2[bs])$/.test(kind)) {
        ctx.report({ node: methodNode, messageId: 'werkzeugMethod', data: { method, what: `a single fast ${kind} hash` } });
      }
    };

    const checkIterations = (node: SyntaxNode | null): void => {
      const n = integer(ctx, node);
      if (node && n !== null && n < PBKDF2_MIN_ITERATIONS) {
        ctx.report({ node, messageId: 'pbkdf2Iterations', data: { iterations: n.toLocaleString('en-US') } });
      }
    };

    return {
      call(node) {
        const name = ctx.calleeName(node);
        if (!name) return;
        if (CRYPT_CONTEXT.has(name)) return checkCryptContext(node);
        if (GENERATE_PASSWORD_HASH.has(name)) return checkWerkzeug(node);
        if (BCRYPT_GENSALT.has(name)) {
          const roundsNode = argument(node, 0, 'rounds');
          const rounds = integer(ctx, roundsNode);
          if (roundsNode && rounds !== null && rounds < BCRYPT_MIN_ROUNDS) {
            ctx.report({
              node: roundsNode,
              messageId: 'bcryptRounds',
              data: { rounds, min: BCRYPT_MIN_ROUNDS, factor: 2 ** (12 - rounds) },
            });
          }
          return;
        }
        if (PBKDF2.has(name)) {
          // pbkdf2_hmac(hash_name, password, salt, iterations): only on passwords; keys may use few rounds.
          if (readsPasswordName(argument(node, 1, 'password'))) checkIterations(argument(node, 3, 'iterations'));
          return;
        }
        if (PBKDF2_CLASSES.has(name)) {
          checkIterations(keywordArg(node, 'iterations') ?? argument(node, 3));
          return;
        }
        // passlib.hash.md5_crypt.hash(pw) / .encrypt(pw) / .using(...).hash(pw)
        const m = /^passlib\.hash\.(\w+)\.(?:hash|encrypt)$/.exec(name);
        if (m?.[1] && PASSLIB_WEAK.has(m[1])) {
          ctx.report({ node, messageId: 'passlibHash', data: { call: `${m[1]}.${name.slice(name.lastIndexOf('.') + 1)}`, scheme: m[1] } });
        }
      },
      assignment(node) {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left?.type !== 'identifier' || left.text !== 'PASSWORD_HASHERS' || !right) return;
        // Module level (settings) or class level (a configuration class), not a local variable.
        const scope = ctx.scopeOf(node).kind;
        if (scope !== 'module' && scope !== 'class') return;
        if (underTestCondition(node)) return;
        const first = firstElement(right);
        const path = first ? constantString(ctx, first) : null;
        if (!first || !path) return;
        const hasher = path.slice(path.lastIndexOf('.') + 1);
        if (!DJANGO_WEAK_HASHERS.has(hasher)) return;
        const algo = hasher.includes('MD5') ? 'MD5' : hasher.includes('SHA1') ? 'SHA-1' : 'DES crypt';
        ctx.report({ node: first, messageId: 'djangoHasher', data: { hasher, algo }, confidence: settingsConfidence });
      },
    };
  },
});

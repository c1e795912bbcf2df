import { createRule } from '../../core/types.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, enclosingFunction, keywordArg, snakeCase, stringValue, terminalName, unparen } from '../../python/ast.js';
import { constantString, falseValue } from '../../python/values.js';
import { isTestPath } from '../../python/module-info.js';
import { readsPassword } from '../secure-coding/password-fast-hash.js';

type Algo = 'MD5' | 'SHA-1';

/** Constructors of a weak hash, by qualified name. */
const HASHES = new Map<string, Algo>([
  ['hashlib.md5', 'MD5'],
  ['hashlib.sha1', 'SHA-1'],
  ['_hashlib.openssl_md5', 'MD5'],
  ['_hashlib.openssl_sha1', 'SHA-1'],
]);
for (const root of ['Crypto', 'Cryptodome']) {
  HASHES.set(`${root}.Hash.MD5.new`, 'MD5');
  HASHES.set(`${root}.Hash.SHA.new`, 'SHA-1');
  HASHES.set(`${root}.Hash.SHA1.new`, 'SHA-1');
}
/** cryptography's algorithm objects: `hashes.SHA1()`, passed to `sign`, `verify`, `HMAC`... */
const CRYPTOGRAPHY_HASHES = new Map<string, Algo>();
for (const mod of ['cryptography.hazmat.primitives.hashes']) {
  CRYPTOGRAPHY_HASHES.set(`${mod}.MD5`, 'MD5');
  CRYPTOGRAPHY_HASHES.set(`${mod}.SHA1`, 'SHA-1');
}
const HMAC_FUNCTIONS = new Set(['hmac.new', 'hmac.digest', 'hmac.HMAC']);
const CRYPTOGRAPHY_HMAC = new Set(['cryptography.hazmat.primitives.hmac.HMAC']);

function algoOfName(name: string | null): Algo | null {
  if (!name) return null;
  const n = name.toLowerCase().replace(/[-_]/g, '');
  return n === 'md5' ? 'MD5' : n === 'sha1' || n === 'sha' ? 'SHA-1' : null;
}

// Password data is password-fast-hash's: its own `readsPassword` decides, so a password hash is
// never reported twice.


// ---------------------------------------------------------------------------
// Purpose: what the digest is for, judged from names around it.

/** Words that say a digest protects something. */
const SECURITY_WORDS = new Set([
  'signature', 'signatures', 'sign', 'signed', 'signing', 'sig', 'token', 'tokens', 'secret', 'secrets', 'auth',
  'authenticate', 'authentication', 'authenticator', 'hmac', 'nonce', 'session', 'sessionid', 'csrf', 'xsrf', 'apikey',
  'verification', 'verify', 'verified', 'otp', 'totp', 'hotp', 'password', 'passwd', 'pwd', 'passphrase', 'credential',
  'credentials', 'activation', 'confirmation', 'reset', 'invite', 'invitation', 'unsubscribe', 'integrity',
  'tamper', 'login', 'cookie', 'jwt', 'salt', 'salted', 'private', 'encryption', 'encrypt', 'decrypt', 'cipher',
]);
/** Word pairs: `api_key`, `secret_key`, `access_key`, `auth_key`, `session_key`, `private_key`. */
const SECURITY_PAIRS = new Set(['api_key', 'secret_key', 'access_key', 'auth_key', 'signing_key', 'session_key', 'private_key', 'encryption_key', 'hmac_key', 'master_key']);
/** Words that say the digest only identifies content. */
const NON_SECURITY_WORDS = new Set([
  'checksum', 'checksums', 'etag', 'etags', 'cache', 'cached', 'caching', 'fingerprint', 'dedupe', 'dedup',
  'deduplicate', 'deduplication', 'duplicate', 'duplicates', 'content', 'contents', 'file', 'files', 'filename',
  'path', 'chunk', 'chunks', 'bucket', 'shard', 'partition', 'color', 'colour', 'avatar', 'gravatar', 'identicon',
  'slug', 'md5sum', 'sha1sum', 'crc', 'revision', 'manifest', 'asset', 'assets', 'static', 'image', 'thumbnail',
  'download', 'upload', 'blob', 'memo', 'memoize', 'lru', 'uuid', 'guid', 'git', 'commit', 'dataset', 'row', 'record',
  // Tokens that are not credentials: optimistic-concurrency, pagination and idempotency tokens.
  'version', 'page', 'pagination', 'cursor', 'continuation', 'idempotency', 'sync', 'change',
]);

type Purpose = 'security' | 'other' | null;

function purposeOfName(name: string | null): Purpose {
  if (!name) return null;
  const words = snakeCase(name).split(/[^a-z0-9]+/).filter(Boolean);
  if (words.some((w) => NON_SECURITY_WORDS.has(w))) return 'other';
  // `sign_up`, `sign_in`, `sign_out` are about accounts, not signatures.
  if (words.some((w, i) => SECURITY_WORDS.has(w) && !(w === 'sign' && /^(?:up|in|out)$/.test(words[i + 1] ?? '')))) {
    return 'security';
  }
  for (let i = 0; i + 1 < words.length; i++) if (SECURITY_PAIRS.has(`${words[i]}_${words[i + 1]}`)) return 'security';
  return null;
}

/** Names of the things that take a digest as an input: comparisons in constant time are for secrets. */
const SECURITY_SINKS = new Set(['hmac.compare_digest', 'secrets.compare_digest']);

/** Climb from a hash constructor through `.hexdigest()`, `.digest()[:8]`, `.upper()`... to its consumer. */
function consumerOf(node: SyntaxNode): SyntaxNode {
  let n = node;
  for (;;) {
    const p = n.parent;
    if (!p) return n;
    if (p.type === 'parenthesized_expression' || (p.type === 'subscript' && p.childForFieldName('value')?.id === n.id)) {
      n = p;
      continue;
    }
    if (p.type === 'attribute' && p.childForFieldName('object')?.id === n.id && p.parent?.type === 'call') {
      n = p.parent;
      continue;
    }
    if (p.type === 'argument_list' && p.parent?.type === 'call') {
      // str(h), base64.b64encode(h): wrappers that keep the meaning.
      const fn = terminalName(p.parent.childForFieldName('function'));
      if (fn && /^(?:str|bytes|b64encode|urlsafe_b64encode|b32encode|hexlify|encode|decode|int)$/.test(fn)) {
        n = p.parent;
        continue;
      }
    }
    return n;
  }
}

/** What the surroundings of a digest say about its purpose, with a short reason for the message. */
function purposeOf(ctx: RuleContext, call: SyntaxNode, data: SyntaxNode | null): { purpose: Purpose; reason: string } {
  const top = consumerOf(call);
  const p = top.parent;
  let named: string | null = null;
  if (p) {
    switch (p.type) {
      case 'assignment':
      case 'augmented_assignment':
      case 'annotated_assignment': {
        if (p.childForFieldName('right')?.id === top.id) {
          const left = p.childForFieldName('left');
          named =
            left?.type === 'subscript' ? stringValue(left.childForFieldName('subscript')) ?? terminalName(left.childForFieldName('value')) : terminalName(left ?? null);
        }
        break;
      }
      case 'keyword_argument':
        named = p.childForFieldName('name')?.text ?? null;
        break;
      case 'pair':
        named = stringValue(p.childForFieldName('key'));
        break;
      case 'argument_list': {
        const sink = p.parent ? ctx.calleeName(p.parent) : null;
        if (sink && SECURITY_SINKS.has(sink)) return { purpose: 'security', reason: 'compared as a secret' };
        break;
      }
      case 'comparison_operator': {
        for (const o of p.namedChildren) {
          if (o.id === top.id) continue;
          const u = unparen(o);
          const name =
            u.type === 'subscript' ? stringValue(u.childForFieldName('subscript')) : terminalName(u);
          const purpose = purposeOfName(name);
          if (purpose) return { purpose, reason: `compared with \`${name ?? ''}\`` };
        }
        break;
      }
      default:
        break;
    }
  }
  const byTarget = purposeOfName(named);
  if (byTarget) return { purpose: byTarget, reason: `stored in \`${named ?? ''}\`` };
  const fn = enclosingFunction(call);
  const fnName = fn?.childForFieldName('name')?.text ?? null;
  const byFunction = purposeOfName(fnName);
  if (byFunction) return { purpose: byFunction, reason: `computed in \`${fnName ?? ''}()\`` };
  // The data: a secret mixed into the hash makes it a (weak) MAC.
  const secret = secretInData(ctx, data);
  if (secret) return { purpose: 'security', reason: `computed over \`${secret}\`` };
  return { purpose: null, reason: '' };
}

/** A secret-named value hashed (`md5(SECRET_KEY + user_id)`), by its name. */
function secretInData(ctx: RuleContext, node: SyntaxNode | null, depth = 0): string | null {
  if (!node || depth > 3) return null;
  const stack: SyntaxNode[] = [node];
  let budget = 100;
  while (stack.length > 0 && budget-- > 0) {
    const n = stack.pop() as SyntaxNode;
    if (n.type === 'identifier' || n.type === 'attribute') {
      const name = terminalName(n);
      if (name && /^(?:secret|secret_key|signing_key|hmac_key|private_key|api_secret|client_secret|app_secret|shared_secret|salt)$/i.test(name)) {
        return name;
      }
      if (n.type === 'identifier') {
        const v = ctx.valueOf(n);
        if (v && v.id !== n.id) {
          const inner = secretInData(ctx, v, depth + 1);
          if (inner) return inner;
        }
      } else {
        const obj = n.childForFieldName('object');
        if (obj) stack.push(obj);
      }
      continue;
    }
    if (n.type === 'keyword_argument') {
      const value = n.childForFieldName('value');
      if (value) stack.push(value);
      continue;
    }
    for (const c of n.namedChildren) stack.push(c);
  }
  return null;
}

export default createRule({
  meta: {
    id: 'weak-hash',
    area: 'sensitive-data',
    summary: 'MD5 or SHA-1 is used for a security purpose (signatures, tokens, MACs, secrets).',
    severity: 'medium',
    confidence: 'high',
    cwe: ['CWE-328'],
    owasp: ['A02:2021'],
    bandit: ['B303', 'B324'],
    ruff: ['S303', 'S324'],
    messages: {
      weakHash:
        '{{algo}} is broken for security use (collisions can be computed), and this digest is {{reason}}; use SHA-256 or better (and `hmac` with a secret key for signatures, `secrets.token_urlsafe()` for tokens).',
      weakSignature:
        '`{{name}}` makes the signature use {{algo}}, for which collisions can be computed: an attacker can get one document signed and present another; use SHA-256 or better.',
      hmacMd5:
        'HMAC-MD5 is deprecated (RFC 6151): no practical attack is known on the HMAC construction yet, but MD5 is broken and new code should use HMAC-SHA256.',
    },
    docs: {
      whatItDoes:
        'Flags MD5 and SHA-1 (`hashlib.md5/sha1`, `hashlib.new("md5")`, PyCryptodome `MD5.new`/`SHA.new`/`SHA1.new`, cryptography `hashes.MD5()`/`hashes.SHA1()`) when the digest is used for security: stored in or returned as something named like a signature, token, secret, nonce, session, CSRF token, API key or verification code; computed in a function named that way; compared with `hmac.compare_digest` or with such a value; computed over a secret key (`md5(SECRET_KEY + data)`); or used as the hash of a digital signature (`key.sign(data, padding, hashes.SHA1())`). HMAC with MD5 (`hmac.new(key, msg, hashlib.md5)`) is reported with low severity and medium confidence (protocols such as CRAM-MD5 require it). Not flagged: test files, digests with `usedforsecurity=False`, digests for checksums, ETags, cache keys, file deduplication or content fingerprints, digests whose purpose the names do not reveal (precision first), HMAC-SHA1 (still sound, and required by protocols such as TOTP and OAuth 1.0), and hashes of passwords, which `password-fast-hash` reports.',
      whyBad:
        'Collisions for MD5 can be computed in seconds and for SHA-1 in days of cloud computing (SHAttered, 2017; chosen-prefix collisions, 2020). A signature, token or integrity check built on them can be forged: an attacker crafts two inputs with the same digest, gets one approved and substitutes the other. `hash(secret + message)` constructions are also open to length-extension attacks, letting an attacker append data to a "signed" message without knowing the secret.',
      example:
        'import hashlib\n\ndef sign(payload: bytes) -> str:\n    return hashlib.md5(SECRET_KEY + payload).hexdigest()',
      useInstead:
        'import hashlib\nimport hmac\n\ndef sign(payload: bytes) -> str:\n    return hmac.new(SECRET_KEY, payload, hashlib.sha256).hexdigest()\n\n# Not for security (a cache key): say so, and the rule stays silent.\ncache_key = hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()',
      fixSafety:
        'No automatic fix: changing the algorithm changes every digest, so stored signatures and tokens stop matching and the parties that verify them must switch at the same time. When MD5/SHA-1 is not used for security, pass `usedforsecurity=False` (Python 3.9+) to document it.',
      references: [
        'https://docs.python.org/3/library/hashlib.html#hashlib.new',
        'https://docs.python.org/3/library/hmac.html',
        'https://shattered.io/',
        'https://datatracker.ietf.org/doc/html/rfc6151',
        'https://cheatsheetseries.owasp.org/cheatsheets/Cryptographic_Storage_Cheat_Sheet.html',
      ],
    },
    fixable: false,
  },
  callFilter: (name) =>
    name !== null &&
    (HASHES.has(name) || CRYPTOGRAPHY_HASHES.has(name) || HMAC_FUNCTIONS.has(name) || name === 'hashlib.new'),
  create(ctx) {
    // Tests recompute digests to check them (HTTP digest auth, CRAM-MD5 against a stub server).
    if (isTestPath(ctx.path)) return {};
    const report = (node: SyntaxNode, algo: Algo, data: SyntaxNode | null): void => {
      if (falseValue(ctx, keywordArg(node, 'usedforsecurity'))) return;
      if (readsPassword(ctx, data)) return; // password-fast-hash
      const { purpose, reason } = purposeOf(ctx, node, data);
      if (purpose !== 'security') return;
      ctx.report({ node, messageId: 'weakHash', data: { algo, reason } });
    };

    /** `hmac.new(key, msg, hashlib.md5)` / `digestmod="md5"`. */
    const digestAlgo = (node: SyntaxNode | null): Algo | null => {
      if (!node) return null;
      const n = unparen(node);
      const q = ctx.qualifiedName(n);
      if (q) return HASHES.get(q) ?? null;
      const s = constantString(ctx, n);
      if (s !== null) return algoOfName(s);
      if (n.type === 'call') {
        const c = ctx.calleeName(n);
        return c ? HASHES.get(c) ?? CRYPTOGRAPHY_HASHES.get(c) ?? null : null;
      }
      return null;
    };

    return {
      call(node) {
        const name = ctx.calleeName(node);
        if (!name) return;
        if (HMAC_FUNCTIONS.has(name)) {
          const algo = digestAlgo(argument(node, 2, name === 'hmac.digest' ? 'digest' : 'digestmod'));
          if (algo === 'MD5') ctx.report({ node, messageId: 'hmacMd5', severity: 'low', confidence: 'medium' });
          return;
        }
        if (name === 'hashlib.new') {
          const algo = algoOfName(constantString(ctx, argument(node, 0, 'name')));
          if (algo) report(node, algo, argument(node, 1, 'data') ?? keywordArg(node, 'string'));
          return;
        }
        const algo = HASHES.get(name);
        if (algo) {
          report(node, algo, argument(node, 0, 'data') ?? keywordArg(node, 'string'));
          return;
        }
        const crypto = CRYPTOGRAPHY_HASHES.get(name);
        if (!crypto) return;
        // hashes.SHA1() as the algorithm of a signature, a signature scheme or an HMAC.
        let n = node;
        while (n.parent?.type === 'parenthesized_expression' || n.parent?.type === 'keyword_argument') n = n.parent;
        const args = n.parent;
        const user = args?.type === 'argument_list' ? args.parent : null;
        if (!user) return;
        const userName = ctx.calleeName(user);
        const method = terminalName(user.childForFieldName('function'));
        if (userName && CRYPTOGRAPHY_HMAC.has(userName)) {
          if (crypto === 'MD5') ctx.report({ node, messageId: 'hmacMd5', severity: 'low', confidence: 'medium' });
          return;
        }
        const isSignature =
          method === 'sign' ||
          method === 'verify' ||
          userName === 'cryptography.hazmat.primitives.asymmetric.ec.ECDSA' ||
          userName === 'cryptography.hazmat.primitives.asymmetric.utils.Prehashed';
        if (isSignature) {
          ctx.report({ node, messageId: 'weakSignature', data: { name: node.text, algo: crypto } });
        }
      },
    };
  },
});

import type { RuleContext } from '../../core/context.js';
import { createRule } from '../../core/types.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, enclosingFunction, snakeCase, stringValue, unparen } from '../../python/ast.js';
import { constantString } from '../../python/values.js';
import { isTestPath } from '../../python/module-info.js';

/** `random` functions that return numbers or bytes. */
const NUMERIC = new Set(['random', 'randint', 'randrange', 'getrandbits', 'randbytes']);
/** `random` functions that pick from a population. */
const CHOICE = new Set(['choice', 'choices', 'sample']);

/** Single words that name a secret. */
const SECRET_WORDS = new Set([
  'password', 'passwd', 'passphrase', 'passcode', 'pwd', 'secret', 'apikey', 'otp', 'totp', 'hotp', 'nonce',
  'salt', 'csrf', 'xsrf', 'sessionid',
]);
/** `<first>_key` and `<first>_code` pairs that name a secret. */
const KEY_FIRST = new Set([
  'api', 'private', 'secret', 'access', 'auth', 'signing', 'encryption', 'session', 'activation', 'reset', 'hmac', 'license',
]);
const CODE_FIRST = new Set([
  'reset', 'verification', 'verify', 'confirmation', 'confirm', 'activation', 'auth', 'invite', 'invitation', 'pin',
  'security', 'login', 'sms', 'email', 'mfa', 'access', 'recovery', 'backup', 'unlock', 'otp',
]);
/** Words that make the value a property of a secret rather than the secret itself. */
const NOT_THE_SECRET = new Set([
  'len', 'length', 'size', 'count', 'num', 'min', 'max', 'idx', 'index', 'pos', 'position', 'type', 'types',
  'vocab', 'chars', 'charset', 'alphabet', 'field', 'label', 'hint', 'policy', 'timeout', 'ttl', 'expiry',
  'expires', 'expiration', 'delay', 'interval', 'retries', 'attempts', 'rate', 'prob', 'probability', 'ratio',
  'weight', 'seed', 'pattern', 'regex', 'prompt', 'file', 'path', 'url', 'header', 'name', 'column', 'col',
]);
/** With "token", words that point at text processing (NLP, lexers) rather than credentials. */
const NOT_A_CREDENTIAL_TOKEN = new Set(['id', 'ids', 'tokens', 'word', 'words', 'vocab', 'text', 'sentence']);

type Kind = 'secret' | 'token';

function securityKind(name: string): Kind | null {
  const words = snakeCase(name).split(/[^a-z0-9]+/).filter(Boolean);
  if (words.some((w) => NOT_THE_SECRET.has(w))) return null;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (SECRET_WORDS.has(w)) return 'secret';
    const prev = i > 0 ? words[i - 1] : undefined;
    if (prev && ((w === 'key' && KEY_FIRST.has(prev)) || (w === 'code' && CODE_FIRST.has(prev)))) return 'secret';
    if (prev === 'session' && w === 'id') return 'secret';
    if (prev === 'one' && w === 'time') return 'secret';
  }
  if (words.includes('token') && !words.some((w) => NOT_A_CREDENTIAL_TOKEN.has(w))) return 'token';
  return null;
}

/** Test code generates throwaway values with `random` on purpose. */

/** A population of characters: `"abc..."`, `string.ascii_letters + string.digits`, or a name bound to one. */
function isCharacterSet(ctx: RuleContext, node: SyntaxNode | null, depth = 0): boolean {
  if (!node || depth > 4) return false;
  const n = unparen(node);
  if (constantString(ctx, n) !== null) return true;
  const q = ctx.qualifiedName(n);
  if (q && q.startsWith('string.')) return true;
  if (n.type === 'identifier') {
    const v = ctx.valueOf(n);
    return !!v && v.id !== n.id && isCharacterSet(ctx, v, depth + 1);
  }
  if (n.type === 'binary_operator' && n.child(1)?.type === '+') {
    return isCharacterSet(ctx, n.childForFieldName('left'), depth + 1) && isCharacterSet(ctx, n.childForFieldName('right'), depth + 1);
  }
  return false;
}

function targetName(target: SyntaxNode | null): string | null {
  if (!target) return null;
  const t = unparen(target);
  if (t.type === 'identifier') return t.text;
  if (t.type === 'attribute') return t.childForFieldName('attribute')?.text ?? null;
  if (t.type === 'subscript') return stringValue(t.childForFieldName('subscript'));
  return null;
}

interface Target {
  name: string;
  /** True when the random value went through a join, concatenation, f-string or call on its way. */
  built: boolean;
}

const is = (a: SyntaxNode | null | undefined, b: SyntaxNode): boolean => !!a && a.id === b.id;

/** Follow the random value up through the expressions that build a value, to where it is stored. */
function destination(call: SyntaxNode): Target | null {
  let cur = call;
  let built = false;
  for (let i = 0; i < 16; i++) {
    const p = cur.parent;
    if (!p) return null;
    switch (p.type) {
      case 'parenthesized_expression':
        cur = p;
        continue;
      case 'binary_operator':
      case 'interpolation':
      case 'string':
      case 'concatenated_string':
      case 'list':
      case 'tuple':
        built = true;
        cur = p;
        continue;
      case 'conditional_expression':
        if (is(p.namedChildren[1], cur)) return null;
        cur = p;
        continue;
      case 'list_comprehension':
      case 'generator_expression':
        if (!is(p.childForFieldName('body'), cur)) return null;
        built = true;
        cur = p;
        continue;
      case 'argument_list': {
        const c = p.parent;
        if (!c || c.type !== 'call') return null;
        built = true;
        cur = c;
        continue;
      }
      case 'call':
        if (!is(p.childForFieldName('arguments'), cur)) return null;
        built = true;
        cur = p;
        continue;
      case 'attribute': {
        // A method called on the value: .hex(), .encode(), .hexdigest(), .zfill(6)
        const c = p.parent;
        if (!is(p.childForFieldName('object'), cur) || !c || c.type !== 'call' || !is(c.childForFieldName('function'), p)) {
          return null;
        }
        built = true;
        cur = c;
        continue;
      }
      case 'assignment':
      case 'augmented_assignment': {
        if (!is(p.childForFieldName('right'), cur)) return null;
        const name = targetName(p.childForFieldName('left'));
        return name ? { name, built: built || p.type === 'augmented_assignment' } : null;
      }
      case 'keyword_argument': {
        if (!is(p.childForFieldName('value'), cur)) return null;
        const name = p.childForFieldName('name')?.text;
        return name ? { name, built } : null;
      }
      case 'pair': {
        if (!is(p.childForFieldName('value'), cur)) return null;
        const name = stringValue(p.childForFieldName('key'));
        return name ? { name, built } : null;
      }
      case 'return_statement': {
        const name = enclosingFunction(p)?.childForFieldName('name')?.text;
        return name ? { name, built } : null;
      }
      default:
        return null;
    }
  }
  return null;
}

export default createRule({
  meta: {
    id: 'weak-random-token',
    area: 'secure-coding',
    summary: 'A password, token or other secret is generated with the predictable `random` module.',
    severity: 'high',
    confidence: 'medium',
    cwe: ['CWE-330', 'CWE-338'],
    owasp: ['A02:2021'],
    bandit: ['B311'],
    ruff: ['S311'],
    messages: {
      weak:
        '`random.{{fn}}()` is not cryptographically secure, yet it generates `{{target}}`: an attacker who sees a few outputs can predict the next ones; use the `secrets` module.',
    },
    docs: {
      whatItDoes:
        'Flags functions of the `random` module (`random`, `randint`, `randrange`, `getrandbits`, `randbytes`, `choice`, `choices`, `sample`) whose result becomes a security value: it is assigned (directly, or through `"".join(...)`, `str()`, an f-string or `+=` in a loop) to a name such as `token`, `password`, `otp`, `nonce`, `salt`, `session_id`, `reset_code`, `api_key` or `csrf_token`, passed as such a keyword argument or dictionary key, or returned from a function with such a name. Not flagged: `random` used for jitter, sampling, shuffling or games, `random.choice(tokens)` picking a word, lengths and counts (`password_length`), `secrets`, `random.SystemRandom()`, and test files.',
      whyBad:
        '`random` is a Mersenne Twister: fast and statistically good, but entirely determined by its internal state, which can be rebuilt from 624 observed 32-bit outputs. An attacker who requests a few password-reset codes or session ids can then predict everyone else\'s, and short codes made with `randint(0, 999999)` can also be guessed outright when attempts are not limited.',
      example:
        'import random, string\n\ndef make_reset_token():\n    return "".join(random.choices(string.ascii_letters + string.digits, k=32))',
      useInstead:
        'import secrets\n\ndef make_reset_token():\n    return secrets.token_urlsafe(32)\n\n# codes: f"{secrets.randbelow(10**6):06d}"; picking: secrets.choice(alphabet)',
      fixSafety:
        'No automatic fix: `secrets` offers different functions (`token_urlsafe`, `token_hex`, `randbelow`, `choice`), and `randint(a, b)` includes `b` while `randbelow(n)` excludes `n`, so the replacement needs a person.',
      references: [
        'https://docs.python.org/3/library/secrets.html',
        'https://docs.python.org/3/library/random.html',
        'https://peps.python.org/pep-0506/',
        'https://cheatsheetseries.owasp.org/cheatsheets/Cryptographic_Storage_Cheat_Sheet.html#secure-random-number-generation',
      ],
    },
    fixable: false,
  },
  callFilter: (name) => name !== null && name.startsWith('random.'),
  create(ctx) {
    if (isTestPath(ctx.path)) return {};
    return {
      call(node) {
        const name = ctx.calleeName(node);
        if (!name || !name.startsWith('random.')) return;
        const fn = name.slice('random.'.length);
        const numeric = NUMERIC.has(fn);
        if (!numeric && !CHOICE.has(fn)) return;
        const target = destination(node);
        if (!target) return;
        const kind = securityKind(target.name);
        if (!kind) return;
        // Picking one item from a list (a word, a test password) is not generating a secret;
        // picking characters, or joining several picks, is.
        if (!numeric && !target.built && !isCharacterSet(ctx, argument(node, 0, fn === 'choice' ? 'seq' : 'population'))) {
          return;
        }
        ctx.report({ node, messageId: 'weak', data: { fn, target: target.name } });
      },
    };
  },
});

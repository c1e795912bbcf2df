/**
 * Recognising credentials in string literals without echoing them: well-known token
 * formats (shared by `hardcoded-secret` and `hardcoded-password`, so a token is reported
 * once), placeholder detection, a randomness estimate for generic names, and masking.
 */
import type { SyntaxNode } from './parser.js';
import { stringValue, terminalName } from './ast.js';
import type { Severity } from '../core/types.js';
import { snakeCase } from './ast.js';

export interface SecretFormat {
  id: string;
  /** Human name of the credential, used in messages. */
  label: string;
  severity: Severity;
  pattern: RegExp;
  /** The public, non-secret prefix shown in messages (`ghp_`, `AKIA`). */
  visible: RegExp;
}

/** Formats with a distinctive prefix and length: a match is almost certainly a real credential. */
export const SECRET_FORMATS: SecretFormat[] = [
  { id: 'aws', label: 'AWS access key ID', severity: 'high', pattern: /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/, visible: /^(?:AKIA|ASIA)/ },
  { id: 'github', label: 'GitHub token', severity: 'critical', pattern: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/, visible: /^gh[pousr]_/ },
  { id: 'github-pat', label: 'GitHub fine-grained token', severity: 'critical', pattern: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{82}(?![A-Za-z0-9_])/, visible: /^github_pat_/ },
  { id: 'gitlab', label: 'GitLab personal access token', severity: 'critical', pattern: /(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20}(?![A-Za-z0-9_-])/, visible: /^glpat-/ },
  { id: 'pypi', label: 'PyPI API token', severity: 'critical', pattern: /(?<![A-Za-z0-9_-])pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}/, visible: /^pypi-/ },
  { id: 'npm', label: 'npm access token', severity: 'critical', pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/, visible: /^npm_/ },
  { id: 'stripe', label: 'Stripe live secret key', severity: 'critical', pattern: /(?<![A-Za-z0-9_])[sr]k_live_[A-Za-z0-9]{20,}(?![A-Za-z0-9_])/, visible: /^[sr]k_live_/ },
  { id: 'slack', label: 'Slack token', severity: 'high', pattern: /(?<![A-Za-z0-9-])xox[baprs]-\d{6,}-[A-Za-z0-9-]{10,}/, visible: /^xox[baprs]-/ },
  { id: 'slack-webhook', label: 'Slack incoming webhook URL', severity: 'medium', pattern: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{6,}\/B[A-Z0-9]{6,}\/[A-Za-z0-9]{20,}/, visible: /^https:\/\/hooks\.slack\.com\/services\// },
  { id: 'google', label: 'Google API key', severity: 'medium', pattern: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/, visible: /^AIza/ },
  { id: 'sendgrid', label: 'SendGrid API key', severity: 'high', pattern: /(?<![A-Za-z0-9_-])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/, visible: /^SG\./ },
  { id: 'openai', label: 'OpenAI API key', severity: 'high', pattern: /(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}T3BlbkFJ[A-Za-z0-9_-]{16,}/, visible: /^sk-(?:proj-|svcacct-|admin-)?/ },
  { id: 'anthropic', label: 'Anthropic API key', severity: 'high', pattern: /(?<![A-Za-z0-9_-])sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,}/, visible: /^sk-ant-(?:api|admin)\d{2}-/ },
];

/** A fixed part of every format above and of PEM keys: a cheap test before the full patterns. */
export const SECRET_ANCHORS =
  /AKIA|ASIA|gh[pousr]_|github_pat_|glpat-|pypi-|npm_|k_live_|xox[baprs]-|hooks\.slack\.com|AIza|SG\.|T3BlbkFJ|sk-ant-|PRIVATE KEY/;

const PEM_HEADER = /-----BEGIN ((?:RSA|DSA|EC|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY( BLOCK)?-----/;

export interface SecretMatch {
  label: string;
  severity: Severity;
  /** Safe to print: only the public prefix of the credential. */
  masked: string;
}

/** Text that marks a value as an example or a stand-in, not a live credential. */
const FAKE_WORDS = /example|sample|dummy|fake|placeholder|redacted|changeme|your[_-]?|insert|xxxx|\*\*\*\*/i;

/** Six or more characters in ascending or descending order (`abcdef`, `123456`). */
function hasSequence(s: string, run = 6): boolean {
  let up = 1;
  let down = 1;
  for (let i = 1; i < s.length; i++) {
    const d = s.charCodeAt(i) - s.charCodeAt(i - 1);
    up = d === 1 ? up + 1 : 1;
    down = d === -1 ? down + 1 : 1;
    if (up >= run || down >= run) return true;
  }
  return false;
}

function distinctChars(s: string): number {
  return new Set(s).size;
}

/** A token-shaped string that is evidently made up (docs, tests, templates). */
export function isFakeToken(token: string, prefix: string): boolean {
  const body = token.slice(prefix.length);
  if (FAKE_WORDS.test(body)) return true;
  if (/(.)\1{5,}/.test(body)) return true;
  if (hasSequence(body)) return true;
  return distinctChars(body) < Math.min(8, Math.ceil(body.length / 2));
}

/** The first well-known credential in `text`, skipping placeholders; null when none. */
export function findKnownSecret(text: string, options: { privateKeys?: boolean } = {}): SecretMatch | null {
  if (text.length < 16) return null;
  if (options.privateKeys !== false) {
    const pem = findPrivateKey(text);
    if (pem) return pem;
  }
  for (const f of SECRET_FORMATS) {
    const m = f.pattern.exec(text);
    if (!m) continue;
    const token = m[0];
    const prefix = f.visible.exec(token)?.[0] ?? '';
    if (isFakeToken(token, prefix)) continue;
    return { label: f.label, severity: f.severity, masked: `${prefix}…` };
  }
  return null;
}

/**
 * A PEM private key with a real body (at least 64 base64 characters after the header;
 * a bare header used for parsing or detection is not a key).
 */
export function findPrivateKey(text: string): SecretMatch | null {
  const m = PEM_HEADER.exec(text);
  if (!m) return null;
  const after = text.slice((m.index ?? 0) + m[0].length);
  const lines = after.split(/\\r\\n|\\n|\r?\n/).map((l) => l.trim());
  let encrypted = m[1] === 'ENCRYPTED ';
  let body = '';
  for (const line of lines) {
    if (line.startsWith('-----')) break;
    if (line.includes(':')) {
      if (/ENCRYPTED/.test(line)) encrypted = true;
      continue;
    }
    body += line;
  }
  if (!/^[A-Za-z0-9+/=]{64,}/.test(body)) return null;
  if (FAKE_WORDS.test(body) || /(.)\1{15,}/.test(body)) return null;
  const kind = m[1] && m[1] !== 'ENCRYPTED ' ? `${m[1].trim()} ` : '';
  return {
    label: `${encrypted ? 'passphrase-protected ' : ''}${kind}private key`,
    severity: encrypted ? 'high' : 'critical',
    masked: `-----BEGIN ${m[1] ?? ''}PRIVATE KEY${m[2] ?? ''}-----`,
  };
}

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  if (!s) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Values that stand for a secret rather than being one. */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  if (/^[<[{(].*[>\]})]$/s.test(v)) return true; // <password>, [PAD], {password}
  if (/^\$\w+$|^\$\{[^}]*\}$|^\$\([^)]*\)$|^%\(\w+\)s$|^\{\{.*\}\}$|^<%.*%>$|%s|\{\w*\}/.test(v)) return true; // ${PASSWORD:-x}, %(pw)s, {{ x }}
  if (/^(.)\1*$/.test(v)) return true; // xxxx, ****, .....
  if (/^(?:x+|\*+|todo|tbd|fixme|none|null|nil|undefined|n\/?a|dummy|test|testing|example|sample|placeholder|redacted|hidden|masked|secret_here|fake|mock|foo|bar|baz|foobar|string|str|value|default|empty|unknown|notset|not[-_ ]?set|required|optional)$/i.test(v)) {
    return true;
  }
  return FAKE_WORDS.test(v) && !/changeme/i.test(v);
}

/** Defaults that stay insecure under a secret-key name (`SECRET_KEY = "changeme"`). */
export const WEAK_SECRET_DEFAULTS = new Set([
  'changeme', 'change_me', 'change-me', 'secret', 'supersecret', 'mysecret',
]);

/** Well-known default passwords: a hard-coded credential even though they are short. */
export const WEAK_DEFAULTS = new Set([
  'admin', 'admin123', 'administrator', 'changeme', 'change_me', 'change-me', 'letmein', 'root', 'toor', 'secret',
  'password1', 'password123', 'passw0rd', 'p@ssw0rd', 'p@ssword', 'qwerty', '123456', '12345678', '1234', 'abc123',
  'guest', 'pass123', 'welcome', 'welcome1', 'master', 'hunter2',
]);

/** Hashes of passwords (bcrypt, argon2, Django, Jupyter...): storing these is the safe practice. */
export function isPasswordHash(value: string): boolean {
  return (
    /^\$(?:2[abxy]?|argon2(?:id|i|d)|pbkdf2(?:-sha\d+)?|scrypt|[156]|y|gy)\$/.test(value) ||
    /^(?:pbkdf2_sha\d+|pbkdf2_sha1|argon2|bcrypt(?:_sha256)?|scrypt|sha1|md5|unsalted_\w+|crypt)\$/.test(value) ||
    /^(?:sha1|sha256|sha512|argon2):/.test(value)
  );
}

/** URLs, file paths, dotted import paths, environment variable names. */
export function isReferenceValue(value: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return true;
  // Cloud resource names: AWS ARNs, `projects/p/secrets/s/versions/latest`, `secret/data/app`.
  if (/^arn:aws[\w-]*:/.test(value) || /^[a-z0-9._-]+(?:\/[a-z0-9._-]+){2,}$/.test(value)) return true;
  if (/^(?:[A-Za-z]:)?(?:[~.]{1,2})?[\\/]?(?:[\w.-]+[\\/])+[\w.-]*$/.test(value) && (/^[~./\\]|^[A-Za-z]:/.test(value) || /\.\w{1,5}$/.test(value))) {
    return true;
  }
  if (/^[\w-]+\.(?:pem|key|crt|cer|json|ya?ml|txt|ini|cfg|conf|env|p12|pfx|jks|gpg|asc)$/i.test(value)) return true;
  // Dotted import paths: lower-case module segments, then a module or class name.
  if (/^(?:[a-z_][a-z0-9_]*\.)+[A-Za-z_][A-Za-z0-9_]*$/.test(value)) return true;
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(value)) return true;
  return false;
}

/** A generic secret value: long, no spaces, varied characters, not made of words. */
export function looksRandom(value: string): boolean {
  if (value.length < 12 || /\s/.test(value)) return false;
  if (/^[a-z]+(?:[_.-][a-z]+)*$/i.test(value)) return false; // words and separators only
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(value)).length;
  if (classes < 2) return false;
  return entropy(value) >= 3.0;
}

export type SecretNameKind = 'password' | 'secret';

const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase', 'passcode', 'pword']);
const SECRET_WORDS = new Set(['secret', 'token', 'apikey', 'credential', 'credentials', 'passkey']);
const SECRET_PAIRS = new Set(['api_key', 'private_key', 'access_key', 'auth_key', 'signing_key', 'encryption_key', 'session_key', 'secret_key', 'master_key', 'client_secret']);

/** Last words that say the name holds something about a secret, not the secret itself. */
const NOT_SECRET_LAST = new Set([
  'field', 'fields', 'url', 'urls', 'uri', 'endpoint', 'path', 'file', 'filename', 'dir', 'directory', 'name', 'names',
  'type', 'types', 'label', 'prompt', 'message', 'msg', 'text', 'title', 'pattern', 'regex', 're', 'length', 'len',
  'min', 'max', 'timeout', 'ttl', 'expiry', 'expires', 'expiration', 'age', 'lifetime', 'header', 'algorithm',
  'algorithms', 'algo', 'hasher', 'hashers', 'hash', 'hashed', 'digest', 'salt', 'env', 'var', 'variable', 'prefix',
  'suffix', 'format', 'fmt', 'template', 'policy', 'reset', 'validator', 'validators', 'help', 'error', 'errors',
  'hint', 'placeholder', 'input', 'widget', 'column', 'col', 'attr', 'attribute', 'param', 'parameter', 'method',
  'scheme', 'mode', 'kind', 'location', 'backend', 'class', 'cls', 'count', 'size', 'days', 'hours', 'minutes',
  'seconds', 'secs', 'ms', 'enabled', 'required', 'mask', 'char', 'chars', 'display', 'version', 'index', 'id',
  'ids', 'source', 'provider', 'manager', 'store', 'storage', 'cache', 'service', 'handler', 'factory', 'generator',
  'serializer', 'form', 'view', 'page', 'route', 'link', 'button', 'icon', 'selector', 'xpath', 'locator', 'element',
  'state', 'status', 'flag', 'option', 'options', 'module', 'command', 'cmd', 'query', 'table', 'key_name', 'user',
  'username', 'login', 'email', 'account', 'function', 'func', 'fn', 'callable', 'getter', 'loader', 'strength',
  'complexity', 'rules', 'rule', 'usage', 'desc', 'description', 'doc', 'docs', 'tag', 'property', 'used', 'last',
  'created', 'updated', 'changed', 'at', 'date', 'time', 'timestamp', 'on', 'ref', 'reference', 'arn',
]);
const NOT_SECRET_FIRST = new Set([
  'is', 'has', 'use', 'uses', 'should', 'require', 'requires', 'enable', 'show', 'allow', 'num', 'max', 'min', 'no',
  'can', 'need', 'needs', 'must', 'validate', 'check', 'forgot', 'reset', 'get', 'set', 'on', 'handle',
]);
/** Words anywhere in the name that make it something other than a credential. */
const NOT_SECRET_ANY = new Set([
  'page', 'pagination', 'cursor', 'next', 'continuation', 'csrf', 'xsrf', 'public', 'publishable', 'fake', 'dummy',
  'mock', 'example', 'sample', 'bos', 'eos', 'pad', 'unk', 'sep', 'cls', 'mask', 'special', 'start', 'end', 'stop',
  'eot', 'begin', 'sentinel', 'tokenizer', 'lexer', 'update', 'sync', 'idempotency', 'change',
]);

/**
 * Whether a variable, attribute, key or parameter name denotes a credential, and which kind:
 * `password` names need only a plausible value; `secret` names (tokens, API keys) need a
 * random-looking one. Null for names that describe a secret (`password_field`, `token_url`).
 */
export function secretNameKind(rawName: string): SecretNameKind | null {
  // Identifiers, attribute names, setting keys and header names; not prose or type names (`AWS::S3::Key`).
  if (!/^[A-Za-z_][\w.-]*$/.test(rawName)) return null;
  const words = snakeCase(rawName)
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.replace(/\d+$/, ''))
    .filter(Boolean);
  if (words.length === 0) return null;
  const last = words[words.length - 1] as string;
  const first = words[0] as string;
  if (NOT_SECRET_LAST.has(last) || NOT_SECRET_FIRST.has(first) || words.some((w) => NOT_SECRET_ANY.has(w))) return null;
  if (words.length >= 2 && NOT_SECRET_LAST.has(`${words[words.length - 2]}_${last}`)) return null;
  if (words.some((w) => PASSWORD_WORDS.has(w)) || last === 'pass' || last === 'pw') return 'password';
  if (words.some((w) => SECRET_WORDS.has(w))) return 'secret';
  for (let i = 0; i + 1 < words.length; i++) {
    if (SECRET_PAIRS.has(`${words[i]}_${words[i + 1]}`)) return 'secret';
  }
  return null;
}

/** Test code: fixtures and mocks legitimately hold fake credentials. */
export { isTestPath } from './module-info.js';

/** True when the expression reads a password-named value (`password`, `form.pwd.data`, `data["password"]`). */
export function readsPasswordName(node: SyntaxNode | null): boolean {
  if (!node) return false;
  const stack: SyntaxNode[] = [node];
  let budget = 100;
  while (stack.length > 0 && budget-- > 0) {
    const n = stack.pop() as SyntaxNode;
    if (n.type === 'identifier' || n.type === 'attribute') {
      const name = terminalName(n);
      if (name && secretNameKind(name) === 'password') return true;
      if (n.type === 'attribute') {
        const obj = n.childForFieldName('object');
        if (obj) stack.push(obj);
      }
      continue;
    }
    if (n.type === 'subscript') {
      const key = stringValue(n.childForFieldName('subscript'));
      if (key !== null && secretNameKind(key) === 'password') return true;
      const value = n.childForFieldName('value');
      if (value) stack.push(value);
      continue;
    }
    for (const c of n.namedChildren) stack.push(c);
  }
  return false;
}

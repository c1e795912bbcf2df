import { createRule, type Confidence } from '../../core/types.js';
import type { SyntaxNode } from '../../python/parser.js';
import { SECRET_NAME, positionalArgs, snakeCase, stringValue, unparen } from '../../python/ast.js';
import {
  WEAK_DEFAULTS,
  WEAK_SECRET_DEFAULTS,
  findKnownSecret,
  isPasswordHash,
  isPlaceholder,
  isReferenceValue,
  isTestPath,
  looksRandom,
  secretNameKind,
  type SecretNameKind,
} from '../../python/secrets.js';

/** Functions whose second argument is the value used when the environment lacks the first. */
const ENV_DEFAULTS = new Set(['os.getenv', 'os.environ.get', 'os.environ.setdefault', 'os.getenvb', 'os.environb.get']);

/**
 * Every name the rule accepts contains one of these (SECRET_NAME's alternatives and the
 * Authorization header), and every value it inspects is a string literal.
 */
const CANDIDATE = /pass|pwd|secret|token|key|credential|auth/i;
const candidate = (text: string): boolean => CANDIDATE.test(text) && /["']/.test(text);

/** Header names whose value is a credential (`Bearer …`, `Basic …`, `Token …`). */
const AUTH_HEADERS = new Set(['authorization', 'proxy-authorization']);

interface Verdict {
  kind: SecretNameKind;
  confidence: Confidence;
}

/** Words and separators only, naming a field rather than holding a secret: `user_password`. */
function isFieldName(value: string): boolean {
  return /^[a-z]+(?:[_.-][a-z]+)*$/i.test(value) && /pass|pwd|secret|token|key|auth|cred/i.test(value);
}

/**
 * Is `value`, assigned to something called `name`, a hard-coded credential? Null when the
 * name is not a credential name or the value is a stand-in, a reference or a label.
 */
function judge(name: string, value: string): Verdict | null {
  if (!SECRET_NAME.test(snakeCase(name)) && !SECRET_NAME.test(name)) return null;
  const kind = secretNameKind(name);
  if (!kind) return null;
  const v = value.trim();
  if (isPlaceholder(v) || isPasswordHash(v) || isReferenceValue(v)) return null;
  // Known token formats are reported by hardcoded-secret, once.
  if (findKnownSecret(v)) return null;
  const defaults = kind === 'password' ? WEAK_DEFAULTS : WEAK_SECRET_DEFAULTS;
  if (defaults.has(v.toLowerCase())) return { kind, confidence: 'medium' };
  const normalize = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (normalize(v) === normalize(name) || isFieldName(v)) return null;
  // Prose, and enum-like values such as `not_supported` or `no-information`.
  if (/\s/.test(v) || /^[a-z]+(?:[_-][a-z]+)+$/.test(v)) return null;
  if (kind === 'password') return v.length >= 6 ? { kind, confidence: looksRandom(v) ? 'high' : 'medium' } : null;
  return looksRandom(v) ? { kind, confidence: 'high' } : null;
}

/** The name a target stands for: `x`, `obj.x`, `cfg["x"]`. */
function targetName(node: SyntaxNode | null): string | null {
  if (!node) return null;
  const n = unparen(node);
  switch (n.type) {
    case 'identifier':
      return n.text;
    case 'attribute':
      return n.childForFieldName('attribute')?.text ?? null;
    case 'subscript': {
      const key = n.childForFieldName('subscript');
      return key ? stringValue(unparen(key)) : null;
    }
    default:
      return null;
  }
}

/** A plain string literal (no interpolation). */
function literal(node: SyntaxNode | null): { node: SyntaxNode; value: string } | null {
  if (!node) return null;
  const n = unparen(node);
  const value = stringValue(n);
  return value === null ? null : { node: n, value };
}

export default createRule({
  meta: {
    id: 'hardcoded-password',
    area: 'sensitive-data',
    summary: 'A password, secret key or token is written as a string literal in the code.',
    severity: 'high',
    confidence: 'medium',
    cwe: ['CWE-259', 'CWE-798'],
    owasp: ['A07:2021'],
    bandit: ['B105', 'B106', 'B107'],
    ruff: ['S105', 'S106', 'S107'],
    messages: {
      assigned:
        '`{{name}}` is set to a hard-coded {{kind}}: everyone with access to the code has it, and it cannot be rotated without a release. Read it from the environment or a secret manager.',
      argument:
        'A hard-coded {{kind}} is passed as `{{name}}=`: everyone with access to the code has it, and it cannot be rotated without a release. Read it from the environment or a secret manager.',
      parameterDefault:
        'Parameter `{{name}}` defaults to a hard-coded {{kind}}: callers that omit it silently use a credential everyone with the code knows.',
      compared:
        '`{{name}}` is compared with a hard-coded {{kind}}: anyone who reads the code can pass this check.',
      fallback:
        'The environment variable `{{name}}` falls back to a hard-coded {{kind}}: when the variable is missing, the application runs with a credential everyone with the code knows, instead of failing.',
    },
    docs: {
      whatItDoes:
        'Flags non-empty string literals given to names that denote credentials (password, passwd, pwd, secret, token, api_key, SECRET_KEY, client_secret, private_key, ...): in assignments (to variables, attributes and `cfg["key"]`), dictionary entries, keyword arguments, parameter defaults, comparisons, and as the default of `os.environ.get` / `os.getenv`. Names describing a secret rather than holding one (`password_field`, `token_url`, `PASSWORD_RESET_TIMEOUT`, `TOKEN_TYPE`, `secret_name`, `*_ENV`) are skipped, as are placeholders (`""`, `"<password>"`, `"${PASSWORD}"`, `"your-api-key-here"`, `"xxx"`, `"***"`), labels equal to the name, URLs, paths, environment variable names and password hashes. Token-like names need a random-looking value; password-like names need at least 6 characters or a well-known default such as `"changeme"` or `"admin"`, which are reported because they are exactly what gets shipped. Test files (`tests/`, `test_*.py`, `conftest.py`) are skipped: their fixture credentials are expected, and real token formats there are still caught by `hardcoded-secret`.',
      whyBad:
        'A credential in the source is shared with everyone who can read the repository, its forks, CI logs, packages and container images, and stays in git history after it is removed. It is usually the same in every environment, cannot be rotated without a code change, and attackers routinely scan code for such strings. A hard-coded secret key (Django `SECRET_KEY`, Flask `secret_key`, JWT signing keys) lets anyone forge sessions and tokens.',
      example:
        'import os\n\nDATABASE_PASSWORD = "s3cr3t-Pr0d!"\nSECRET_KEY = os.environ.get("SECRET_KEY", "k8#Jd9!vQ2@zLm4$Xw7&")\n\ndef connect(user, password="hunter22"):\n    ...',
      useInstead:
        'import os\n\nDATABASE_PASSWORD = os.environ["DATABASE_PASSWORD"]   # fails fast when missing\nSECRET_KEY = os.environ["SECRET_KEY"]\n\ndef connect(user, password):\n    ...',
      fixSafety:
        'No automatic fix: the value has to move to the deployment (environment, secret manager), and because it is already in the git history it should also be rotated.',
      references: [
        'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html',
        'https://docs.djangoproject.com/en/stable/ref/settings/#secret-key',
        'https://flask.palletsprojects.com/en/stable/config/#SECRET_KEY',
        'https://bandit.readthedocs.io/en/latest/plugins/b105_hardcoded_password_string.html',
      ],
    },
    fixable: false,
    redactSnippet: true,
  },
  callFilter: (name) => name !== null && ENV_DEFAULTS.has(name),
  textFilters: {
    assignment: candidate,
    pair: candidate,
    keyword_argument: candidate,
    default_parameter: candidate,
    typed_default_parameter: candidate,
    comparison_operator: candidate,
  },
  create(ctx) {
    if (isTestPath(ctx.path)) return {};

    const check = (name: string | null, valueNode: SyntaxNode | null, messageId: string): void => {
      if (!name) return;
      const lit = literal(valueNode);
      if (!lit) return;
      const verdict = judge(name, lit.value);
      if (!verdict) return;
      ctx.report({
        node: lit.node,
        messageId,
        data: { name, kind: verdict.kind },
        confidence: verdict.confidence,
      });
    };

    /** `{"Authorization": "Bearer 9f3a…"}` */
    const checkAuthHeader = (name: string | null, valueNode: SyntaxNode | null): void => {
      if (!name || !AUTH_HEADERS.has(name.toLowerCase())) return;
      const lit = literal(valueNode);
      const m = lit ? /^(?:Bearer|Basic|Token|Bot)\s+(\S+)$/i.exec(lit.value.trim()) : null;
      const credential = m?.[1];
      if (!lit || !credential || isPlaceholder(credential) || findKnownSecret(credential) || !looksRandom(credential)) return;
      ctx.report({ node: lit.node, messageId: 'assigned', data: { name, kind: 'token' }, confidence: 'high' });
    };

    return {
      assignment(node) {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (right?.type === 'assignment') return;
        check(targetName(left), right, 'assigned');
      },
      pair(node) {
        const key = literal(node.childForFieldName('key'));
        if (!key) return;
        check(key.value, node.childForFieldName('value'), 'assigned');
        checkAuthHeader(key.value, node.childForFieldName('value'));
      },
      keyword_argument(node) {
        const name = node.childForFieldName('name')?.text ?? null;
        check(name, node.childForFieldName('value'), 'argument');
      },
      default_parameter(node) {
        check(node.childForFieldName('name')?.text ?? null, node.childForFieldName('value'), 'parameterDefault');
      },
      typed_default_parameter(node) {
        check(node.childForFieldName('name')?.text ?? null, node.childForFieldName('value'), 'parameterDefault');
      },
      comparison_operator(node) {
        const operands = node.namedChildren.filter((c) => c.type !== 'comment');
        if (operands.length !== 2) return;
        const op = node.children.find((c) => !c.isNamed)?.type;
        if (op !== '==' && op !== '!=') return;
        const [a, b] = operands as [SyntaxNode, SyntaxNode];
        if (literal(b)) check(targetName(a), b, 'compared');
        else if (literal(a)) check(targetName(b), a, 'compared');
      },
      call(node) {
        const name = ctx.calleeName(node);
        if (!name || !ENV_DEFAULTS.has(name)) return;
        const [varArg, defaultArg] = positionalArgs(node);
        const varName = literal(varArg ?? null);
        if (!varName || !defaultArg) return;
        check(varName.value, defaultArg, 'fallback');
      },
    };
  },
});

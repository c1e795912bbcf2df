import { describe, expect, it } from '@jest/globals';
import rule from '../../src/rules/sensitive-data/hardcoded-secret.js';
import { ruleTester, run } from '../helpers/rule-tester.js';

// Credentials are assembled from pieces so this file itself never contains a token-shaped
// string (secret scanners and push protection would rightly complain about it).
const j = (...parts: string[]): string => parts.join('');
const AWS = j('AK', 'IA', '2E0A8F3B244C9986');
const GH = j('gh', 'p_', 'R8sVq2LmX9tKwZ4pN7bYcJ1eHfA3uD6gTiQo');
const GH_PAT = j('github', '_pat_', '11AB3CDEF0q8Zr2Lm5XkT9', '_', 'mK3vR9pL2xZ8wT5qN7cJ4bH6fY1dG0sA3uE8iO2rV5tW9yXq8Zr2Lm5XkT9');
const STRIPE = j('sk', '_live_', '51HqX8vK2eZmR4tYpL9cN3wB7');
const SLACK_HOOK = j('https://hooks.slack', '.com/services/', 'T8K3M2QZ1', '/', 'B04R7N5XW2J', '/', 'q7Zk2Rv9Lm4Xt8Wp3Nc6Yb1H');
const GOOGLE = j('AI', 'za', 'SyC8kR2vQ9mZ4xL7tW3pN6bJ1hF5dG0sE-u');
const PYPI = j('pypi-', 'AgEIcHlwaS5vcmc', 'CJDk2ZjA4YzE1LTRkMjUtNGI3Yi04ZWQ5LWMzN2E5YjBmNjQxMgACKlszLCI');
const KEY_BODY = 'MIIEowIBAAKCAQEAwZ8vR2kT9xLq3mN7pB4cJ1hF6dG0sE5uA8iO2rV9tW3yX7zK';
const PEM = j('-----BEGIN RSA ', 'PRIVATE KEY-----');

ruleTester(rule, {
  valid: [
    { name: 'AWS documentation example key', code: `KEY = "${j('AK', 'IA', 'IOSFODNN7', 'EXAMPLE')}"` },
    { name: 'all-x placeholder', code: `TOKEN = "${j('gh', 'p_', 'x'.repeat(36))}"` },
    { name: 'alphabet sequence placeholder', code: `TOKEN = "${j('gh', 'p_', 'abcdefghijklmnopqrstuvwxyzABCD012345')}"` },
    { name: 'PEM header used for parsing', code: `if pem.startswith("${PEM}"):\n    kind = "rsa"` },
    { name: 'PEM with an elided body', code: `KEY = """${PEM}\n...\n-----END RSA PRIVATE KEY-----"""` },
    { name: 'Stripe test-mode key', code: `stripe.api_key = "${j('sk', '_test_', '51HqX8vK2eZmR4tYpL9cN3wB7')}"` },
    { name: 'token embedded in a longer word', code: `x = "${j('X', AWS, 'Z')}"` },
    { name: 'token only interpolated', code: 'headers = {"Authorization": f"token {gh_token}"}' },
    { name: 'prefix mentioned in prose', code: '"""Personal tokens start with ghp_ and Slack bot tokens with xoxb-."""' },
    { name: 'too short to be a Google key', code: `k = "${GOOGLE.slice(0, -2)}"` },
    { name: 'repeated characters', code: `k = "${j('AK', 'IA', '0000000000000000')}"` },
  ],
  invalid: [
    {
      code: `import boto3\ns3 = boto3.client("s3", aws_access_key_id="${AWS}")`,
      errors: [{ line: 2, column: 43, messageId: 'secret', severity: 'high' }],
      output: null,
    },
    {
      name: 'GitHub token inside an f-string literal part',
      code: `url = f"{base}/user?access_token=${GH}"`,
      errors: [{ line: 1, messageId: 'secret', severity: 'critical' }],
    },
    { name: 'GitHub fine-grained token', code: `T = "${GH_PAT}"`, errors: [{ line: 1, messageId: 'secret', severity: 'critical' }] },
    { name: 'Stripe live key', code: `stripe.api_key = '${STRIPE}'`, errors: [{ line: 1, messageId: 'secret', severity: 'critical' }] },
    { name: 'Slack webhook', code: `requests.post("${SLACK_HOOK}", json=msg)`, errors: [{ line: 1, messageId: 'secret', severity: 'medium' }] },
    { name: 'Google API key in a dict', code: `cfg = {"maps": "${GOOGLE}"}`, errors: [{ line: 1, messageId: 'secret', severity: 'medium' }] },
    { name: 'PyPI token', code: `password = "${PYPI}"`, errors: [{ line: 1, messageId: 'secret', severity: 'critical' }] },
    {
      name: 'private key in a triple-quoted string',
      code: `KEY = """${PEM}\n${KEY_BODY}\n${KEY_BODY}\n-----END RSA PRIVATE KEY-----\n"""`,
      errors: [{ line: 1, column: 7, messageId: 'secret', severity: 'critical' }],
    },
    {
      name: 'private key split over implicit concatenation: one finding',
      code: `KEY = (\n    "${PEM}\\n"\n    "${KEY_BODY}\\n"\n    "${KEY_BODY}\\n"\n    "-----END RSA PRIVATE KEY-----\\n"\n)`,
      errors: [{ line: 2, messageId: 'secret', severity: 'critical' }],
    },
    {
      name: 'passphrase-protected key is less severe',
      code: `KEY = b"${j('-----BEGIN ENCRYPTED ', 'PRIVATE KEY-----')}\\n${KEY_BODY}\\n-----END ENCRYPTED PRIVATE KEY-----"`,
      errors: [{ line: 1, messageId: 'secret', severity: 'high' }],
    },
    {
      name: 'one finding per string even with two tokens',
      code: `pair = "${AWS}:${GH}"`,
      errors: [{ line: 1, messageId: 'secret' }],
    },
    {
      name: 'still reported in tests',
      path: 'tests/test_client.py',
      code: `TOKEN = "${GH}"`,
      errors: [{ line: 1, messageId: 'secret' }],
    },
  ],
});

describe('hardcoded-secret messages', () => {
  it('show only the public prefix, never the secret', () => {
    const code = `a = "${AWS}"\nb = "${GH}"\nc = "${STRIPE}"\nd = """${PEM}\n${KEY_BODY}\n"""`;
    const found = run(rule, code).findings;
    expect(found.map((f) => f.messageId)).toEqual(['secret', 'secret', 'secret', 'secret']);
    for (const f of found) {
      for (const secret of [AWS.slice(4), GH.slice(4), STRIPE.slice(8), KEY_BODY.slice(0, 12)]) {
        expect(f.message).not.toContain(secret);
      }
    }
    expect(found[0]?.message).toContain('AKIA…');
  });
});

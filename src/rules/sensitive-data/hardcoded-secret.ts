import { createRule } from '../../core/types.js';
import type { SyntaxNode } from '../../python/parser.js';
import { SECRET_ANCHORS, findKnownSecret, findPrivateKey, isTestPath, type SecretMatch } from '../../python/secrets.js';

/** The literal text of a string node, one segment per run between interpolations. */
function segments(str: SyntaxNode): string[] {
  const out: string[] = [];
  let current = '';
  for (const c of str.namedChildren) {
    if (c.type === 'interpolation') {
      out.push(current);
      current = '';
    } else if (c.type === 'string_content' || c.type === 'escape_sequence') {
      current += c.text;
    }
  }
  out.push(current);
  return out.filter((s) => s.length > 0);
}

export default createRule({
  meta: {
    id: 'hardcoded-secret',
    area: 'sensitive-data',
    summary: 'A credential in a well-known format (cloud key, API token, private key) is written in the source.',
    severity: 'critical',
    confidence: 'high',
    cwe: ['CWE-798'],
    owasp: ['A07:2021'],
    messages: {
      secret:
        '{{article}} {{kind}} ({{masked}}) is hard-coded: anyone who can read this repository, its history or a built package can use it. Revoke it now and load it from the environment or a secret manager.',
    },
    docs: {
      whatItDoes:
        'Flags string literals containing a credential in a format that identifies it with high confidence: AWS access key IDs (`AKIA…`/`ASIA…`), GitHub tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`), GitLab, PyPI and npm tokens, Slack tokens and webhook URLs, Stripe live secret keys, Google API keys, SendGrid, OpenAI and Anthropic API keys, and PEM private keys with a key body. Obvious stand-ins (`AKIAIOSFODNN7EXAMPLE`, `xxxx`, `abcdef…` sequences) are skipped. Messages name the kind of credential and show only its public prefix, never the secret.',
      whyBad:
        'Source code is copied far more widely than secrets should be: every clone, fork, CI log, container image, wheel and backup carries it, and git history keeps it after the line is deleted. Automated scanners harvest public repositories for exactly these formats within minutes. Whoever finds the key acts with its full privileges: reading data, running cloud resources on your bill, publishing packages in your name.',
      example:
        'import boto3\n\ns3 = boto3.client(\n    "s3",\n    aws_access_key_id="AKIA2E0A8F3B244C9986",\n    aws_secret_access_key=SECRET,\n)',
      useInstead:
        'import boto3\n\n# Credentials come from the environment, ~/.aws, or the instance role.\ns3 = boto3.client("s3")\n\n# Or, for other services:\nimport os\ntoken = os.environ["GITHUB_TOKEN"]',
      fixSafety:
        'No automatic fix. Removing the literal is not enough: the credential is already in the git history, so revoke or rotate it first, then read it from the environment or a secret manager.',
      references: [
        'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html',
        'https://docs.github.com/en/code-security/secret-scanning/introduction/about-secret-scanning',
        'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles',
        'https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/removing-sensitive-data-from-a-repository',
      ],
    },
    fixable: false,
    redactSnippet: true,
  },
  // Every format has one of these fixed parts; strings without any are never inspected.
  // Both visitors need an anchor (or `PRIVATE KEY`, one of the anchors) in the node's text.
  fileFilter: (source) => SECRET_ANCHORS.test(source),
  textFilters: {
    string: (text) => SECRET_ANCHORS.test(text),
    concatenated_string: (text) => text.includes('PRIVATE KEY'),
  },
  create(ctx) {
    const inTests = isTestPath(ctx.path);
    const report = (node: SyntaxNode, match: SecretMatch): void => {
      ctx.report({
        node,
        messageId: 'secret',
        data: { article: /^[aeiou]/i.test(match.label) ? 'An' : 'A', kind: match.label, masked: match.masked },
        severity: match.severity,
        ...(inTests ? { confidence: 'medium' as const } : {}),
      });
    };
    return {
      string(node) {
        const inConcatenation = node.parent?.type === 'concatenated_string';
        for (const text of segments(node)) {
          // A private key split over implicitly concatenated literals is judged as a whole below.
          const match = findKnownSecret(text, { privateKeys: !inConcatenation });
          if (match) {
            report(node, match);
            return;
          }
        }
      },
      concatenated_string(node) {
        const text = node.namedChildren
          .filter((c) => c.type === 'string')
          .map((c) => segments(c).join('\n'))
          .join('');
        const key = findPrivateKey(text);
        if (key) report(node, key);
      },
    };
  },
});

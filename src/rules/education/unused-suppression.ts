import { createRule } from '../../core/types.js';

/**
 * Not a visitor rule: the engine produces these findings itself after suppressions are
 * matched, when `reportUnusedSuppressions` is on. It lives in the catalogue so it has an
 * id, docs, and can be configured like any other rule.
 */
export default createRule({
  meta: {
    id: 'unused-suppression',
    area: 'education',
    summary: 'A `# pysec: ignore` comment that suppresses nothing.',
    severity: 'low',
    confidence: 'high',
    cwe: [],
    owasp: [],
    ruff: ['RUF100'],
    messages: {
      unused: 'Suppression {{what}} matches no finding on this statement; remove it.',
    },
    docs: {
      whatItDoes:
        'Reports `# pysec: ignore` and `# pysec: ignore[rule-id]` comments that did not suppress any finding. Off unless `reportUnusedSuppressions: true` is set in the configuration (or `--report-unused-suppressions` on the command line).',
      whyBad:
        'A stale suppression outlives the code it was written for. When the line changes later, it silently hides a new, real problem that nobody reviewed.',
      example: 'digest = hashlib.sha256(data).hexdigest()  # pysec: ignore[weak-hash]',
      useInstead: 'digest = hashlib.sha256(data).hexdigest()',
      fixSafety: 'Removing the comment changes no behaviour. pysec does not offer an automatic fix.',
      references: ['https://docs.astral.sh/ruff/rules/unused-noqa/'],
    },
    fixable: false,
  },
  create() {
    return {};
  },
});

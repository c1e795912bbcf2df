import { createRule } from '../../core/types.js';

/** Not a visitor rule: findings come from the dependency pipeline (src/deps/analyze.ts). */
export default createRule({
  meta: {
    id: 'vulnerable-version-range',
    area: 'dependencies',
    summary: 'A version range still admits a release with known vulnerabilities (e.g. `flask>=0.10`).',
    severity: 'medium',
    confidence: 'medium',
    cwe: ['CWE-1395'],
    owasp: ['A06:2021'],
    messages: {
      range:
        '`{{spec}}` admits {{package}} {{lowest}}, which has {{count}} known {{vulnerabilities}}: {{advisories}}. Raise the lower bound to {{fixed}}, the smallest version that fixes {{all}}{{major}}.',
      rangeNoFix: '`{{spec}}` admits {{package}} {{lowest}}, which has {{count}} known {{vulnerabilities}}: {{advisories}}. {{why}}',
    },
    docs: {
      whatItDoes:
        'Checks dependency ranges with a lower bound (`>=X`, `~=X`, `==X.*`) in requirements files, pyproject.toml, Pipfile, setup.cfg/setup.py and conda environments: when the lowest version the range admits has known vulnerabilities (OSV advisories), it reports them and the smallest version that fixes all of them. Ranges without a lower bound and exact pins are left to `unpinned-dependency` and `vulnerable-dependency`.',
      whyBad:
        'A range is a promise that every version in it works. Resolvers pick the newest version only when nothing else constrains them: another package\'s upper bound, a constraints file, an offline mirror, an old lock file or a `pip install --upgrade-strategy only-if-needed` on a machine that already has the old release all keep the vulnerable version installed — and library users inherit your lower bound as the oldest version they may get.',
      example: '# requirements.in\nflask>=0.10',
      useInstead: '# requirements.in\nflask>=2.3.2',
      fixSafety:
        'For a `>=X` lower bound the fix raises X to the smallest version that fixes every listed advisory, when that version still satisfies the rest of the range. Raising a lower bound can make resolution fail when another dependency needs an older version, and may be a new major version (the message says so). `~=` and `==X.*` ranges are not rewritten: the fix would change their upper bound too.',
      references: [
        'https://osv.dev/',
        'https://packaging.python.org/en/latest/specifications/version-specifiers/',
        'https://owasp.org/Top10/A06_2021-Vulnerable_and_Outdated_Components/',
      ],
      language: 'text',
    },
    fixable: true,
  },
  create() {
    return {};
  },
});

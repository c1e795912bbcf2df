import { createRule } from '../../core/types.js';

/**
 * Not a visitor rule: findings come from the dependency pipeline (src/deps/analyze.ts).
 *
 * CWE-829 (Inclusion of Functionality from Untrusted Control Sphere): without a pin, which code
 * gets installed is decided at install time by whoever publishes the newest release on the
 * index, not by the project's review — a hijacked or malicious release goes straight in.
 */
export default createRule({
  meta: {
    id: 'unpinned-dependency',
    area: 'dependencies',
    summary: 'An application dependency has no exact version pin and no lock file fixes it.',
    severity: 'low',
    confidence: 'high',
    cwe: ['CWE-829'],
    owasp: ['A08:2021', 'A06:2021'],
    messages: {
      missing:
        '`{{spec}}` pins no version: every install takes whatever {{package}} release is newest that day. Pin it (`{{package}}==X.Y.Z`) or install from a lock file (pip-compile, uv, Poetry, Pipenv).',
      loose:
        '`{{spec}}` admits many {{package}} versions: installs are not reproducible and take new releases unreviewed. Pin an exact version or install from a lock file (pip-compile, uv, Poetry, Pipenv).',
    },
    docs: {
      whatItDoes:
        'Reports dependencies without an exact pin (`name` or `name>=1.0` rather than `name==1.2.3`). By default (`dependencies.unpinned: applications`) only application manifests are checked — requirements files and Pipfiles with no lock file (poetry.lock, uv.lock, pdm.lock, Pipfile.lock, pylock.toml) in the same folder, and pip-tools `.in` files without their compiled `.txt` — because libraries should declare ranges. `always` checks every manifest (pyproject.toml, setup.cfg, setup.py and conda environments too), `never` turns the check off. Constraints files, direct references (`name @ url`, `-e path`) and entries whose range is already reported by `vulnerable-version-range` are not reported.',
      whyBad:
        'An unpinned dependency is chosen at install time, not in review: the build that passed CI is not the one that ships, a compromised or malicious release of the package (or of a package it pulls in) is installed the moment it is published, and a vulnerability fixed by downgrading or upgrading cannot be tracked to a version. Pins (ideally with hashes, from a lock file) make deployments reproducible and every dependency change a reviewed diff.',
      example: '# requirements.txt (no lock file)\nrequests\nflask>=2.0',
      useInstead:
        '# requirements.in\nrequests\nflask>=2.0\n\n# requirements.txt, generated with: pip-compile --generate-hashes requirements.in\nrequests==2.32.3 \\\n    --hash=sha256:...\nflask==3.0.3 \\\n    --hash=sha256:...',
      fixSafety: 'No automatic fix: pysec does not know which version you test with. Generate pins with a lock tool (`pip-compile`, `uv pip compile`, `uv lock`, `poetry lock`, `pipenv lock`) and install from its output.',
      references: [
        'https://pip.pypa.io/en/stable/topics/repeatable-installs/',
        'https://pip-tools.readthedocs.io/',
        'https://docs.astral.sh/uv/concepts/projects/sync/',
        'https://packaging.python.org/en/latest/discussions/install-requires-vs-requirements/',
      ],
      language: 'text',
    },
    fixable: false,
  },
  create() {
    return {};
  },
});

import { createRule } from '../../core/types.js';

/**
 * Not a visitor rule: findings come from the dependency pipeline (src/deps/analyze.ts), which
 * reads manifests and lock files and matches their pins against OSV advisories. The entry
 * gives the findings an id, documentation and configuration like any other rule.
 */
export default createRule({
  meta: {
    id: 'vulnerable-dependency',
    area: 'dependencies',
    summary: 'A pinned or locked dependency version has known vulnerabilities (OSV advisories).',
    severity: 'high',
    confidence: 'high',
    cwe: ['CWE-1395'],
    owasp: ['A06:2021'],
    messages: {
      fix: '{{package}} {{version}} has {{count}} known {{vulnerabilities}}: {{advisories}}. Upgrade to {{fixed}}, the smallest version that fixes {{all}}{{major}}{{how}}.',
      noFix:
        '{{package}} {{version}} has {{count}} known {{vulnerabilities}}: {{advisories}}. No fixed version is known ({{unfixed}}): upgrade to the latest release if it is not affected, or replace or remove the package{{how}}.',
    },
    docs: {
      whatItDoes:
        'Matches every exactly pinned dependency (`name==1.2.3` in requirements files, pyproject.toml, Pipfile, setup.cfg/setup.py, conda environments) and every locked one (poetry.lock, uv.lock, pdm.lock, Pipfile.lock, pylock.toml) against the OSV advisory database (the OSV API, or an offline copy given with `--osv-db` / `PYSEC_OSV_DB`). One finding per package and line lists its advisories — PYSEC, GHSA and CVE ids of the same vulnerability are merged — with their severity and summary, and the smallest version that fixes all of them; it says when that version is a new major release or when no fix is published. The finding\'s severity is the highest advisory severity (CVSS v3 score or the database\'s rating), high when no advisory rates itself. When the advisory source cannot be reached the review says that vulnerability checks were skipped and why; the other dependency checks still run.',
      whyBad:
        'Known vulnerabilities are the ones attackers try first: advisories are public, often with a proof of concept, and scanners for them run across the whole internet within days. A vulnerable library is part of your application — a denial of service in a request parser or an SQL injection in an ORM is exploitable through your code even though you never wrote the bug.',
      example: '# requirements.txt\ndjango==3.2.10\nurllib3==1.26.4',
      useInstead: '# requirements.txt\ndjango==3.2.24\nurllib3==1.26.18',
      fixSafety:
        'For a one-line pin in a requirements file, pyproject.toml, Pipfile, setup.cfg or setup.py, the fix replaces the version with the smallest version that fixes every listed advisory. That is usually a patch release of the same series, but it can be a new major version (the message says so): read the changelog and run your tests. Pins that carry `--hash` values are not rewritten (the hashes belong to the old version: regenerate them with `pip-compile --generate-hashes`), and lock files are never edited: update the package with your tool (`poetry update NAME`, `uv lock --upgrade-package NAME`, `pdm update NAME`, `pipenv upgrade NAME`).',
      references: [
        'https://osv.dev/',
        'https://github.com/pypa/advisory-database',
        'https://owasp.org/Top10/A06_2021-Vulnerable_and_Outdated_Components/',
        'https://pip.pypa.io/en/stable/topics/secure-installs/',
      ],
      language: 'text',
    },
    fixable: true,
  },
  create() {
    return {};
  },
});

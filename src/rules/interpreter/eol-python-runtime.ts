import { createRule } from '../../core/types.js';

/**
 * Not a visitor rule: findings come from the dependency pipeline (src/deps/analyze.ts), which
 * reads the interpreter pins of Dockerfiles, .python-version, runtime.txt, tox.ini, GitHub
 * Actions workflows, Pipfile `[requires]` and conda environments (src/deps/runtime).
 */
export default createRule({
  meta: {
    id: 'eol-python-runtime',
    area: 'interpreter',
    summary: 'A Docker image, CI matrix or version file runs an end-of-life Python version.',
    severity: 'high',
    confidence: 'high',
    cwe: ['CWE-1104'],
    owasp: ['A06:2021'],
    messages: {
      eol: '{{where}} pins Python {{version}}, which reached end of life on {{date}} and gets no security fixes; move to Python {{supported}} or newer.',
      ancient: '{{where}} pins Python {{version}}, which has been end-of-life for over a decade and gets no security fixes; move to Python {{supported}} or newer.',
      eolSoon: '{{where}} pins Python {{version}}, which reaches end of life on {{date}} ({{days}}); plan the move to Python {{supported}} or newer.',
    },
    docs: {
      whatItDoes:
        'Finds the Python versions a project runs or tests on — `FROM python:X` in Dockerfiles (with ARG defaults), `.python-version`, Heroku-style `runtime.txt`, tox `envlist`, GitHub Actions `python-version` matrices and `setup-python` inputs, Pipfile `[requires] python_version` and conda `python=X` — and reports each version past its end of life on the day of the scan (high), or reaching it within `dependencies.eolWarningDays` days (180 by default; low). End-of-life dates come from the Python release schedule bundled with pysec.',
      whyBad:
        'An end-of-life interpreter gets no security fixes: vulnerabilities in CPython and its standard library (ssl, http, email, tarfile, xml ...) found after that date stay open in every container and server built from that pin. Libraries drop the old version too, so its environments freeze on old, vulnerable releases of their dependencies.',
      example: '# Dockerfile\nFROM python:3.8-slim\n\n# .github/workflows/ci.yml\n    strategy:\n      matrix:\n        python-version: ["3.7", "3.8"]',
      useInstead: '# Dockerfile\nFROM python:3.13-slim\n\n# .github/workflows/ci.yml\n    strategy:\n      matrix:\n        python-version: ["3.12", "3.13"]',
      fixSafety:
        'No automatic fix: moving to a new interpreter can change behaviour (removed modules and APIs, new deprecation errors) and needs the dependencies to support it. Update the pin and run the tests on the new version.',
      references: ['https://devguide.python.org/versions/', 'https://docs.python.org/3/whatsnew/index.html', 'https://hub.docker.com/_/python'],
      language: 'text',
    },
    fixable: false,
  },
  create() {
    return {};
  },
});

import { createRule } from '../../core/types.js';

/** Not a visitor rule: findings come from the dependency pipeline (src/deps/analyze.ts). */
export default createRule({
  meta: {
    id: 'insecure-package-index',
    area: 'dependencies',
    summary: 'Packages come from an index over plain HTTP, without TLS verification, or from an extra index open to dependency confusion.',
    severity: 'high',
    confidence: 'high',
    cwe: ['CWE-494', 'CWE-829'],
    owasp: ['A08:2021'],
    messages: {
      http: 'Packages are downloaded over plain HTTP from {{url}}: anyone on the network path can replace them with their own code. Use an https:// URL.',
      trustedHost:
        '`{{text}}` turns off TLS certificate verification for {{host}}: anyone on the network path can serve any package. Give pip the server\'s CA certificate instead (`--cert`, `PIP_CERT`, or `cert` in pip.conf).',
      extraIndex:
        '`--extra-index-url {{url}}`: pip looks for every package on this index and on the main index and installs the highest version found on either, so anyone can publish one of your private package names on PyPI with a higher version and have it installed (dependency confusion). Use a single `--index-url` that proxies PyPI, or pin every package with `--hash`.',
    },
    docs: {
      whatItDoes:
        'Reads package-index settings in requirements files (`--index-url`, `--extra-index-url`, `--find-links`, `--trusted-host`), Pipfile and Pipfile.lock sources, Poetry/PDM/uv sources in pyproject.toml, conda channels and per-package index or download URLs in lock files. It reports `http://` URLs (high; loopback addresses excepted), `--trusted-host` and `verify_ssl = false` (medium), and `--extra-index-url` in requirements files and conda pip lists (medium), where pip merges the indexes.',
      whyBad:
        'pip runs code from the packages it installs (build backends, setup.py, and then your application imports them). A package fetched over plain HTTP or from a server whose certificate is not checked can be swapped by anyone between you and the index. With `--extra-index-url`, pip treats both indexes as equal and takes the highest version: attackers publish internal package names on PyPI with a huge version number (the 2021 "dependency confusion" attacks on dozens of companies, the 2022 PyTorch `torchtriton` compromise).',
      example: '# requirements.txt\n--index-url http://pypi.internal.example/simple\n--trusted-host pypi.internal.example\n--extra-index-url https://pypi.internal.example/simple\nmycompany-utils==1.4.0',
      useInstead:
        '# requirements.txt: one index that proxies PyPI, over verified TLS\n--index-url https://pypi.internal.example/simple\nmycompany-utils==1.4.0 \\\n    --hash=sha256:...',
      fixSafety: 'No automatic fix: the right URL or certificate depends on your index server.',
      references: [
        'https://pip.pypa.io/en/stable/topics/secure-installs/',
        'https://pip.pypa.io/en/stable/cli/pip_install/#finding-packages',
        'https://medium.com/@alex.birsan/dependency-confusion-4a5d60fec610',
        'https://pytorch.org/blog/compromised-nightly-dependency/',
        'https://docs.astral.sh/uv/configuration/indexes/#searching-across-multiple-indexes',
      ],
      language: 'text',
    },
    fixable: false,
  },
  create() {
    return {};
  },
});

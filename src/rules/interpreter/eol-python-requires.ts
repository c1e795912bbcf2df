import { createRule, type Rule } from '../../core/types.js';
import { keywordArg, stringValue, unparen } from '../../python/ast.js';
import { constantString } from '../../python/values.js';
import { eolStatus, formatVersion, lowerBound, oldestSupported } from './python-eol-data.js';

const SETUP_FUNCTIONS = new Set(['setuptools.setup', 'distutils.core.setup', 'skbuild.setup']);

/** `">=3.6"` (whitespace and a patch level allowed): the only shape the fix rewrites. */
export const SIMPLE_LOWER_BOUND = /^\s*>=\s*\d+(?:\.\d+){0,2}\s*$/;

/**
 * The rule with an injectable clock. The default export reads the real clock when a file
 * is checked; tests build the rule with a fixed date so they never depend on today.
 */
export function eolPythonRequiresRule(now: () => Date = () => new Date()): Rule {
  return createRule({
    meta: {
      id: 'eol-python-requires',
      area: 'interpreter',
      summary: '`python_requires` / `requires-python` still admits an end-of-life Python version.',
      severity: 'low',
      confidence: 'high',
      cwe: ['CWE-1104'],
      owasp: ['A06:2021'],
      messages: {
        eol: '`{{key}}` admits Python {{version}}, which reached end of life on {{date}} and gets no security fixes; require {{supported}} or newer.',
        ancient:
          '`{{key}}` admits Python {{version}}, which has been end-of-life for over a decade and gets no security fixes; require {{supported}} or newer.',
      },
      docs: {
        whatItDoes:
          'Checks `setup(python_requires=...)` in `setup.py` (setuptools, distutils, scikit-build), `requires-python` in `pyproject.toml` (PEP 621), Poetry\'s `[tool.poetry.dependencies] python` and `python_requires` in `setup.cfg`, and flags a specifier whose lower bound (`>=X.Y`, `>X.Y`, `~=X.Y`, `==X.Y.*`, `==X.Y`) is a Python version past its end of life on the day of the scan, Python 2 included. Specifiers without a lower bound, versions still supported, and values that are not constant strings are not flagged. End-of-life dates come from the Python release schedule bundled with pysec.',
        whyBad:
          'An end-of-life Python receives no more security fixes: vulnerabilities found in the interpreter or its standard library (ssl, http, xml, tarfile, ...) stay open forever. Declaring support for it invites users to install your package there, keeps CI testing it, and holds the code back from the safer APIs and defaults of newer versions. Dependencies drop old versions too, so an old lower bound often resolves to old, vulnerable releases of them on those interpreters.',
        example: 'from setuptools import setup\n\nsetup(\n    name="mypackage",\n    python_requires=">=3.6",\n)',
        useInstead:
          'from setuptools import setup\n\nsetup(\n    name="mypackage",\n    # The oldest Python that still gets security fixes: see https://devguide.python.org/versions/\n    python_requires=">=3.11",\n)',
        fixSafety:
          'For a plain `">=X.Y"` specifier (in setup.py, pyproject.toml or setup.cfg) the fix raises the lower bound to the oldest Python version still supported on the day of the scan. This drops support for older interpreters: pip on those interpreters will pick an older release of your package instead, and code or CI matrices that still target them should be updated in the same change. Other specifiers (ranges, `~=`, exclusions) are not rewritten.',
        references: [
          'https://devguide.python.org/versions/',
          'https://packaging.python.org/en/latest/guides/dropping-older-python-versions/',
          'https://setuptools.pypa.io/en/latest/userguide/dependency_management.html#python-requirement',
          'https://peps.python.org/pep-0373/',
        ],
      },
      fixable: true,
    },
    callFilter: (name) => name !== null && SETUP_FUNCTIONS.has(name),
    create(ctx) {
      const file = ctx.path.split(/[\\/]/).pop() ?? '';
      if (file !== 'setup.py') return {};
      return {
        call(node) {
          const name = ctx.calleeName(node);
          if (name === null || !SETUP_FUNCTIONS.has(name)) return;
          const value = keywordArg(node, 'python_requires');
          if (!value) return;
          const spec = constantString(ctx, value);
          if (spec === null) return;
          const bound = lowerBound(spec);
          if (!bound) return;
          const today = now();
          const status = eolStatus(bound, today);
          if (status.kind !== 'eol' && status.kind !== 'ancient') return;
          const supported = oldestSupported(today);
          const target = supported ? formatVersion(supported) : null;
          const literal = unparen(value);
          // Rewrite only a literal written in place, never a shared constant elsewhere.
          const fixable = target !== null && stringValue(literal) !== null && literal.type === 'string' && SIMPLE_LOWER_BOUND.test(spec);
          const quote = literal.text.match(/^[a-zA-Z]*("""|'''|"|')/)?.[1] ?? '"';
          ctx.report({
            node: value,
            messageId: status.kind,
            data: {
              key: 'python_requires',
              version: formatVersion(bound),
              date: status.kind === 'eol' ? status.endOfLife : '',
              supported: target ?? 'a supported version',
            },
            ...(fixable
              ? { fix: ctx.replace(literal, `${quote}>=${target}${quote}`, `Require Python ${target} or newer`) }
              : {}),
          });
        },
      };
    },
  });
}

export default eolPythonRequiresRule();

import { createRule } from '../../core/types.js';
import type { SyntaxNode } from '../../python/parser.js';
import { isTrue } from '../../python/ast.js';
import { importsPackage, isModuleLevel } from '../../python/module-info.js';

/** Module-level names that only a Django settings module assigns. */
const SETTINGS_MARKERS = new Set(['INSTALLED_APPS', 'ROOT_URLCONF', 'MIDDLEWARE', 'MIDDLEWARE_CLASSES']);

/** Words in a settings file name that say it is for development or tests, not production. */
const DEV_WORDS = new Set(['dev', 'devel', 'develop', 'development', 'local', 'test', 'tests', 'testing', 'ci']);

function pathParts(path: string): { dirs: string[]; stem: string } {
  const parts = path.split(/[\\/]/).filter(Boolean);
  const file = parts.pop() ?? '';
  return { dirs: parts, stem: file.replace(/\.pyi?$/i, '') };
}

/** `settings.py`, `settings_prod.py`, `prod_settings.py`, or any file in a `settings/` package. */
function isSettingsPath(path: string): boolean {
  const { dirs, stem } = pathParts(path.toLowerCase());
  if (!/\.py$/i.test(path)) return false;
  if (/^settings(?:[_-]\w+)?$/.test(stem) || /^\w+[_-]settings$/.test(stem)) return true;
  return dirs[dirs.length - 1] === 'settings' && stem !== '__init__';
}

/** `dev.py`, `local_settings.py`, `settings_test.py`, `settings/testing.py`, `tests/settings.py`. */
function isDevSettingsPath(path: string): boolean {
  const { dirs, stem } = pathParts(path.toLowerCase());
  if (stem.split(/[_\-.]/).some((w) => DEV_WORDS.has(w))) return true;
  return dirs.some((d) => d === 'tests' || d === 'test');
}

export default createRule({
  meta: {
    id: 'django-debug-enabled',
    area: 'logging',
    summary: 'A Django settings module sets `DEBUG = True`.',
    severity: 'medium',
    confidence: 'medium',
    cwe: ['CWE-489', 'CWE-215'],
    owasp: ['A05:2021'],
    messages: {
      debug:
        '`{{name}} = True` in a Django settings module: if this reaches production, error pages show stack traces, local variables and settings to any visitor.',
    },
    docs: {
      whatItDoes:
        'Flags a module-level `DEBUG = True` (and the legacy `TEMPLATE_DEBUG = True`, with low severity) in a Django settings module: a file named `settings.py`, `settings_<name>.py` or `<name>_settings.py`, a file in a `settings/` package, or any module that also assigns `INSTALLED_APPS`, `ROOT_URLCONF` or `MIDDLEWARE` at module level. Settings files whose names say they are for development or tests (`dev.py`, `local.py`, `settings_test.py`, `tests/settings.py`, ...) are reported with low severity and confidence. A value read from the environment, `DEBUG = False`, and assignments inside functions, classes or `if` blocks are not flagged.',
      whyBad:
        'With `DEBUG = True`, every unhandled error returns a detailed technical page: the stack trace with local variables, the request, and most of the settings module, which hands an attacker file paths, library versions, SQL and sometimes credentials that the redaction filter does not recognise (CWE-215). Debug mode also lists every URL pattern on 404 pages, keeps a copy of every SQL query in memory (a slow memory leak under load), and has Django serve static files itself. Because `django-admin startproject` writes `DEBUG = True` into settings.py, it is easy to deploy that file unchanged.',
      example: '# mysite/settings.py\nDEBUG = True\nALLOWED_HOSTS = ["example.com"]',
      useInstead:
        '# mysite/settings.py\nimport os\n\n# Off unless the environment explicitly turns it on (e.g. DJANGO_DEBUG=1 on a laptop).\nDEBUG = os.environ.get("DJANGO_DEBUG") == "1"\nALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",")\n\n# Or keep DEBUG = True only in settings/dev.py, and run `python manage.py check --deploy` in CI.',
      fixSafety:
        'No automatic fix: where the setting should come from (an environment variable, a separate development settings file, a secrets manager) is a project decision. If this file is only ever used for development, name it so (`settings/dev.py`, `local_settings.py`) or suppress with `# pysec: ignore[django-debug-enabled]`.',
      references: [
        'https://docs.djangoproject.com/en/stable/ref/settings/#debug',
        'https://docs.djangoproject.com/en/stable/howto/deployment/checklist/',
        'https://docs.djangoproject.com/en/stable/topics/settings/',
      ],
    },
    fixable: false,
  },
  // The names `record` looks at: DEBUG, TEMPLATE_DEBUG and SETTINGS_MARKERS.
  textFilters: {
    assignment: (text) => /DEBUG|INSTALLED_APPS|ROOT_URLCONF|MIDDLEWARE/.test(text),
    augmented_assignment: (text) => /DEBUG|INSTALLED_APPS|ROOT_URLCONF|MIDDLEWARE/.test(text),
  },
  create(ctx) {
    const debugAssignments: { node: SyntaxNode; name: string }[] = [];
    let hasMarker = false;

    const record = (node: SyntaxNode): void => {
      const left = node.childForFieldName('left');
      if (left?.type !== 'identifier') return;
      const name = left.text;
      // Cheap name test first: the module-level check walks parents.
      if (!SETTINGS_MARKERS.has(name) && name !== 'DEBUG' && name !== 'TEMPLATE_DEBUG') return;
      if (!isModuleLevel(node)) return;
      if (SETTINGS_MARKERS.has(name)) hasMarker = true;
      if (node.type !== 'assignment' || (left.text !== 'DEBUG' && left.text !== 'TEMPLATE_DEBUG')) return;
      // `DEBUG = TEMPLATE_DEBUG = True`: the value is at the end of the chain.
      let value = node.childForFieldName('right');
      while (value?.type === 'assignment') value = value.childForFieldName('right');
      if (isTrue(value)) debugAssignments.push({ node, name: left.text });
    };

    return {
      assignment: record,
      augmented_assignment: record,
      'module:exit'() {
        if (debugAssignments.length === 0) return;
        // A `settings.py` of a Flask project configures Flask, not Django.
        const settings = hasMarker || (isSettingsPath(ctx.path) && !importsPackage(ctx, 'flask'));
        if (!settings) return;
        const dev = isDevSettingsPath(ctx.path);
        for (const { node, name } of debugAssignments) {
          const low = dev || name === 'TEMPLATE_DEBUG';
          ctx.report({
            node,
            messageId: 'debug',
            data: { name },
            ...(low ? { severity: 'low' as const, confidence: dev ? ('low' as const) : ('medium' as const) } : {}),
          });
        }
      },
    };
  },
});

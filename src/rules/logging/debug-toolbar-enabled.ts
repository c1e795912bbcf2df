import { createRule, type Confidence, type Severity } from '../../core/types.js';
import type { SyntaxNode } from '../../python/parser.js';
import { isFalse, isTrue, keywordArg, stringValue, unparen } from '../../python/ast.js';
import { isModuleLevel, isTestPath, underMainGuard } from '../../python/module-info.js';

const TOOLBAR_EXTENSIONS = new Set(['flask_debugtoolbar.DebugToolbarExtension']);

/** Words in a file or folder name that say it is for development or tests, not production. */
const DEV_WORDS = new Set([
  'dev', 'devel', 'develop', 'development', 'local', 'test', 'tests', 'testing', 'ci', 'debug', 'example', 'sample',
]);

function isDevPath(path: string): boolean {
  const parts = path.toLowerCase().split(/[\\/]/).filter(Boolean);
  const stem = (parts.pop() ?? '').replace(/\.pyi?$/, '');
  if (stem.split(/[_\-.]/).some((w) => DEV_WORDS.has(w))) return true;
  return isTestPath(path);
}

/** Django app label / middleware path of django-debug-toolbar. */
function isToolbarEntry(value: string): boolean {
  return value === 'debug_toolbar' || value === 'debug_toolbar.apps.DebugToolbarConfig' || value === 'debug_toolbar.middleware.DebugToolbarMiddleware';
}

/** String entries of a list/tuple, or of `a + b` of them. */
function entries(node: SyntaxNode | null): SyntaxNode[] {
  if (!node) return [];
  const n = unparen(node);
  if (n.type === 'list' || n.type === 'tuple') return n.namedChildren.filter((c) => stringValue(c) !== null);
  if (n.type === 'binary_operator' && n.child(1)?.type === '+') {
    return [...entries(n.childForFieldName('left')), ...entries(n.childForFieldName('right'))];
  }
  return [];
}

/** Inside an `if` that tests a debug flag (`if DEBUG:`, `if app.debug:`, `if settings.DEBUG and ...`). */
function underDebugCheck(node: SyntaxNode): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type !== 'if_statement' && n.type !== 'conditional_expression') continue;
    const cond = n.type === 'if_statement' ? n.childForFieldName('condition') : n.namedChildren[1];
    if (cond && mentionsDebug(cond)) return true;
  }
  return false;
}

function mentionsDebug(node: SyntaxNode): boolean {
  if (node.type === 'identifier') return /debug/i.test(node.text);
  if (node.type === 'string') return /debug/i.test(stringValue(node) ?? '');
  return node.namedChildren.some(mentionsDebug);
}

/** `lambda request: True` or a function that always returns True. */
function alwaysTrue(node: SyntaxNode | null): boolean {
  if (!node) return false;
  const n = unparen(node);
  return n.type === 'lambda' && isTrue(n.childForFieldName('body'));
}

export default createRule({
  meta: {
    id: 'debug-toolbar-enabled',
    area: 'logging',
    summary: 'A debug toolbar (django-debug-toolbar, Flask-DebugToolbar) is enabled in production configuration.',
    severity: 'medium',
    confidence: 'medium',
    cwe: ['CWE-215'],
    owasp: ['A05:2021'],
    messages: {
      django:
        'django-debug-toolbar is installed in what looks like production settings: if DEBUG is ever on, or the show-toolbar check is loosened, every page exposes SQL queries, settings, headers and templates. Add it only in development settings, or under `if DEBUG:`.',
      showAlways:
        '`SHOW_TOOLBAR_CALLBACK` always returns True: the debug toolbar, with SQL queries, settings, headers and session data, is shown to every visitor regardless of DEBUG and INTERNAL_IPS.',
      flask:
        'Flask-DebugToolbar is initialised unconditionally{{how}}: whenever the app runs in debug mode (or `DEBUG_TB_ENABLED` is on) every page exposes SQL queries, configuration, request data and templates. Initialise it only in development.',
    },
    docs: {
      whatItDoes:
        'Flags debug toolbars that production configuration turns on. Django: `"debug_toolbar"` in `INSTALLED_APPS`, or its middleware in `MIDDLEWARE`, assigned or appended at module level (not under `if DEBUG:` or any other condition) in a settings module whose name does not say development or tests (`settings/dev.py`, `local_settings.py`, `settings_test.py`, ... are skipped); reported once per file. A `DEBUG_TOOLBAR_CONFIG` whose `SHOW_TOOLBAR_CALLBACK` is `lambda request: True` is reported with high severity. Flask: `DebugToolbarExtension(app)` from flask_debugtoolbar outside `if app.debug:` / `if DEBUG:` and the main guard, unless the module sets `DEBUG_TB_ENABLED` to False; because the extension is only active when the app runs in debug mode, this is reported with low confidence unless the module also sets `DEBUG_TB_ENABLED = True`.',
      whyBad:
        'Debug toolbars are built to show a developer everything: every SQL query with its parameters, all settings, request and response headers, cookies and session data, templates with their context, and log records (CWE-215). django-debug-toolbar only shows itself when DEBUG is on and the client is in INTERNAL_IPS, and Flask-DebugToolbar only in debug mode, so a toolbar in production configuration is one mistaken switch (or a proxy that makes every client look internal) away from publishing that to the internet. Some versions also had their own vulnerabilities (SQL injection in the SQL panel, CVE-2021-30459).',
      example:
        '# mysite/settings.py\nINSTALLED_APPS = [\n    "django.contrib.admin",\n    "debug_toolbar",\n]',
      useInstead:
        '# mysite/settings.py\nINSTALLED_APPS = [\n    "django.contrib.admin",\n]\n\nif DEBUG:\n    INSTALLED_APPS += ["debug_toolbar"]',
      fixSafety:
        'No automatic fix: move the toolbar to development-only settings (`settings/dev.py`) or guard it with `if DEBUG:`. Keep its URLs (`__debug__/`) out of production URL configuration too.',
      references: [
        'https://django-debug-toolbar.readthedocs.io/en/latest/installation.html',
        'https://django-debug-toolbar.readthedocs.io/en/latest/configuration.html#show-toolbar-callback',
        'https://flask-debugtoolbar.readthedocs.io/en/latest/',
      ],
    },
    fixable: false,
  },
  callFilter: (name, method) => (name !== null && TOOLBAR_EXTENSIONS.has(name)) || method === 'append' || method === 'insert' || method === 'extend' || method === 'update',
  textFilters: {
    assignment: (text) => text.includes('debug_toolbar') || text.includes('SHOW_TOOLBAR_CALLBACK') || text.includes('DEBUG_TB_ENABLED'),
    augmented_assignment: (text) => text.includes('debug_toolbar'),
    pair: (text) => text.includes('SHOW_TOOLBAR_CALLBACK') || text.includes('DEBUG_TB_ENABLED'),
  },
  create(ctx) {
    if (isDevPath(ctx.path)) return {};
    let djangoEntry: SyntaxNode | null = null;
    const flaskCalls: SyntaxNode[] = [];
    let tbEnabled: 'on' | 'off' | null = null;

    const noteEntry = (node: SyntaxNode): void => {
      if (!djangoEntry || node.startIndex < djangoEntry.startIndex) djangoEntry = node;
    };

    /** DEBUG_TB_ENABLED = True/False in any form of configuration. */
    const noteTbEnabled = (value: SyntaxNode | null): void => {
      if (!value) return;
      const v = unparen(value);
      if (isFalse(v)) tbEnabled = 'off';
      else if (isTrue(v) && tbEnabled !== 'off') tbEnabled = 'on';
    };

    const settingsList = (node: SyntaxNode | null): boolean => {
      const n = node ? unparen(node) : null;
      return n?.type === 'identifier' && ['INSTALLED_APPS', 'MIDDLEWARE', 'MIDDLEWARE_CLASSES'].includes(n.text);
    };

    return {
      assignment(node) {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (!left) return;
        if (left.type === 'identifier') {
          if (left.text === 'DEBUG_TB_ENABLED') noteTbEnabled(right);
          if (!isModuleLevel(node)) return;
          if (settingsList(left)) {
            const entry = entries(right).find((e) => isToolbarEntry(stringValue(e) ?? ''));
            if (entry) noteEntry(entry);
          }
          return;
        }
        if (left.type === 'subscript' && stringValue(left.childForFieldName('subscript')) === 'DEBUG_TB_ENABLED') noteTbEnabled(right);
      },
      augmented_assignment(node) {
        if (!isModuleLevel(node) || !settingsList(node.childForFieldName('left'))) return;
        const entry = entries(node.childForFieldName('right')).find((e) => isToolbarEntry(stringValue(e) ?? ''));
        if (entry) noteEntry(entry);
      },
      pair(node) {
        const key = stringValue(node.childForFieldName('key'));
        const value = node.childForFieldName('value');
        if (key === 'DEBUG_TB_ENABLED') noteTbEnabled(value);
        if (key === 'SHOW_TOOLBAR_CALLBACK' && alwaysTrue(value) && !underDebugCheck(node) && !underMainGuard(node)) {
          ctx.report({ node, messageId: 'showAlways', severity: 'high' });
        }
      },
      call(node) {
        const name = ctx.calleeName(node);
        if (name !== null && TOOLBAR_EXTENSIONS.has(name)) {
          if (!underDebugCheck(node) && !underMainGuard(node)) flaskCalls.push(node);
          return;
        }
        const fn = node.childForFieldName('function');
        if (fn?.type !== 'attribute') return;
        const method = fn.childForFieldName('attribute')?.text;
        const receiver = fn.childForFieldName('object');
        if (method === 'update') {
          noteTbEnabled(keywordArg(node, 'DEBUG_TB_ENABLED'));
          return;
        }
        // INSTALLED_APPS.append("debug_toolbar"), MIDDLEWARE.insert(0, "debug_toolbar.middleware...")
        if (!settingsList(receiver) || !isModuleLevel(node)) return;
        const args = node.childForFieldName('arguments')?.namedChildren ?? [];
        for (const a of args) {
          const value = stringValue(unparen(a));
          if (value !== null && isToolbarEntry(value)) noteEntry(unparen(a));
          for (const e of entries(a)) if (isToolbarEntry(stringValue(e) ?? '')) noteEntry(e);
        }
      },
      'module:exit'() {
        if (djangoEntry) ctx.report({ node: djangoEntry, messageId: 'django' });
        if (tbEnabled === 'off') return;
        for (const call of flaskCalls) {
          const confidence: Confidence = tbEnabled === 'on' ? 'medium' : 'low';
          const severity: Severity = 'medium';
          ctx.report({
            node: call,
            messageId: 'flask',
            data: { how: tbEnabled === 'on' ? ' and `DEBUG_TB_ENABLED` is set to True' : '' },
            confidence,
            severity,
          });
        }
      },
    };
  },
});

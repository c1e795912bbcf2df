import { createRule } from '../../core/types.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, hasSplat, isNone, positionalArgs, unparen } from '../../python/ast.js';
import { isTainted } from '../../python/taint.js';

/** Functions that take a Loader; value: the safe function a one-argument call can become. */
const LOAD_WITH_LOADER: Record<string, string> = {
  'yaml.load': 'safe_load',
  'yaml.load_all': 'safe_load_all',
};

/** Functions that are unsafe by name. */
const UNSAFE_FUNCTIONS = new Set(['yaml.unsafe_load', 'yaml.unsafe_load_all', 'yaml.full_load', 'yaml.full_load_all']);

/** Loaders that construct arbitrary (or too many) Python objects. */
const UNSAFE_LOADERS = new Set(['Loader', 'UnsafeLoader', 'FullLoader', 'CLoader', 'CUnsafeLoader', 'CFullLoader']);
/** Modules that export the loaders: `yaml.Loader`, `yaml.loader.Loader`, `yaml.cyaml.CLoader`. */
const LOADER_MODULES = new Set(['yaml', 'yaml.loader', 'yaml.cyaml']);

export default createRule({
  meta: {
    id: 'yaml-unsafe-load',
    area: 'secure-coding',
    summary: 'YAML is loaded with a loader that can build arbitrary Python objects.',
    severity: 'high',
    confidence: 'high',
    cwe: ['CWE-502'],
    owasp: ['A08:2021'],
    bandit: ['B506'],
    ruff: ['S506'],
    messages: {
      noLoader:
        '`{{fn}}()` without a safe `Loader` can build arbitrary Python objects from the document (and PyYAML 6 rejects the call); use `yaml.{{safe}}()`.',
      unsafeLoader:
        '`{{fn}}()` with `{{loader}}` can build arbitrary Python objects from the document; use `yaml.safe_load()` or `Loader=yaml.SafeLoader`.',
      unsafeFunction:
        '`{{fn}}()` can build arbitrary Python objects from the document; use `yaml.safe_load()`.',
    },
    docs: {
      whatItDoes:
        'Flags `yaml.load()` and `yaml.load_all()` called without a `Loader` or with `Loader`, `UnsafeLoader`, `FullLoader` (or their C variants), and the functions `yaml.unsafe_load`, `yaml.unsafe_load_all`, `yaml.full_load`, `yaml.full_load_all`. `yaml.safe_load`, `SafeLoader`, `CSafeLoader` and `BaseLoader` are not flagged; neither is ruamel.yaml.',
      whyBad:
        'YAML tags such as `!!python/object/apply:os.system ["id"]` tell PyYAML\'s full loaders to import modules and call functions while parsing. A configuration file, an upload or an API payload in YAML then becomes a way to run code. Before PyYAML 5.1, `yaml.load(data)` used the unsafe loader by default; `FullLoader` had several code-execution bypasses (CVE-2020-1747, CVE-2020-14343). `SafeLoader` only builds plain data: dicts, lists, strings, numbers, dates.',
      example: 'import yaml\n\nwith open(path) as f:\n    config = yaml.load(f)',
      useInstead:
        'import yaml\n\nwith open(path) as f:\n    config = yaml.safe_load(f)\n\n# or, with the faster C parser:\n# config = yaml.load(f, Loader=yaml.CSafeLoader)',
      fixSafety:
        '`yaml.load(x)` and `yaml.load_all(x)` with a single argument and no `Loader` are rewritten to `yaml.safe_load(x)` / `yaml.safe_load_all(x)`, keeping the module alias used in the code. Documents using Python-specific tags (`!!python/...`) then fail to load with a `ConstructorError` instead of creating objects; plain data loads the same. Calls that pass an explicit unsafe `Loader` and calls through `from yaml import load` are reported without a fix.',
      references: [
        'https://pyyaml.org/wiki/PyYAMLDocumentation',
        'https://github.com/yaml/pyyaml/wiki/PyYAML-yaml.load(input)-Deprecation',
        'https://cheatsheetseries.owasp.org/cheatsheets/Deserialization_Cheat_Sheet.html#python',
      ],
    },
    fixable: true,
  },
  callFilter: (name) => name !== null && (UNSAFE_FUNCTIONS.has(name) || Object.hasOwn(LOAD_WITH_LOADER, name)),
  create(ctx) {
    /** The qualified name of a loader expression, following a name bound once. */
    function loaderName(node: SyntaxNode): string | null {
      const n = unparen(node);
      const q = ctx.qualifiedName(n);
      if (q) return q;
      if (n.type === 'identifier') {
        const v = ctx.valueOf(n);
        return v && v.id !== n.id ? ctx.qualifiedName(v) : null;
      }
      return null;
    }

    function isUnsafeLoader(q: string): boolean {
      const dot = q.lastIndexOf('.');
      return dot > 0 && LOADER_MODULES.has(q.slice(0, dot)) && UNSAFE_LOADERS.has(q.slice(dot + 1));
    }

    return {
      call(node) {
        const name = ctx.calleeName(node);
        if (!name || !(UNSAFE_FUNCTIONS.has(name) || Object.hasOwn(LOAD_WITH_LOADER, name))) return;
        const stream = argument(node, 0, 'stream');
        const extra =
          stream && isTainted(ctx, stream, 'deserialization') ? { severity: 'critical' as const, confidence: 'high' as const } : {};
        if (UNSAFE_FUNCTIONS.has(name)) {
          ctx.report({ node, messageId: 'unsafeFunction', data: { fn: name }, ...extra });
          return;
        }
        const safe = LOAD_WITH_LOADER[name];
        if (!safe) return;
        const loader = argument(node, 1, 'Loader');
        if (loader && !isNone(unparen(loader))) {
          const q = loaderName(loader);
          // A loader we cannot resolve (a local subclass, getattr(...)) is given the benefit of the doubt.
          if (!q || !isUnsafeLoader(q)) return;
          ctx.report({ node, messageId: 'unsafeLoader', data: { fn: name, loader: q }, ...extra });
          return;
        }
        if (hasSplat(node)) return;
        const fn = node.childForFieldName('function');
        const attr = fn?.type === 'attribute' ? fn.childForFieldName('attribute') : null;
        const args = node.childForFieldName('arguments');
        const onlyOnePositional =
          positionalArgs(node).length === 1 && !!args && !args.namedChildren.some((c) => c.type === 'keyword_argument');
        ctx.report({
          node,
          messageId: 'noLoader',
          data: { fn: name, safe },
          ...extra,
          ...(attr && onlyOnePositional ? { fix: ctx.replace(attr, safe, `Use yaml.${safe}()`) } : {}),
        });
      },
    };
  },
});

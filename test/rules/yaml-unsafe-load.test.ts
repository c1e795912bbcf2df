import rule from '../../src/rules/secure-coding/yaml-unsafe-load.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'import yaml\nyaml.safe_load(data)\nyaml.safe_load_all(data)',
    { name: 'SafeLoader keyword', code: 'import yaml\nyaml.load(data, Loader=yaml.SafeLoader)' },
    { name: 'CSafeLoader positional', code: 'import yaml\nyaml.load(data, yaml.CSafeLoader)' },
    { name: 'BaseLoader', code: 'import yaml\nyaml.load_all(data, Loader=yaml.BaseLoader)' },
    { name: 'safe loader imported as Loader', code: 'import yaml\nfrom yaml import CSafeLoader as Loader\nyaml.load(data, Loader=Loader)' },
    { name: 'safe loader bound to a name', code: 'import yaml\nLD = yaml.SafeLoader\nyaml.load(data, Loader=LD)' },
    { name: 'unknown local loader subclass', code: 'import yaml\nclass MyLoader(yaml.SafeLoader):\n    pass\nyaml.load(data, Loader=MyLoader)' },
    { name: 'ruamel', code: 'from ruamel.yaml import YAML\nYAML(typ="safe").load(data)\nimport ruamel.yaml\nruamel.yaml.load(data)' },
    { name: 'shadowed yaml', code: 'def f(yaml, data):\n    return yaml.load(data)' },
    { name: 'look-alike methods', code: 'config.load(data)\nself.yaml.load(data)\njson.load(f)' },
    { name: 'splat could pass a Loader', code: 'import yaml\nyaml.load(data, **opts)' },
    { name: 'unrelated load function', code: 'from pickle_helpers import load\nload(data)' },
  ],
  invalid: [
    {
      name: 'no loader: fixed to safe_load',
      code: 'import yaml\nconfig = yaml.load(f)',
      errors: [{ line: 2, column: 10, messageId: 'noLoader' }],
      output: 'import yaml\nconfig = yaml.safe_load(f)',
    },
    {
      name: 'module alias kept in the fix',
      code: 'import yaml as y\ndocs = y.load_all(stream)',
      errors: [{ line: 2, messageId: 'noLoader' }],
      output: 'import yaml as y\ndocs = y.safe_load_all(stream)',
    },
    {
      name: 'from-import load: no fix',
      code: 'from yaml import load\nload(f)',
      errors: [{ line: 2, messageId: 'noLoader' }],
      output: null,
    },
    {
      name: 'Loader=None: no fix',
      code: 'import yaml\nyaml.load(f, Loader=None)',
      errors: [{ line: 2, messageId: 'noLoader' }],
      output: null,
    },
    {
      name: 'unsafe loaders, keyword and positional',
      code: `
        import yaml
        yaml.load(f, Loader=yaml.Loader)
        yaml.load(f, yaml.UnsafeLoader)
        yaml.load(f, Loader=yaml.FullLoader)
        yaml.load_all(f, Loader=yaml.CLoader)
        yaml.load(f, Loader=yaml.cyaml.CFullLoader)
      `,
      errors: [
        { line: 2, messageId: 'unsafeLoader' },
        { line: 3, messageId: 'unsafeLoader' },
        { line: 4, messageId: 'unsafeLoader' },
        { line: 5, messageId: 'unsafeLoader' },
        { line: 6, messageId: 'unsafeLoader' },
      ],
      output: null,
    },
    {
      name: 'C loader with fallback (first import wins)',
      code: `
        import yaml
        try:
            from yaml import CLoader as Loader
        except ImportError:
            from yaml import Loader
        yaml.load(f, Loader=Loader)
      `,
      errors: [{ line: 6, messageId: 'unsafeLoader' }],
    },
    {
      name: 'unsafe functions',
      code: 'import yaml\nfrom yaml import full_load as fl\nyaml.unsafe_load(f)\nyaml.unsafe_load_all(f)\nfl(f)\nyaml.full_load_all(f)',
      errors: [
        { line: 3, messageId: 'unsafeFunction' },
        { line: 4, messageId: 'unsafeFunction' },
        { line: 5, messageId: 'unsafeFunction' },
        { line: 6, messageId: 'unsafeFunction' },
      ],
      output: null,
    },
    {
      name: 'request body',
      code: `
        import yaml
        from django.http import JsonResponse
        def view(request):
            return yaml.load(request.body, Loader=yaml.Loader)
      `,
      errors: [{ line: 4, messageId: 'unsafeLoader', severity: 'critical' }],
    },
  ],
});

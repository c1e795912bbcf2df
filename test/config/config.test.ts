import { describe, expect, it } from '@jest/globals';
import { ConfigError, parseConfigText } from '../../src/config/load.js';
import { defaultConfig } from '../../src/config/schema.js';

describe('configuration', () => {
  it('has defaults for everything', () => {
    expect(defaultConfig()).toEqual({
      rules: { disable: [], severity: {} },
      minSeverity: 'low',
      minConfidence: 'low',
      paths: { include: [], exclude: [] },
      maxFileSize: 1024 * 1024,
      reportUnusedSuppressions: false,
      pullRequests: { drafts: false, maxComments: 30 },
      dependencies: { enabled: true, unpinned: 'applications', eolWarningDays: 180 },
      taint: { environment: false, sources: [], sanitizers: [] },
    });
  });

  it('reads taint sources and sanitizers (a name alone sanitizes every kind)', () => {
    const c = parseConfigText(
      [
        'taint:',
        '  environment: true',
        '  sources: [myapp.http.param]',
        '  sanitizers:',
        '    - myapp.clean',
        '    - { name: myapp.quote_sql, kinds: [sql] }',
      ].join('\n'),
      'pysec.yml',
    );
    expect(c.taint).toEqual({
      environment: true,
      sources: ['myapp.http.param'],
      sanitizers: [
        { name: 'myapp.clean', kinds: [] },
        { name: 'myapp.quote_sql', kinds: ['sql'] },
      ],
    });
    expect(() => parseConfigText('taint:\n  sanitizers: [{ name: x, kinds: [nosuch] }]\n', 'pysec.yml')).toThrow(/taint/);
  });

  it('treats an empty file as defaults', () => {
    expect(parseConfigText('', 'pysec.yml')).toEqual(defaultConfig());
    expect(parseConfigText('# only a comment\n', 'pysec.yml')).toEqual(defaultConfig());
  });

  it('parses a full configuration', () => {
    const c = parseConfigText(
      [
        'rules:',
        '  disable: [dynamic-code-execution]',
        '  severity:',
        '    DYNAMIC-code-execution: low',
        'failOn: medium',
        'minConfidence: medium',
        'paths:',
        '  exclude: ["tests/**"]',
        'maxFileSize: 2MB',
        'reportUnusedSuppressions: true',
      ].join('\n'),
      'pysec.yml',
    );
    expect(c.rules.disable).toEqual(['dynamic-code-execution']);
    expect(c.rules.severity).toEqual({ 'dynamic-code-execution': 'low' });
    expect(c.failOn).toBe('medium');
    expect(c.maxFileSize).toBe(2_000_000);
    expect(c.reportUnusedSuppressions).toBe(true);
  });

  const errors: [string, string, RegExp][] = [
    ['unknown top-level key', 'failon: high\n', /unknown key "failon"/],
    ['unknown nested key', 'rules:\n  disabled: [x]\n', /rules: unknown key "disabled"/],
    ['unknown rule id', 'rules:\n  disable: [no-such-rule]\n', /rules\.disable\[0\]: unknown rule id/],
    ['bad severity', 'failOn: severe\n', /failOn: /],
    ['bad size', 'maxFileSize: huge\n', /maxFileSize: expected a size/],
    ['wrong type', 'reportUnusedSuppressions: "yes"\n', /reportUnusedSuppressions: /],
    ['invalid YAML', 'rules: [\n', /invalid YAML at line/],
    ['not a mapping', '- a\n- b\n', /expected a mapping/],
  ];
  for (const [name, text, message] of errors) {
    it(`rejects ${name} with a message naming the key`, () => {
      expect(() => parseConfigText(text, '.github/pysec.yml')).toThrow(ConfigError);
      expect(() => parseConfigText(text, '.github/pysec.yml')).toThrow(message);
    });
  }
});

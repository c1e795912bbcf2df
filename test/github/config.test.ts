import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { describeConfigError, loadConfigSafely } from '../../src/github/config.js';
import { defaultConfig } from '../../src/config/schema.js';

/** What Probot's config plugin throws for a file that is not valid YAML. */
function pluginYamlError(text: string): Error {
  let cause: unknown;
  try {
    parse(text);
  } catch (err) {
    cause = err;
  }
  return new Error(
    '[@probot/octokit-plugin-config] Configuration could not be parsed from http://127.0.0.1:3999/api/v3/repos/acme/shop/contents/.github%2Fpysec.yml (invalid YAML)',
    { cause },
  );
}

describe('describeConfigError', () => {
  it.each<[string, unknown, RegExp]>([
    ['bad YAML: line and parser message, no URL', pluginYamlError('rules:\n  disable: [a\nfailOn: low\n'), /^`\.github\/pysec\.yml` is not valid YAML \(line 3: Flow sequence in block collection must be sufficiently indented and end with a \]\); the scan used the default configuration\.$/],
    ['YAML that is a string', new Error('[@probot/octokit-plugin-config] Configuration could not be parsed from http://x/y (YAML is not an object)'), /is not a mapping of settings/],
    ['a directory', new Error('[@probot/octokit-plugin-config] http://x/contents/.github%2Fpysec.yml exists, but is either a directory or a submodule. Ignoring.'), /is a directory or a submodule, not a file/],
    ['an HTTP error', Object.assign(new Error('Server Error'), { status: 500 }), /could not be read \(HTTP 500: Server Error\); the scan used the default configuration\.$/],
    ['something else', 'boom', /could not be read \(boom\)/],
  ])('%s', (_name, err, expected) => {
    const text = describeConfigError(err);
    expect(text).toMatch(expected);
    expect(text).not.toContain('http://');
    expect(text).not.toContain('@probot');
  });
});

describe('loadConfigSafely', () => {
  it('a missing file (null) means the defaults, without a notice', async () => {
    expect(await loadConfigSafely(async () => null)).toEqual({ config: defaultConfig(), notices: [] });
  });

  it('a valid file is applied', async () => {
    const { config, notices } = await loadConfigSafely(async () => ({ pullRequests: { drafts: true, maxComments: 5 } }));
    expect(notices).toEqual([]);
    expect(config.pullRequests).toEqual({ drafts: true, maxComments: 5 });
  });

  it('an invalid file: defaults, and a notice naming the key', async () => {
    const { config, notices } = await loadConfigSafely(async () => ({ pullRequests: { draft: true }, failOn: 'severe' }));
    expect(config).toEqual(defaultConfig());
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('pullRequests: unknown key "draft"');
    expect(notices[0]).toContain('failOn');
  });

  it('a read error: defaults, and a notice', async () => {
    const { config, notices } = await loadConfigSafely(async () => {
      throw pluginYamlError('a: [');
    });
    expect(config).toEqual(defaultConfig());
    expect(notices[0]).toMatch(/is not valid YAML \(line \d+/);
  });
});

/**
 * Loading `.github/pysec.yml` for a review. The file is read from the repository's default
 * branch (Probot's context.config, which also follows `_extends` and the organisation's
 * `.github` repository), never from the pull request itself: a PR must not be able to
 * switch off the check that reviews it.
 *
 * A broken file never stops a review: the problem becomes a notice in the check run, naming
 * the key (or the line of a YAML error), and the scan runs with the defaults.
 */
import { ConfigError, validateConfig } from '../config/load.js';
import { defaultConfig, type PysecConfig } from '../config/schema.js';

export const CONFIG_FILE = 'pysec.yml';
export const CONFIG_PATH = `.github/${CONFIG_FILE}`;

export interface LoadedConfig {
  config: PysecConfig;
  notices: string[];
}

const DEFAULTS_USED = 'the scan used the default configuration.';

/**
 * Why reading the config failed, in words for the check run. Probot's config plugin wraps YAML
 * errors as "[@probot/octokit-plugin-config] Configuration could not be parsed from <API URL>
 * (invalid YAML)" with the parser's error as `cause`: the URL is GitHub's internal API address
 * and the plugin name means nothing to the reader; the line and the parser's message do.
 */
export function describeConfigError(err: unknown): string {
  const cause = err instanceof Error ? err.cause : undefined;
  // Duck-typed: the plugin may bring its own copy of the yaml package (instanceof would fail).
  if (cause instanceof Error && /^YAML/.test(cause.name)) {
    const { linePos } = cause as Error & { linePos?: { line: number }[] };
    const line = linePos?.[0]?.line;
    const message = cause.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') || 'syntax error';
    return `\`${CONFIG_PATH}\` is not valid YAML (${line ? `line ${line}: ` : ''}${message}); ${DEFAULTS_USED}`;
  }
  const message = err instanceof Error ? err.message : String(err);
  if (/YAML is not an object/.test(message)) {
    return `\`${CONFIG_PATH}\` is not a mapping of settings; ${DEFAULTS_USED}`;
  }
  if (/is either a directory or a submodule/.test(message)) {
    return `\`${CONFIG_PATH}\` is a directory or a submodule, not a file; ${DEFAULTS_USED}`;
  }
  const status = typeof (err as { status?: unknown })?.status === 'number' ? `HTTP ${(err as { status: number }).status}: ` : '';
  // Strip the plugin's prefix and any URL: neither helps, and the URL may carry a token-free but internal host.
  const detail = message
    .split('\n')[0]
    ?.replace(/^\[@probot\/octokit-plugin-config\]\s*/, '')
    .replace(/\s*from https?:\/\/\S+/g, '')
    .slice(0, 300);
  return `\`${CONFIG_PATH}\` could not be read (${status}${detail}); ${DEFAULTS_USED}`;
}

/** Turn the raw result of reading the config (or the error it threw) into a config + notices. */
export async function loadConfigSafely(read: () => Promise<unknown>): Promise<LoadedConfig> {
  let raw: unknown;
  try {
    raw = await read();
  } catch (err) {
    return { config: defaultConfig(), notices: [describeConfigError(err)] };
  }
  try {
    return { config: validateConfig(raw ?? {}, CONFIG_PATH), notices: [] };
  } catch (err) {
    const problems = err instanceof ConfigError ? err.problems.join('; ') : String(err);
    return {
      config: defaultConfig(),
      notices: [`\`${CONFIG_PATH}\` is invalid: ${problems}. The scan used the default configuration.`],
    };
  }
}

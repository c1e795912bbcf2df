/**
 * Loading `.github/pysec.yml` for a review. The file is read from the repository's default
 * branch (Probot's context.config, which also follows `_extends` and the organisation's
 * `.github` repository), never from the pull request itself: a PR must not be able to
 * switch off the check that reviews it.
 *
 * A broken file never stops a review: the problem becomes a notice in the check run, naming
 * the key, and the scan runs with the defaults.
 */
import { ConfigError, validateConfig } from '../config/load.js';
import { defaultConfig, type PysecConfig } from '../config/schema.js';

export const CONFIG_FILE = 'pysec.yml';
export const CONFIG_PATH = `.github/${CONFIG_FILE}`;

export interface LoadedConfig {
  config: PysecConfig;
  notices: string[];
}

/** Turn the raw result of reading the config (or the error it threw) into a config + notices. */
export async function loadConfigSafely(read: () => Promise<unknown>): Promise<LoadedConfig> {
  let raw: unknown;
  try {
    raw = await read();
  } catch (err) {
    const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return {
      config: defaultConfig(),
      notices: [`\`${CONFIG_PATH}\` could not be read (${detail}); the scan used the default configuration.`],
    };
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

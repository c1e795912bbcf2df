/**
 * Reading and validating configuration text. Errors name the offending key, so a broken
 * `.github/pysec.yml` turns into one clear line, never a crash or a silent default.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { configSchema, type PysecConfig } from './schema.js';

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(top level)';
}

export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const where = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => `"${k}"`).join(', ');
      const prefix = issue.path.length > 0 ? `${where}: ` : '';
      return `${prefix}unknown key${issue.keys.length > 1 ? 's' : ''} ${keys}`;
    }
    return `${where}: ${issue.message}`;
  });
}

/** Validate an already-parsed value (e.g. from Probot's context.config). */
export function validateConfig(value: unknown, source: string): PysecConfig {
  const result = configSchema.safeParse(value ?? {});
  if (!result.success) throw new ConfigError(source, formatIssues(result.error.issues));
  return result.data;
}

/** Parse and validate YAML (or JSON) configuration text. An empty file means defaults. */
export function parseConfigText(text: string, source: string): PysecConfig {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (err) {
    const msg = err instanceof YAMLParseError ? `invalid YAML at line ${err.linePos?.[0]?.line ?? '?'}: ${err.message.split('\n')[0]}` : String(err);
    throw new ConfigError(source, [msg]);
  }
  if (value !== null && value !== undefined && (typeof value !== 'object' || Array.isArray(value))) {
    throw new ConfigError(source, ['(top level): expected a mapping of settings']);
  }
  return validateConfig(value, source);
}

export async function loadConfigFile(path: string): Promise<PysecConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(path, [code === 'ENOENT' ? 'file not found' : `cannot read: ${String(err)}`]);
  }
  return parseConfigText(text, path);
}

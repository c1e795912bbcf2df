/** Shared test helpers for the lock-file, conda and runtime tables. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { ManifestFile } from '../../src/deps/types.js';

const here = dirname(fileURLToPath(import.meta.url));

export function fixture(manager: string, name: string): string {
  return readFileSync(join(here, '..', 'fixtures', 'deps', manager, name), 'utf8');
}

/** The text of a 1-based line. */
export function lineText(text: string, line: number): string {
  return text.split(/\r?\n/)[line - 1] ?? '';
}

/** Dependency by name and (optionally) version. */
export function dep(m: ManifestFile, name: string, version?: string) {
  const found = m.dependencies.find((d) => d.name === name && (version === undefined || d.version === version));
  if (!found) throw new Error(`no dependency ${name}${version ? `==${version}` : ''} in ${m.dependencies.map((d) => `${d.name}==${d.version}`).join(', ')}`);
  return found;
}

/**
 * Helpers for tests of the dependency pipeline (src/deps/analyze.ts): the offline OSV database
 * in ../shared/data/osv (next to the repository, as in CI), a configuration builder and a runner.
 */
import { fileURLToPath } from 'node:url';
import { configSchema, type PysecConfig, type PysecConfigInput } from '../../src/config/schema.js';
import { analyzeManifests, type AnalyzeManifestsOptions, type DepsResult, type ManifestInput } from '../../src/deps/analyze.js';
import { openOfflineDb, type OfflineDb } from '../../src/deps/advisories/offline.js';

/** ../shared/data/osv relative to the repository root (this file is test/helpers/deps.ts). */
export const OSV_DIR = fileURLToPath(new URL('../../../shared/data/osv/', import.meta.url));

/** A fixed scan date: 3.9 is end-of-life (2025-10-31), 3.10 reaches it on 2026-10-01 (122 days later). */
export const NOW = new Date('2026-06-01T12:00:00Z');

let db: Promise<OfflineDb> | undefined;
export function osvDb(): Promise<OfflineDb> {
  db ??= openOfflineDb(OSV_DIR);
  return db;
}

export function config(input: PysecConfigInput = {}): PysecConfig {
  return configSchema.parse(input);
}

/** Analyze `files` (path → text) with the offline DB, the fixed date and the default configuration. */
export async function analyze(
  files: Record<string, string> | ManifestInput[],
  opts: Partial<AnalyzeManifestsOptions> & { configInput?: PysecConfigInput } = {},
): Promise<DepsResult> {
  const list = Array.isArray(files) ? files : Object.entries(files).map(([path, text]) => ({ path, text }));
  const { configInput, ...rest } = opts;
  return analyzeManifests(list, {
    config: config(configInput),
    advisories: 'advisories' in opts ? opts.advisories : await osvDb(),
    now: NOW,
    ...rest,
  });
}

/** The findings of one rule, as `line:column` strings. */
export function at(result: DepsResult, ruleId: string): string[] {
  return result.findings.filter((f) => f.ruleId === ruleId).map((f) => `${f.path}:${f.range.start.line}:${f.range.start.column}`);
}

export interface DepsCase {
  name: string;
  files: Record<string, string>;
  configInput?: PysecConfigInput;
}

export interface DepsInvalidCase extends DepsCase {
  /** `path:line:column messageId` of each finding of the rule, in order. */
  errors: string[];
  /** The files after applying the rule's fixes (only the paths listed are compared). */
  output?: Record<string, string>;
}

/**
 * A table test for a pipeline rule (findings made by analyzeManifests, not by visitors):
 * valid cases produce no finding of the rule, invalid ones exactly `errors`.
 */
export function depsRuleTester(
  ruleId: string,
  tables: { valid: DepsCase[]; invalid: DepsInvalidCase[] },
  applyFixes: (source: string, findings: DepsResult['findings']) => string,
  describe: (name: string, fn: () => void) => void,
  it: (name: string, fn: () => Promise<void>) => void,
  expect: (value: unknown) => { toEqual(expected: unknown): void },
): void {
  describe(ruleId, () => {
    for (const c of tables.valid) {
      it(`valid: ${c.name}`, async () => {
        const r = await analyze(c.files, c.configInput ? { configInput: c.configInput } : {});
        expect(r.findings.filter((f) => f.ruleId === ruleId).map((f) => f.message)).toEqual([]);
      });
    }
    for (const c of tables.invalid) {
      it(`invalid: ${c.name}`, async () => {
        const r = await analyze(c.files, c.configInput ? { configInput: c.configInput } : {});
        const mine = r.findings.filter((f) => f.ruleId === ruleId);
        expect(mine.map((f) => `${f.path}:${f.range.start.line}:${f.range.start.column} ${f.messageId}`)).toEqual(c.errors);
        for (const [path, expected] of Object.entries(c.output ?? {})) {
          expect(applyFixes(c.files[path] ?? '', mine.filter((f) => f.path === path))).toEqual(expected);
        }
      });
    }
  });
}

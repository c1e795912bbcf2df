import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syncDocs } from '../../src/docs/generate.js';
import { allRules } from '../../src/rules/index.js';
import { OWASP_2021 } from '../../src/core/links.js';
import { CONFIDENCES, PRACTICE_AREAS, SEVERITIES } from '../../src/core/types.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('generated documentation', () => {
  it('is up to date (run `npm run docs` and commit when this fails)', async () => {
    expect(await syncDocs(repo, false)).toEqual([]);
  });
});

describe('rule catalogue', () => {
  it('has at least 20 rules across at least 6 practice areas', () => {
    const real = allRules.filter((r) => r.meta.id !== 'unused-suppression');
    expect(real.length).toBeGreaterThanOrEqual(20);
    expect(new Set(real.map((r) => r.meta.area)).size).toBeGreaterThanOrEqual(6);
  });

  it('has unique ids and aliases', () => {
    const ids = allRules.flatMap((r) => [r.meta.id, ...(r.meta.aliases ?? [])]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  for (const rule of allRules) {
    const m = rule.meta;
    it(`${m.id}: complete metadata, a source file named after it, and a test table`, () => {
      expect(m.id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      expect(PRACTICE_AREAS).toContain(m.area);
      expect(SEVERITIES).toContain(m.severity);
      expect(CONFIDENCES).toContain(m.confidence);
      expect(existsSync(join(repo, 'src/rules', m.area, `${m.id}.ts`))).toBe(true);
      for (const cwe of m.cwe) expect(cwe).toMatch(/^CWE-\d+$/);
      for (const o of m.owasp) expect(Object.keys(OWASP_2021)).toContain(o);
      for (const b of m.bandit ?? []) expect(b).toMatch(/^B\d{3}$/);
      for (const r of m.ruff ?? []) expect(r).toMatch(/^[A-Z]+\d+$/);
      expect(m.summary.length).toBeGreaterThan(10);
      expect(Object.keys(m.messages).length).toBeGreaterThan(0);
      for (const text of Object.values(m.messages)) expect(text.length).toBeGreaterThan(10);
      for (const key of ['whatItDoes', 'whyBad', 'example', 'useInstead', 'fixSafety'] as const) {
        expect(m.docs[key].trim().length).toBeGreaterThan(0);
      }
      if (m.id !== 'unused-suppression') {
        expect(m.cwe.length).toBeGreaterThan(0);
        expect(existsSync(join(repo, 'test/rules', `${m.id}.test.ts`))).toBe(true);
      }
    });
  }
});

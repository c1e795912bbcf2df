import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { parseOsvJson, parseOsvRecord } from '../../src/deps/advisories/osv.js';
import type { OsvRecord } from '../../src/deps/advisories/osv.js';
import {
  affectedVersions,
  cvss3BaseScore,
  cvss4Rating,
  fixedVersionsFor,
  groupAdvisories,
  isAffected,
  isMajorJump,
  matchPackage,
  recordSeverity,
  smallestFixAll,
} from '../../src/deps/advisories/match.js';

/** The 30 real OSV records (CC-BY-4.0, see SOURCES.md there). */
export const OSV_DIR = fileURLToPath(new URL('../../../shared/data/osv/', import.meta.url));

const REAL = new Map<string, OsvRecord>();
for (const f of readdirSync(OSV_DIR).filter((f) => f.endsWith('.json'))) {
  const parsed = parseOsvJson(readFileSync(join(OSV_DIR, f), 'utf8'));
  if (!parsed.ok) throw new Error(`${f}: ${parsed.problem}`);
  REAL.set(parsed.record.id, parsed.record);
}
const rec = (id: string): OsvRecord => {
  const r = REAL.get(id);
  if (!r) throw new Error(`no record ${id}`);
  return r;
};
const forPackage = (name: string) => [...REAL.values()].filter((r) => affectedVersions(r, name).intervals.length + affectedVersions(r, name).versions.length > 0);

function synthetic(id: string, affected: OsvRecord['affected'], extra: Partial<OsvRecord> = {}): OsvRecord {
  return { id, modified: '2024-01-01T00:00:00Z', affected, ...extra };
}
const eco = (...events: Record<string, string>[]) => ({ type: 'ECOSYSTEM', events });
const pypi = (name: string, ranges: ReturnType<typeof eco>[], versions?: string[]) => ({
  package: { ecosystem: 'PyPI', name },
  ranges,
  ...(versions ? { versions } : {}),
});

describe('the real records', () => {
  it('all 30 validate', () => {
    expect(REAL.size).toBe(30);
  });

  it.each([
    // [record, package as written in a manifest, version, affected?, fixes for that version]
    // multi-branch ranges in one range (django)
    ['PYSEC-2023-61', 'Django', '3.2.10', true, ['3.2.19']],
    ['PYSEC-2023-61', 'django', '3.2.19', false, []],
    ['PYSEC-2023-61', 'django', '4.0.5', true, ['4.1.9']],
    ['PYSEC-2023-61', 'django', '4.1.9', false, []],
    ['PYSEC-2023-61', 'django', '4.2', true, ['4.2.1']],
    ['PYSEC-2023-61', 'django', '4.2rc1', true, []], // below "4.2" (outside [4.2, 4.2.1)) but listed in versions[]
    ['PYSEC-2024-56', 'django', '4.2rc1', false, []], // neither in a range nor listed
    ['PYSEC-2023-61', 'django', '3.1.14', false, []],
    ['PYSEC-2023-222', 'django', '3.2.10', true, ['3.2.23']],
    ['PYSEC-2023-222', 'django', '4.0.1', false, []], // 4.0 is not in this record's branches
    ['PYSEC-2024-28', 'django', '3.2.10', true, ['3.2.24']],
    ['PYSEC-2024-28', 'django', '5.0.1', true, ['5.0.2']],
    ['PYSEC-2024-56', 'django', '3.2.10', false, []],
    // events out of order: 5.0, 5.0.8, 4.2, 4.2.15 (sorted per PEP 440 before the walk)
    ['PYSEC-2024-70', 'django', '4.2.14', true, ['4.2.15']],
    ['PYSEC-2024-70', 'django', '5.0.7', true, ['5.0.8']],
    ['PYSEC-2024-70', 'django', '4.2.15', false, []],
    ['PYSEC-2024-70', 'django', '4.1', false, []],
    // introduced "0" after a later branch: 2.0.0, 2.0.6, 0, 1.26.17
    ['PYSEC-2023-192', 'urllib3', '1.26.16', true, ['1.26.17']],
    ['PYSEC-2023-192', 'urllib3', '2.0.5', true, ['2.0.6']],
    ['PYSEC-2023-192', 'urllib3', '1.26.17', false, []],
    ['PYSEC-2023-192', 'urllib3', '2.0.0a1', false, []], // prerelease of 2.0.0 sorts after 1.26.17 and before 2.0.0
    // two affected[] entries for the same package
    ['GHSA-v845-jxx5-vc9f', 'urllib3', '1.26.16', true, ['1.26.17']],
    ['GHSA-v845-jxx5-vc9f', 'urllib3', '2.0.5', true, ['2.0.6']],
    ['GHSA-v845-jxx5-vc9f', 'urllib3', '2.0.6', false, []],
    ['GHSA-v845-jxx5-vc9f', 'urllib3', '2.1.0', false, []],
    // last_affected with no fix
    ['PYSEC-2022-42969', 'py', '1.11.0', true, []],
    ['PYSEC-2022-42969', 'py', '1.10.0', true, []],
    ['PYSEC-2022-42969', 'py', '1.11.1', false, []],
    // withdrawn: never affects
    ['PYSEC-2022-43059', 'aiohttp', '3.8.1', false, []],
    // display-cased names, either way round
    ['GHSA-h75v-3vvj-5mfj', 'jinja2', '3.1.3', true, ['3.1.4']],
    ['GHSA-h75v-3vvj-5mfj', 'Jinja2', '3.1.4', false, []],
    ['PYSEC-2021-66', 'JINJA2', '2.11.2', true, ['2.11.3']],
    ['PYSEC-2021-142', 'PyYAML', '5.3.1', true, ['5.4']],
    ['PYSEC-2020-176', 'pyyaml', '5.2b1', false, []],
    ['PYSEC-2020-176', 'pyyaml', '5.2a1', true, ['5.2b1']],
    ['PYSEC-2020-176', 'py-yaml', '5.1', false, []], // another name altogether
    // record without aliases
    ['PYSEC-2023-175', 'Pillow', '10.0.0', true, ['10.0.1']],
    ['PYSEC-2023-11', 'cryptography', '1.7', false, []],
    ['PYSEC-2023-11', 'cryptography', '39.0.0', true, ['39.0.1']],
    ['PYSEC-2023-62', 'Flask', '2.3.1', true, ['2.3.2']],
    ['PYSEC-2023-62', 'flask', '2.2.5', false, []],
    ['PYSEC-2023-74', 'requests', '2.2.1', false, []],
    ['PYSEC-2018-28', 'requests', '2.19.1', true, ['2.20.0']],
    // the record is about another package
    ['PYSEC-2018-28', 'urllib3', '1.0', false, []],
  ] as [string, string, string, boolean, string[]][])('%s: %s %s affected=%s fix=%j', (id, name, version, affected, fixes) => {
    expect(isAffected(version, rec(id), name)).toBe(affected);
    expect(fixedVersionsFor(rec(id), version, name)).toEqual(fixes);
  });

  it('versions[] counts even where the ranges would not (explicit list)', () => {
    const r = rec('PYSEC-2022-42969');
    const listed = affectedVersions(r, 'py').versions;
    expect(listed).toContain('0.8.0-alpha2');
    expect(isAffected('0.8.0-alpha2', r, 'py')).toBe(true);
    expect(isAffected('0.8.0a2', r, 'py')).toBe(true); // PEP 440 equality with the listed spelling
  });

  it('ignores GIT ranges (commit hashes)', () => {
    const r = rec('PYSEC-2023-62');
    expect(r.affected?.[0]?.ranges?.map((x) => x.type)).toEqual(['GIT', 'ECOSYSTEM']);
    expect(affectedVersions(r, 'flask')).toEqual({
      intervals: [
        { introduced: '0', fixed: '2.2.5' },
        { introduced: '2.3.0', fixed: '2.3.2' },
      ],
      versions: expect.arrayContaining(['2.2.4', '2.3.1']),
      problems: [],
    });
  });

  it('one range, three branches', () => {
    expect(affectedVersions(rec('PYSEC-2023-61'), 'django').intervals).toEqual([
      { introduced: '3.2', fixed: '3.2.19' },
      { introduced: '4.0', fixed: '4.1.9' },
      { introduced: '4.2', fixed: '4.2.1' },
    ]);
  });
});

describe('django 3.2.10 against the real records', () => {
  it('is affected by the three 3.2-branch records and needs 3.2.24', () => {
    const records = forPackage('django');
    expect(records.map((r) => r.id).sort()).toEqual(['PYSEC-2023-222', 'PYSEC-2023-61', 'PYSEC-2024-28', 'PYSEC-2024-56', 'PYSEC-2024-70']);
    const m = matchPackage('Django', '3.2.10', records);
    expect(m.groups.map((g) => g.id).sort()).toEqual(['PYSEC-2023-222', 'PYSEC-2023-61', 'PYSEC-2024-28']);
    expect(m.groups.flatMap((g) => g.ids)).toEqual(expect.arrayContaining(['CVE-2023-31047', 'CVE-2023-46695', 'CVE-2024-24680']));
    expect(m.fix).toEqual({ version: '3.2.24', alreadySafe: false, unfixed: [] });
    expect(isMajorJump('3.2.10', '3.2.24')).toBe(false);
  });

  it.each([
    ['4.2.0', '4.2.15'],
    ['5.0', '5.0.8'],
    ['4.0.3', '4.1.13'], // 4.1.9 leaves PYSEC-2023-61 but is inside PYSEC-2023-222's [4.1, 4.1.13)
    ['3.2.24', '3.2.24'],
    ['5.1', '5.1'],
  ])('django %s → %s', (from, to) => {
    const plan = smallestFixAll(from, forPackage('django'), 'django');
    expect(plan.version).toBe(to);
    expect(plan.alreadySafe).toBe(from === to);
  });
});

describe('smallestFixAll', () => {
  it('urllib3 1.26.5 needs 1.26.18 (five records, two of them the same CVE)', () => {
    const records = forPackage('urllib3');
    expect(smallestFixAll('1.26.5', records, 'urllib3').version).toBe('1.26.18');
    expect(smallestFixAll('2.0.3', records, 'urllib3').version).toBe('2.0.7');
    expect(smallestFixAll('1.24', records, 'urllib3').version).toBe('1.26.18');
  });

  it('says which record has no fix (last_affected)', () => {
    const plan = smallestFixAll('1.4.0', forPackage('py'), 'py');
    expect(plan.version).toBeNull();
    expect(plan.unfixed).toEqual([{ id: 'PYSEC-2022-42969', reason: expect.stringContaining('last affected version is 1.11.0') }]);
  });

  it('a fix of one record inside another open-ended record: no fix, blames the open one', () => {
    const a = synthetic('X-1', [pypi('pkg', [eco({ introduced: '0' }, { fixed: '2.0' })])]);
    const b = synthetic('X-2', [pypi('pkg', [eco({ introduced: '1.5' })])]);
    const plan = smallestFixAll('1.0', [a, b], 'pkg');
    expect(plan.version).toBeNull();
    expect(plan.unfixed.map((u) => u.id)).toEqual(['X-2']);
    expect(plan.unfixed[0]?.reason).toContain('every version from 1.5 on');
  });

  it('jumps over a fix that lands in another range', () => {
    const a = synthetic('X-1', [pypi('pkg', [eco({ introduced: '0' }, { fixed: '1.2' })])]);
    const b = synthetic('X-2', [pypi('pkg', [eco({ introduced: '1.2' }, { fixed: '1.3' }, { introduced: '2.0' }, { fixed: '2.0.1' })])]);
    expect(smallestFixAll('1.0', [a, b], 'pkg').version).toBe('1.3');
    expect(smallestFixAll('1.9', [a, b], 'pkg')).toEqual({ version: '1.9', alreadySafe: true, unfixed: [] });
  });

  it('ignores withdrawn records', () => {
    const w = synthetic('X-W', [pypi('pkg', [eco({ introduced: '0' })])], { withdrawn: '2024-01-02T00:00:00Z' });
    expect(smallestFixAll('1.0', [w], 'pkg').alreadySafe).toBe(true);
  });

  it('a version that is not PEP 440 gets no computed fix', () => {
    const r = synthetic('X-1', [pypi('pkg', [eco({ introduced: '0' }, { fixed: '2' })], ['nightly-7'])]);
    expect(isAffected('nightly-7', r, 'pkg')).toBe(true);
    const plan = smallestFixAll('nightly-7', [r], 'pkg');
    expect(plan.version).toBeNull();
    expect(plan.unfixed[0]?.reason).toContain('not a PEP 440 version');
  });

  it('major jump', () => {
    expect(isMajorJump('1.26.5', '2.0.7')).toBe(true);
    expect(isMajorJump('1!1.0', '2.0')).toBe(true);
  });
});

describe('synthetic ranges', () => {
  const r = synthetic('S-1', [
    pypi('My_Package', [eco({ fixed: '1.4' }, { introduced: '1.0' }, { introduced: '2.0rc1' }, { last_affected: '2.1' })]),
    pypi('my.package', [eco({ introduced: '3.0' }, { fixed: '3.0.2' }, { limit: '3.0.1' })]),
    { package: { ecosystem: 'npm', name: 'my-package' }, ranges: [eco({ introduced: '0' })] },
    { package: { ecosystem: 'PyPI', name: 'other' }, ranges: [eco({ introduced: '0' })] },
  ]);
  it.each([
    ['0.9', false],
    ['1.0', true],
    ['1.0.dev0', false],
    ['1.4a1', true], // prereleases included
    ['1.4', false],
    ['1.9', false],
    ['2.0b1', false],
    ['2.0rc1', true],
    ['2.1', true],
    ['2.1.post1', false],
    ['2.1+local', false], // local versions sort after the public one
    ['3.0', true],
    ['3.0.1', false], // limit
    ['3.0.1.dev1', true],
    ['not-a-version', false],
  ])('my-package %s → %s', (v, expected) => {
    expect(isAffected(v, r, 'MY-PACKAGE')).toBe(expected);
  });

  it('reports invalid event versions and skips them', () => {
    const bad = synthetic('S-2', [pypi('pkg', [eco({ introduced: '0' }, { fixed: 'abc!!' })])]);
    expect(affectedVersions(bad, 'pkg').problems).toEqual(['S-2: fixed "abc!!" is not a PEP 440 version']);
    expect(isAffected('99', bad, 'pkg')).toBe(true); // open range: conservative
  });

  it('versions[] compares by PEP 440 equality', () => {
    const r = synthetic('S-4', [pypi('pkg', [], ['1.0', '2.0-alpha2', '3.0+Local.1'])]);
    expect(['1.0.0', '1', '2.0a2', '3.0+local.1', '1.0.post0'].map((v) => isAffected(v, r, 'pkg'))).toEqual([true, true, true, true, false]);
    expect(isAffected('3.0', r, 'pkg')).toBe(false);
  });

  it('an affected entry without package or ranges matches nothing', () => {
    const odd = synthetic('S-3', [{}, { package: { ecosystem: 'PyPI', name: 'pkg' } }]);
    expect(isAffected('1.0', odd, 'pkg')).toBe(false);
  });
});

describe('alias merging', () => {
  it('PYSEC-2023-192 and GHSA-v845-jxx5-vc9f are one advisory (CVE-2023-43804)', () => {
    const groups = groupAdvisories([rec('PYSEC-2023-192'), rec('GHSA-v845-jxx5-vc9f'), rec('PYSEC-2023-212')]);
    expect(groups.map((g) => g.ids)).toEqual([
      ['GHSA-g4mx-q9vg-27p4', 'PYSEC-2023-212', 'CVE-2023-45803'],
      ['GHSA-v845-jxx5-vc9f', 'PYSEC-2023-192', 'CVE-2023-43804'],
    ]);
    const cookie = groups[1];
    expect(cookie?.id).toBe('GHSA-v845-jxx5-vc9f');
    expect(cookie?.records.map((r) => r.id)).toEqual(['GHSA-v845-jxx5-vc9f', 'PYSEC-2023-192']);
    expect(cookie?.summary).toBe("`Cookie` HTTP header isn't stripped on cross-origin redirects");
    // PYSEC's vector (8.1) is higher than GHSA's (5.9): the group takes the highest
    expect(cookie?.severity).toMatchObject({ level: 'high', score: 8.1 });
  });

  it('order of input does not change the output', () => {
    const a = groupAdvisories([rec('GHSA-v845-jxx5-vc9f'), rec('PYSEC-2023-192')]);
    const b = groupAdvisories([rec('PYSEC-2023-192'), rec('GHSA-v845-jxx5-vc9f')]);
    expect(a).toEqual(b);
  });

  it('transitive: A~B via a CVE, B~C via a GHSA', () => {
    const a = synthetic('PYSEC-1', [], { aliases: ['CVE-1'] });
    const b = synthetic('OSV-2', [], { aliases: ['CVE-1', 'GHSA-zzzz'] });
    const c = synthetic('GHSA-zzzz', [], { summary: 'the summary' });
    const d = synthetic('PYSEC-9', [], { details: 'First line.\nMore.' });
    const groups = groupAdvisories([a, b, c, d, a]);
    expect(groups.map((g) => [g.id, g.ids, g.summary])).toEqual([
      ['GHSA-zzzz', ['GHSA-zzzz', 'PYSEC-1', 'CVE-1', 'OSV-2'], 'the summary'],
      ['PYSEC-9', ['PYSEC-9'], 'First line.'],
    ]);
  });

  it('matchPackage merges urllib3 duplicates into one group per CVE', () => {
    const m = matchPackage('urllib3', '1.26.16', forPackage('urllib3'));
    expect(m.groups.map((g) => g.id)).toEqual(['GHSA-v845-jxx5-vc9f', 'GHSA-g4mx-q9vg-27p4']);
    expect(m.fix.version).toBe('1.26.18');
    expect(m.severity?.level).toBe('high');
  });

  it('jinja2 3.1.3: GHSA record under its display-cased name', () => {
    const m = matchPackage('jinja2', '3.1.3', forPackage('jinja2'));
    expect(m.groups.map((g) => g.id)).toEqual(['GHSA-h75v-3vvj-5mfj']);
    expect(m.groups[0]?.severity).toEqual({ level: 'medium', score: 5.4, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N', source: 'cvss_v3' });
  });
});

describe('severity', () => {
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10.0],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', 7.5],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N', 5.4],
    ['CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:H/I:H/A:N', 5.6],
    ['CVSS:3.1/AV:N/AC:H/PR:H/UI:N/S:U/C:H/I:H/A:N', 5.9],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N', 8.1],
    ['CVSS:3.1/AV:A/AC:H/PR:H/UI:N/S:U/C:H/I:N/A:N', 4.2],
    ['CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H', 5.5],
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N', 6.4],
    ['CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N', 1.6],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0],
    ['CVSS:3.1/AV:N/AC:L', null],
    ['CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P', null],
  ])('%s → %s', (vector, score) => {
    expect(cvss3BaseScore(vector)).toBe(score);
  });

  it.each([
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 'critical'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N', 'high'],
    ['CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:P/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N', 'medium'],
    ['CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:P/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N', 'low'],
    ['CVSS:4.0/AV:N', null],
  ])('CVSS v4 %s → %s', (vector, level) => {
    expect(cvss4Rating(vector)).toBe(level);
  });

  it.each([
    ['PYSEC-2023-221', { level: 'high', score: 7.5, source: 'cvss_v3' }],
    ['GHSA-9wx4-h78v-vm56', { level: 'medium', score: 5.6, source: 'cvss_v3' }],
    ['PYSEC-2023-207', { level: 'medium', score: 6.1, source: 'cvss_v3' }],
    ['PYSEC-2023-61', undefined],
  ])('%s', (id, expected) => {
    const s = recordSeverity(rec(id));
    if (expected === undefined) expect(s).toBeUndefined();
    else expect(s).toMatchObject(expected);
  });

  it('database_specific.severity, then CVSS v4', () => {
    const base = synthetic('X', []);
    expect(recordSeverity({ ...base, database_specific: { severity: 'MODERATE' } })).toEqual({ level: 'medium', source: 'database_specific' });
    expect(recordSeverity({ ...base, database_specific: { severity: 'CRITICAL' } })?.level).toBe('critical');
    expect(recordSeverity({ ...base, database_specific: { severity: 'weird' } })).toBeUndefined();
    const v4 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N';
    expect(recordSeverity({ ...base, severity: [{ type: 'CVSS_V4', score: v4 }] })).toEqual({ level: 'medium', vector: v4, source: 'cvss_v4' });
    // database_specific wins over the v4 heuristic
    expect(recordSeverity({ ...base, severity: [{ type: 'CVSS_V4', score: v4 }], database_specific: { severity: 'LOW' } })?.level).toBe('low');
  });
});

describe('validator', () => {
  it.each([
    [null, 'not an OSV record'],
    [{}, 'not an OSV record'],
    [{ id: 'X-1', affected: 'nope' }, 'X-1: not an OSV record'],
    [{ id: 'X-1', affected: [{ ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: 0 }] }] }] }, 'affected.0.ranges.0.events.0.introduced'],
  ])('%j is reported, not thrown', (value, message) => {
    const parsed = parseOsvRecord(value);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toContain(message);
  });

  it('invalid JSON text', () => {
    const parsed = parseOsvJson('{"id": ');
    expect(parsed.ok).toBe(false);
  });

  it('unknown fields are ignored, a missing modified becomes ""', () => {
    const parsed = parseOsvRecord({ id: 'X-1', schema_version: '1.6.0', credits: [{ name: 'x' }], affected: [] });
    expect(parsed).toEqual({ ok: true, record: { id: 'X-1', modified: '', affected: [] } });
  });
});

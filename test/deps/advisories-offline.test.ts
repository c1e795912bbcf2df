import { mkdtemp, mkdir, readFile, readdir, rm, writeFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { strToU8, zipSync } from 'fflate';
import { openOfflineDb } from '../../src/deps/advisories/offline.js';
import { AdvisoryUnavailable } from '../../src/deps/advisories/source.js';
import type { AdvisorySource } from '../../src/deps/advisories/index.js';
import { matchPackage } from '../../src/deps/advisories/match.js';

const OSV_DIR = fileURLToPath(new URL('../../../shared/data/osv/', import.meta.url));

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'pysec-osv-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function realRecords(): Promise<Record<string, Uint8Array>> {
  const files: Record<string, Uint8Array> = {};
  for (const f of (await readdir(OSV_DIR)).filter((f) => f.endsWith('.json'))) {
    files[f] = new Uint8Array(await readFile(join(OSV_DIR, f)));
  }
  return files;
}

describe('openOfflineDb on shared/data/osv', () => {
  it('indexes the 30 records by normalised name', async () => {
    const db = await openOfflineDb(OSV_DIR);
    expect(db.problems()).toEqual([]);
    expect(db.stats).toMatchObject({ files: 30, records: 30, skippedOtherEcosystems: 0 });
    expect(db.lookup('Django').map((r) => r.id).sort()).toEqual([
      'PYSEC-2023-222',
      'PYSEC-2023-61',
      'PYSEC-2024-28',
      'PYSEC-2024-56',
      'PYSEC-2024-70',
    ]);
    // "Jinja2" (GHSA) and "jinja2" (PYSEC) land under one name
    expect(db.lookup('JINJA2').map((r) => r.id).sort()).toEqual(['GHSA-h75v-3vvj-5mfj', 'PYSEC-2019-217', 'PYSEC-2021-66']);
    expect(db.lookup('PyYAML').length).toBe(2);
    expect(db.lookup('urllib3').length).toBe(5);
    // the withdrawn record is indexed (matching skips it)
    expect(db.lookup('aiohttp').map((r) => r.id)).toEqual(['PYSEC-2022-43059']);
    expect(db.lookup('numpy')).toEqual([]);
    expect(db.description).toBe(`offline OSV database ${OSV_DIR} (30 records)`);
  });

  it('is an AdvisorySource: django 3.2.10 → 3.2.24', async () => {
    const source: AdvisorySource = await openOfflineDb(OSV_DIR);
    const found = await source.advisoriesFor([
      { name: 'Django', version: '3.2.10' },
      { name: 'aiohttp', version: '3.8.1' },
      { name: 'left_pad' },
    ]);
    expect([...found.keys()]).toEqual(['django', 'aiohttp', 'left-pad']);
    const django = matchPackage('Django', '3.2.10', found.get('django') ?? []);
    expect(django.fix.version).toBe('3.2.24');
    expect(django.groups.map((g) => g.id).sort()).toEqual(['PYSEC-2023-222', 'PYSEC-2023-61', 'PYSEC-2024-28']);
    expect(matchPackage('aiohttp', '3.8.1', found.get('aiohttp') ?? []).groups).toEqual([]);
    expect(found.get('left-pad')).toEqual([]);
  });
});

describe('openOfflineDb on an all.zip export', () => {
  it('reads every JSON entry of the zip', async () => {
    const zip = join(tmp, 'all.zip');
    await writeFile(zip, zipSync(await realRecords()));
    const db = await openOfflineDb(zip);
    expect(db.problems()).toEqual([]);
    expect(db.stats.records).toBe(30);
    expect(db.lookup('werkzeug').length).toBe(3);
  });

  it('reports bad entries and keeps the good ones; skips other ecosystems', async () => {
    const files = await realRecords();
    files['broken.json'] = strToU8('{"id": "BROKEN-1", ');
    files['shape.json'] = strToU8(JSON.stringify({ id: 'SHAPE-1', affected: 'everything' }));
    files['npm.json'] = strToU8(
      JSON.stringify({ id: 'GHSA-npm', modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'django' } }] }),
    );
    files['README.txt'] = strToU8('not a record');
    const zip = join(tmp, 'mixed.zip');
    await writeFile(zip, zipSync(files));
    const db = await openOfflineDb(zip);
    expect(db.stats).toMatchObject({ records: 30, skippedOtherEcosystems: 1, files: 33 });
    expect(db.problems()).toEqual([
      { where: `${zip}:broken.json`, message: expect.stringContaining('invalid JSON') },
      { where: `${zip}:shape.json`, message: expect.stringContaining('SHAPE-1: not an OSV record') },
    ]);
    expect(db.lookup('django').some((r) => r.id === 'GHSA-npm')).toBe(false);
  });

  it('a corrupt zip is unavailable, with the reason', async () => {
    const zip = join(tmp, 'corrupt.zip');
    const bytes = zipSync(await realRecords());
    await writeFile(zip, bytes.slice(0, 200));
    const err = await openOfflineDb(zip).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdvisoryUnavailable);
    expect((err as AdvisoryUnavailable).kind).toBe('unreadable-db');
    expect((err as AdvisoryUnavailable).reason).toContain('holds no readable OSV record');
  });
});

describe('openOfflineDb on a directory tree', () => {
  it('recurses, keeps the newer of two copies, reports bad files', async () => {
    const root = join(tmp, 'tree');
    await mkdir(join(root, 'PyPI', 'nested'), { recursive: true });
    const old = {
      id: 'PYSEC-X-1',
      modified: '2020-01-01T00:00:00Z',
      affected: [{ package: { ecosystem: 'PyPI', name: 'Foo.Bar' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0' }] }] }],
    };
    const newer = { ...old, modified: '2021-01-01T00:00:00Z', affected: [{ ...old.affected[0], ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }] }] };
    await writeFile(join(root, 'PyPI', 'a.json'), JSON.stringify(old));
    await writeFile(join(root, 'PyPI', 'nested', 'b.json'), JSON.stringify(newer));
    await writeFile(join(root, 'PyPI', 'nested', 'bad.json'), '[1, 2');
    await writeFile(join(root, 'notes.md'), '# ignored');
    const db = await openOfflineDb(root);
    expect(db.lookup('foo_bar').map((r) => r.modified)).toEqual(['2021-01-01T00:00:00Z']);
    expect(matchPackage('foo-bar', '1.5', db.lookup('foo-bar')).fix.version).toBe('2.0');
    expect(db.problems()).toEqual([{ where: join('PyPI', 'nested', 'bad.json'), message: expect.stringContaining('invalid JSON') }]);
  });

  it('an unreadable file is a problem, not a throw', async () => {
    const root = join(tmp, 'perm');
    await mkdir(root);
    await writeFile(join(root, 'ok.json'), await readFile(join(OSV_DIR, 'PYSEC-2023-61.json')));
    await symlink(join(root, 'nowhere.json'), join(root, 'dangling.json'));
    await symlink(join(OSV_DIR, 'PYSEC-2022-42969.json'), join(root, 'linked.json'));
    const db = await openOfflineDb(root);
    expect(db.problems()).toEqual([{ where: 'dangling.json', message: 'cannot read file (ENOENT)' }]);
    expect(db.stats.records).toBe(2);
  });

  it('a missing path or an empty directory is unavailable', async () => {
    await expect(openOfflineDb(join(tmp, 'missing'))).rejects.toThrow(/cannot be read \(ENOENT\)/);
    const empty = join(tmp, 'empty');
    await mkdir(empty);
    await expect(openOfflineDb(empty)).rejects.toBeInstanceOf(AdvisoryUnavailable);
  });

  it('a single record file works too', async () => {
    const db = await openOfflineDb(join(OSV_DIR, 'PYSEC-2022-42969.json'));
    expect(db.lookup('py').map((r) => r.id)).toEqual(['PYSEC-2022-42969']);
  });
});

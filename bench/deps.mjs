#!/usr/bin/env node
/**
 * `npm run bench:deps`: generate an offline OSV database of 10,000 synthetic PyPI records (in a
 * temporary directory, as JSON files and as an all.zip export) and 2,000 pinned packages, then time
 * loading + indexing the database and matching every package (affected groups with aliases merged,
 * smallest fixing version). Each database form is timed cold in its own child process.
 * Deterministic (seeded); runs on dist/.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strToU8, zipSync } from 'fflate';

const RECORDS = 10_000;
const PINNED = 2_000;
const NAMES = 3_000; // records spread over more names than are pinned

// mulberry32: a small seeded PRNG, so every run benchmarks the same data
let seed = 42;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (n) => Math.floor(rand() * n);
const ver = () => `${pick(6)}.${pick(20)}.${pick(30)}`;

function record(i) {
  const name = `Pkg_${pick(NAMES)}`; // display-cased: normalised on lookup
  const branches = 1 + pick(3);
  const events = [];
  for (let b = 0; b < branches; b++) {
    const major = b * 2 + pick(2);
    events.push({ introduced: b === 0 && rand() < 0.3 ? '0' : `${major}.${pick(10)}` });
    if (rand() < 0.05) events.push({ last_affected: `${major}.${10 + pick(5)}.${pick(9)}` });
    else events.push({ fixed: `${major}.${10 + pick(5)}.${pick(9)}` });
  }
  // OSV allows any order: shuffle
  events.sort(() => rand() - 0.5);
  const r = {
    id: `PYSEC-BENCH-${i}`,
    modified: '2024-01-01T00:00:00Z',
    aliases: [`CVE-BENCH-${i - (i % 2)}`], // pairs share a CVE: alias merging has work
    details: `Synthetic advisory ${i}.`,
    affected: [
      {
        package: { ecosystem: 'PyPI', name },
        ranges: [{ type: 'ECOSYSTEM', events }],
        versions: Array.from({ length: pick(20) }, ver),
      },
    ],
  };
  if (rand() < 0.3) r.severity = [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N' }];
  if (rand() < 0.02) r.withdrawn = '2024-02-01T00:00:00Z';
  return r;
}

const self = fileURLToPath(import.meta.url);

/** Child: load one database and match the packages, cold (own process, own caches). */
async function child(path, packagesFile) {
  const { openOfflineDb } = await import('../dist/deps/advisories/offline.js');
  const { matchPackage } = await import('../dist/deps/advisories/match.js');
  const packages = JSON.parse(await readFile(packagesFile, 'utf8'));
  const t0 = performance.now();
  const db = await openOfflineDb(path);
  const t1 = performance.now();
  const found = await db.advisoriesFor(packages);
  let vulnerable = 0;
  let groups = 0;
  let noFix = 0;
  for (const p of packages) {
    const m = matchPackage(p.name, p.version, found.get(p.name) ?? []);
    if (m.groups.length > 0) vulnerable++;
    groups += m.groups.length;
    if (m.fix.version === null) noFix++;
  }
  const t2 = performance.now();
  // The whole pipeline as scan() runs it: extract a 2,000-line requirements file, match, build findings.
  const { analyzeManifests } = await import('../dist/deps/analyze.js');
  const { defaultConfig } = await import('../dist/config/schema.js');
  const text = packages.map((p) => `${p.name}==${p.version}`).join('\n');
  const t3 = performance.now();
  const deps = await analyzeManifests([{ path: 'requirements.txt', text }], { config: defaultConfig(), advisories: db, now: new Date() });
  const t4 = performance.now();
  const r = {
    load: t1 - t0,
    match: t2 - t1,
    total: t2 - t0,
    pipeline: t4 - t3,
    findings: deps.findings.filter((f) => f.ruleId === 'vulnerable-dependency').length,
    records: db.stats.records,
    problems: db.problems().length,
    vulnerable,
    groups,
    noFix,
  };
  process.stdout.write(JSON.stringify({ ...r, rssMb: process.resourceUsage().maxRSS / 1024 }));
}

if (process.argv[2] === 'child') {
  await child(process.argv[3], process.argv[4]);
} else {
  const tmp = await mkdtemp(join(tmpdir(), 'pysec-bench-deps-'));
  try {
    const dir = join(tmp, 'osv');
    await mkdir(dir);
    const zipFiles = {};
    for (let i = 0; i < RECORDS; i++) {
      const text = JSON.stringify(record(i));
      await writeFile(join(dir, `PYSEC-BENCH-${i}.json`), text);
      zipFiles[`PYSEC-BENCH-${i}.json`] = strToU8(text);
    }
    const zipPath = join(tmp, 'all.zip');
    await writeFile(zipPath, zipSync(zipFiles));
    const packagesFile = join(tmp, 'packages.json');
    await writeFile(packagesFile, JSON.stringify(Array.from({ length: PINNED }, (_, i) => ({ name: `pkg-${i}`, version: ver() }))));

    const fmt = (ms) => `${ms.toFixed(0)} ms`;
    console.log(`pysec dependency benchmark: ${RECORDS} synthetic OSV records over ${NAMES} names, ${PINNED} pinned packages`);
    for (const [label, path] of [
      ['directory', dir],
      ['all.zip  ', zipPath],
    ]) {
      const c = spawnSync(process.execPath, [self, 'child', path, packagesFile], { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (c.status !== 0) throw new Error(`${label} pass failed: ${c.stderr}`);
      const r = JSON.parse(c.stdout);
      console.log(
        `${label}: load + index ${fmt(r.load)}, match ${fmt(r.match)}, total ${fmt(r.total)}, peak RSS ${r.rssMb.toFixed(0)} MB` +
          ` (${r.records} records, ${r.problems} problems; ${r.vulnerable} vulnerable packages, ${r.groups} advisory groups, ${r.noFix} without a fix)`,
      );
      console.log(
        `${label}  extract + match + findings for a 2,000-line requirements.txt (database already loaded): ${fmt(r.pipeline)}, ${r.findings} vulnerable-dependency findings`,
      );
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

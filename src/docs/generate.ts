/**
 * `npm run docs` (write) and `node dist/docs/generate.js --check` (fail when stale).
 */
import { readFile, readdir, writeFile, mkdir, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allRules } from '../rules/index.js';
import { docsFiles, updateReadme } from './rules.js';

export interface StaleFile {
  path: string;
  reason: 'missing' | 'outdated' | 'orphan';
}

/** Compare generated docs with the files in `repo`; optionally rewrite them. */
export async function syncDocs(repo: string, write: boolean): Promise<StaleFile[]> {
  const stale: StaleFile[] = [];
  const expected = docsFiles(allRules);
  const readme = join(repo, 'README.md');
  const readmeText = await readFile(readme, 'utf8').catch(() => null);
  if (readmeText !== null) expected.set('README.md', updateReadme(readmeText, allRules));
  for (const [rel, content] of expected) {
    const abs = join(repo, rel);
    const current = await readFile(abs, 'utf8').catch(() => null);
    if (current === content) continue;
    stale.push({ path: rel, reason: current === null ? 'missing' : 'outdated' });
    if (write) {
      await mkdir(dirname(abs), { recursive: true });
      await writeFile(abs, content);
    }
  }
  const existing = await readdir(join(repo, 'docs/rules')).catch(() => [] as string[]);
  for (const name of existing) {
    const rel = `docs/rules/${name}`;
    if (name.endsWith('.md') && !expected.has(rel)) {
      stale.push({ path: rel, reason: 'orphan' });
      if (write) await unlink(join(repo, rel));
    }
  }
  return stale;
}

async function main(): Promise<void> {
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const check = process.argv.includes('--check');
  const stale = await syncDocs(repo, !check);
  for (const s of stale) console.log(`${check ? 'stale' : 'wrote'}: ${s.path} (${s.reason})`);
  if (check && stale.length > 0) {
    console.error('Generated docs are stale: run `npm run docs` and commit the result.');
    process.exitCode = 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}

#!/usr/bin/env node
/**
 * `npm run bench [-- DIR]`: scan a large Python tree (default: this machine's Python
 * standard library) with the full rule catalogue, and a tree-sitter parse-only pass over
 * the same files, side by side in one run. Each pass runs in its own child process so its
 * peak RSS is its own. Prints times, the ratio, and peak RSS.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const [mode, dirArg] = process.argv.slice(2);

async function loadFiles(dir) {
  const { collectFiles } = await import('../dist/cli/files.js');
  const { files } = await collectFiles(dir, ['.']);
  return files;
}

async function child(which, dir) {
  const files = await loadFiles(dir);
  const started = performance.now();
  let lines = 0;
  let findings = 0;
  if (which === 'parse') {
    const { parsePython } = await import('../dist/python/parser.js');
    const { decodeSource } = await import('../dist/scan/source.js');
    let i = 0;
    for (const f of files) {
      const d = decodeSource(await f.read());
      if (!d.ok || d.text.length > 1024 * 1024) continue;
      const tree = parsePython(d.text);
      lines += tree.rootNode.endPosition.row + 1;
      // Same event-loop yield as scan(), so native trees are freed the same way.
      if (++i % 1 === 0) await new Promise((r) => setImmediate(r));
    }
  } else {
    const { scan } = await import('../dist/scan/index.js');
    const { defaultConfig } = await import('../dist/config/schema.js');
    const result = await scan(files, { config: defaultConfig() });
    lines = result.stats.lines;
    findings = result.findings.length;
  }
  const ms = performance.now() - started;
  const rssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ files: files.length, lines, findings, ms, rssMb }));
}

function defaultDir() {
  try {
    return execFileSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

function runChild(which, dir) {
  const r = spawnSync(process.execPath, ['--expose-gc', self, which, dir], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${which} pass failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

if (mode === 'parse' || mode === 'scan') {
  await child(mode, dirArg);
} else {
  const dir = mode ?? defaultDir();
  if (!dir) {
    console.error('usage: npm run bench -- DIR   (no python3 found to locate the standard library)');
    process.exit(2);
  }
  console.log(`pysec benchmark on ${dir}`);
  const parse = runChild('parse', dir);
  const full = runChild('scan', dir);
  const fmt = (x) => `${(x.ms / 1000).toFixed(2)} s, peak RSS ${x.rssMb.toFixed(0)} MB`;
  console.log(`files: ${full.files}, lines: ${full.lines}, findings: ${full.findings}`);
  console.log(`tree-sitter parse only : ${fmt(parse)}`);
  console.log(`pysec scan (all rules) : ${fmt(full)}`);
  console.log(`ratio scan/parse       : ${(full.ms / parse.ms).toFixed(2)}x`);
}

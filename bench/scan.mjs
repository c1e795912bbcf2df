#!/usr/bin/env node
/**
 * `npm run bench [-- DIR]`: scan a large Python tree (default: this machine's Python
 * standard library) four ways, side by side in one run:
 *   parse  tree-sitter parse only, one thread, through node-tree-sitter as npm installs it
 *          (the yardstick)
 *   flat   pysec's own parse: the same tree-sitter runtime and grammar, in pysec's addon
 *          (profile-guided when built with GCC, see scripts/build-native.mjs), plus
 *          flattening the tree into records (native/flat.c), one thread; what the scan
 *          passes start from
 *   scan   the full rule catalogue, in-process, one thread
 *   pool   the full rule catalogue on the worker-thread pool (PYSEC_BENCH_JOBS threads,
 *          default: the CPU count), thread start-up included
 * Each pass runs in its own child process so its peak RSS is its own. RSS is sampled every
 * 50 ms (worker threads live in the process, so process RSS covers them). CPU time is the
 * process's user+system time over every thread: on a busy machine it says what the work
 * cost even when wall-clock time says mostly how long the pass waited for a core.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { clearInterval, setInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const [mode, dirArg] = process.argv.slice(2);
const PASSES = ['parse', 'flat', 'scan', 'pool'];

async function loadFiles(dir) {
  const { collectFiles } = await import('../dist/cli/files.js');
  const { files } = await collectFiles(dir, ['.']);
  return files;
}

function rssSampler() {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage.rss());
  };
}

async function child(which, dir) {
  const files = await loadFiles(dir);
  const jobs = Number(process.env.PYSEC_BENCH_JOBS ?? availableParallelism());
  // Every module a pass uses is loaded before its clock starts, as the yardstick's parser is:
  // the passes time the work on the files, not loading code (~0.3 s for the rule catalogue).
  // Each pass loads only what it uses. With the pool and the config schema loaded too, the
  // yardstick's peak RSS went from ~340 to ~580 MB (node-tree-sitter's trees are native memory
  // that only the garbage collector frees, so its timing shows).
  const { getParser, parsePython, treeBackend, nativeProfiled, nativeGrammarBuiltIn } = await import('../dist/python/parser.js');
  const { decodeSource } = await import('../dist/scan/source.js');
  const { readLocal, scan } = await import('../dist/scan/index.js');
  const { scanInPool } = which === 'pool' ? await import('../dist/scan/pool.js') : {};
  const { defaultConfig } = which === 'scan' || which === 'pool' ? await import('../dist/config/schema.js') : {};
  const builds = [nativeProfiled() && 'profile-guided build', nativeGrammarBuiltIn() && 'grammar compiled in'].filter(Boolean);
  const backend = `${treeBackend()}${builds.length ? ` (${builds.join(', ')})` : ''}`;
  const parser = which === 'parse' ? getParser() : null;
  const stopRss = rssSampler();
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  let lines = 0;
  let findings = 0;
  if (which === 'parse' || which === 'flat') {
    for (const file of files) {
      // Read as scan() reads a file on disk (readLocal), so every pass pays the same for reading.
      const read = readLocal(file.localPath);
      if ('error' in read) continue;
      const bytes = read.bytes;
      const d = decodeSource(bytes);
      if (!d.ok || d.text.length > 1024 * 1024) continue;
      // node-tree-sitter reads the source through a buffer; the whole file at once is fastest.
      const tree = which === 'parse' ? parser.parse(d.text, null, { bufferSize: d.text.length + 1 }) : parsePython(d.text);
      lines += tree.rootNode.endPosition.row + 1;
      // Same event-loop yield as scan(), so native trees are freed the same way.
      await new Promise((r) => setImmediate(r));
    }
  } else {
    const options = { config: defaultConfig() };
    const result = which === 'pool' ? await scanInPool(files, { ...options, jobs }) : await scan(files, options);
    lines = result.stats.lines;
    findings = result.findings.length;
  }
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  const rssMb = stopRss() / (1024 * 1024);
  process.stdout.write(
    JSON.stringify({ files: files.length, lines, findings, ms, cpuMs: (cpu.user + cpu.system) / 1000, rssMb, jobs, backend }),
  );
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

if (PASSES.includes(mode)) {
  await child(mode, dirArg);
} else {
  const dir = mode ?? defaultDir();
  if (!dir) {
    console.error('usage: npm run bench -- DIR   (no python3 found to locate the standard library)');
    process.exit(2);
  }
  // This machine's speed drifts by tens of percent within minutes, even within one round. So
  // each round brackets every measured pass between two yardstick runs (parse, flat, parse,
  // scan, parse, pool, parse), and a pass's ratio is to the mean of the yardstick runs just
  // before and after it: drift that is steady over a pass cancels out. The report gives every
  // round and the median.
  const rounds = Math.max(1, Number(process.env.PYSEC_BENCH_ROUNDS ?? 3));
  console.log(`pysec benchmark on ${dir}, ${rounds} round(s)`);
  const MEASURED = PASSES.filter((p) => p !== 'parse');
  const results = [];
  for (let r = 0; r < rounds; r++) {
    const round = { yardsticks: [runChild('parse', dir)] };
    for (const pass of MEASURED) {
      round[pass] = runChild(pass, dir);
      round.yardsticks.push(runChild('parse', dir));
    }
    // The yardstick each measured pass is compared with: the mean of its two brackets.
    for (const [i, pass] of MEASURED.entries()) {
      const [before, after] = [round.yardsticks[i], round.yardsticks[i + 1]];
      round[`parse:${pass}`] = { ms: (before.ms + after.ms) / 2, cpuMs: (before.cpuMs + after.cpuMs) / 2 };
    }
    round.parse = round.yardsticks[0];
    results.push(round);
    const { scan: full, pool } = round;
    if (pool.findings !== full.findings || pool.lines !== full.lines) {
      console.error(`pool and in-process scans disagree: ${pool.findings} vs ${full.findings} findings`);
      process.exitCode = 1;
    }
  }
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const first = results[0];
  console.log(`files: ${first.scan.files}, lines: ${first.scan.lines}, findings: ${first.scan.findings}, trees: ${first.flat.backend}`);
  const LABELS = {
    parse: 'tree-sitter parse only (1 thread)  ',
    flat: 'pysec parse + flatten (1 thread)   ',
    scan: 'pysec scan, all rules (in-process) ',
    pool: `pysec scan, all rules (pool, ${first.pool.jobs} thr)`,
  };
  const secs = (ms) => (ms / 1000).toFixed(2);
  for (const pass of PASSES) {
    const runs = pass === 'parse' ? results.flatMap((x) => x.yardsticks) : results.map((x) => x[pass]);
    const walls = pass === 'parse' ? results.map((x) => x.yardsticks.map((y) => secs(y.ms)).join(' ')).join(' / ') : runs.map((x) => secs(x.ms)).join(' / ');
    const cpu = median(runs.map((x) => x.cpuMs));
    const rss = Math.max(...runs.map((x) => x.rssMb));
    console.log(`${LABELS[pass]}: wall ${walls} s, median CPU ${secs(cpu)} s, peak RSS ${rss.toFixed(0)} MB`);
  }
  const ratio = (a, key) => results.map((x) => x[a][key] / x[`parse:${a}`][key]);
  const show = (xs) => `${xs.map((x) => x.toFixed(2)).join(' / ')} (median ${median(xs).toFixed(2)}x)`;
  console.log(`ratio flat/parse, wall                : ${show(ratio('flat', 'ms'))}`);
  console.log(`ratio scan/parse, wall                : ${show(ratio('scan', 'ms'))}`);
  console.log(`ratio pool/parse, wall                : ${show(ratio('pool', 'ms'))}`);
  console.log(`ratio scan/parse, CPU                 : ${show(ratio('scan', 'cpuMs'))}`);
  console.log('targets: scan/parse <= 1.50x (issue 4), pool/parse <= 1.00x and peak RSS < 400 MB (issue 6)');
}

#!/usr/bin/env node
/**
 * `npm run bench:accuracy [-- --verbose] [-- --json]`: scan the labelled corpus in
 * test/corpus with every rule (minConfidence low) and score the findings against its
 * `# expect:` / `# safe:` markers. Prints TP/FN/FP/TN, precision, recall, FPR and TPR-FPR
 * per rule, for the injection group and overall, then the issue-4 targets.
 * `--verbose` lists every mismatched marker and every unlabelled finding.
 * Exit status: 0 when all targets are met and the markers are well-formed, 1 otherwise.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const { scan } = await import('../dist/scan/index.js');
const { configSchema } = await import('../dist/config/schema.js');
const { findRule } = await import('../dist/rules/index.js');
const { evaluateCorpus, formatEvaluation, checkTargets, mismatchLines, rates } = await import('../dist/accuracy/index.js');

const args = new Set(process.argv.slice(2));
const root = fileURLToPath(new URL('../test/corpus/', import.meta.url));

async function walk(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full)));
    else if (entry.name.endsWith('.py')) out.push(full);
  }
  return out.sort();
}

const files = [];
for (const full of await walk(root)) {
  // Paths relative to the corpus root: `test/corpus/...` would read as test code to some rules.
  files.push({ path: relative(root, full).split(sep).join('/'), text: await readFile(full, 'utf8') });
}

const config = configSchema.parse({ minConfidence: 'low', minSeverity: 'low' });
const result = await scan(
  files.map((f) => ({ path: f.path, content: f.text })),
  { config },
);
const ev = evaluateCorpus(files, result.findings, { registered: (id) => findRule(id)?.meta.id });

if (args.has('--json')) {
  const perRule = Object.fromEntries([...ev.score.byRule].map(([id, c]) => [id, { ...c, ...rates(c) }]));
  process.stdout.write(
    `${JSON.stringify(
      {
        files: files.length,
        markers: ev.markers.length,
        perRule,
        injection: { ...ev.score.group, ...rates(ev.score.group) },
        overall: { ...ev.score.overall, ...rates(ev.score.overall) },
        targets: checkTargets(ev.score),
        problems: ev.problems,
        unregistered: ev.unregistered,
        mismatches: mismatchLines(ev),
        unlabelled: ev.score.unlabelled.map((f) => ({ path: f.path, line: f.range.start.line, ruleId: f.ruleId })),
      },
      null,
      2,
    )}\n`,
  );
} else {
  console.log(`pysec accuracy on ${files.length} corpus files (${result.stats.lines} lines, ${(result.stats.durationMs / 1000).toFixed(2)} s)`);
  if (result.diagnostics.length > 0) {
    for (const d of result.diagnostics) console.log(`diagnostic: ${d.path}${d.line ? `:${d.line}` : ''} ${d.kind} ${d.message}`);
  }
  console.log(formatEvaluation(ev, { verbose: args.has('--verbose') }));
  if (!args.has('--verbose')) console.log('(run with -- --verbose to list mismatched markers and unlabelled findings)');
}

const ok = ev.problems.length === 0 && checkTargets(ev.score).every((t) => t.ok);
process.exitCode = ok ? 0 : 1;

/**
 * The labelled corpora (test/corpus, test/corpus-holdout): read every Python file, scan them all
 * with every rule at the lowest thresholds, and score the findings against the markers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scan } from '../../src/scan/index.js';
import { configSchema } from '../../src/config/schema.js';
import { findRule } from '../../src/rules/index.js';
import type { Finding } from '../../src/core/types.js';
import { evaluateCorpus, type CorpusFile, type Evaluation } from '../../src/accuracy/index.js';

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (entry.name.endsWith('.py')) out.push(full);
  }
  return out.sort();
}

/** The corpus's Python files, with paths relative to its root as a repository scan gives them. */
export function readCorpus(rootUrl: URL): CorpusFile[] {
  const root = fileURLToPath(rootUrl);
  return walk(root).map((full) => ({ path: relative(root, full).split(sep).join('/'), text: readFileSync(full, 'utf8') }));
}

export async function scanCorpus(
  files: CorpusFile[],
): Promise<{ ev: Evaluation<Finding>; syntaxErrors: { path: string; lines: number[] }[] }> {
  const config = configSchema.parse({ minConfidence: 'low', minSeverity: 'low' });
  const result = await scan(
    files.map((f) => ({ path: f.path, content: f.text })),
    { config },
  );
  const ev = evaluateCorpus(files, result.findings, { registered: (id) => findRule(id)?.meta.id });
  return { ev, syntaxErrors: result.syntaxErrors };
}

/**
 * The `pysec` command. `main(argv, io)` returns the exit code instead of exiting, so tests
 * drive it in-process:
 *   0  no finding at or above the fail-on threshold
 *   1  findings at or above the threshold (`--fail-on`, or `failOn` in the config file)
 *   2  usage or configuration error
 */
import { writeFile, access } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { Command, CommanderError, Option } from 'commander';
import { ConfigError, loadConfigFile } from '../config/load.js';
import { defaultConfig, type PysecConfig } from '../config/schema.js';
import { CONFIDENCES, SEVERITIES, SEVERITY_RANK, type Severity } from '../core/types.js';
import { allRules, findRule } from '../rules/index.js';
import { scan, type ScanResult } from '../scan/index.js';
import { scanInPool, WorkerEntryMissing } from '../scan/pool.js';
import { render, FORMATS, type Format } from '../report/index.js';
import { rulePage } from '../docs/rules.js';
import { collectFiles } from './files.js';
import { advisorySettingsFromEnv, createAdvisorySource } from '../deps/advisories/configure.js';
import { AdvisoryUnavailable, type AdvisorySource } from '../deps/advisories/source.js';
import { changedLinesSince, GitError } from './git.js';
import { TOOL_VERSION } from '../report/version.js';
import { runReviewCommand, type ReviewFlags } from './review.js';

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  /** stdout is a terminal (colour) */
  stdoutIsTTY: boolean;
  /** stderr is a terminal (progress) */
  stderrIsTTY: boolean;
  env: Record<string, string | undefined>;
}

/** Config files looked for in the scanned directory when `--config` is not given. */
export const CONFIG_CANDIDATES = ['.github/pysec.yml', '.github/pysec.yaml', '.pysec.yml', '.pysec.yaml'];

class UsageError extends Error {}

interface ScanFlags {
  format: string;
  output?: string;
  base?: string;
  failOn?: string;
  config?: string;
  rule?: string[];
  listRules?: boolean;
  minSeverity?: string;
  minConfidence?: string;
  reportUnusedSuppressions?: boolean;
  maxFileSize?: string;
  color?: boolean;
  osvDb?: string;
  osvUrl?: string;
  offline?: boolean;
  jobs?: string;
}

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  let exitCode = 0;
  const program = new Command();
  program
    .name('pysec')
    .description('Security review for Python code: the engine of the pysec GitHub App, on the command line.')
    .version(TOOL_VERSION, '-V, --version')
    .option('--list-rules', 'list the rules and exit')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run `pysec --help` for usage)')
    .action((opts: { listRules?: boolean }) => {
      if (opts.listRules) io.stdout(listRules());
      else program.help();
    });

  program
    .command('scan')
    .description('scan files and folders (default: the current directory)')
    .argument('[paths...]', 'files and folders to scan', ['.'])
    .addOption(new Option('-f, --format <format>', 'output format').choices([...FORMATS]).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--base <ref>', 'only report findings on lines changed since the merge base with REF')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding at or above this severity is reported').choices([
        ...SEVERITIES,
        'never',
      ]),
    )
    .option('-c, --config <file>', `configuration file (default: ${CONFIG_CANDIDATES[0]} if present)`)
    .option('-r, --rule <id...>', 'run only these rules (repeatable)')
    .option('--list-rules', 'list the rules and exit')
    .addOption(new Option('--min-severity <severity>', 'hide findings below this severity').choices([...SEVERITIES]))
    .addOption(new Option('--min-confidence <confidence>', 'hide findings below this confidence').choices([...CONFIDENCES]))
    .option('--report-unused-suppressions', 'report `# pysec: ignore` comments that suppress nothing')
    .option('--max-file-size <size>', 'skip files larger than this (e.g. 2MB)')
    .option('--no-color', 'no colour in text output')
    .option('--osv-db <path>', 'offline OSV database for dependency checks: a folder of records or all.zip (env PYSEC_OSV_DB)')
    .option('--osv-url <url>', 'OSV API endpoint (env PYSEC_OSV_URL; default https://api.osv.dev)')
    .option('--offline', 'no vulnerability lookups for dependencies (env PYSEC_OFFLINE=1)')
    .option('-j, --jobs <n>', `worker threads analysing files in parallel; 1 analyses in-process (default: the CPU count, ${availableParallelism()} here)`)
    .action(async (paths: string[], flags: ScanFlags) => {
      exitCode = await runScan(paths, flags, io);
    });

  program
    .command('explain')
    .description('show the documentation of a rule')
    .argument('<rule>', 'rule id')
    .action((id: string) => {
      const rule = findRule(id);
      if (!rule) throw new UsageError(`unknown rule "${id}" (see \`pysec --list-rules\`)`);
      io.stdout(`${rulePage(rule)}\n`);
    });

  program
    .command('review')
    .description('review a GitHub pull request like the GitHub App does (review comments and a "pysec" check run)')
    .requiredOption('--repo <owner/name>', 'the repository, e.g. octo-org/service')
    .requiredOption('--pr <number>', 'the pull request number')
    .option('--token-env <name>', 'environment variable holding the GitHub token', 'GITHUB_TOKEN')
    .option('--api-url <url>', 'GitHub REST API URL (default: $GITHUB_API_URL, else https://api.github.com)')
    .action(async (flags: ReviewFlags) => {
      exitCode = await runReviewCommand(flags, io);
    });

  program
    .command('rules')
    .description('list the rules (same as --list-rules)')
    .action(() => io.stdout(listRules()));

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
        return 0;
      }
      return 2;
    }
    if (err instanceof UsageError || err instanceof ConfigError || err instanceof GitError || err instanceof WorkerEntryMissing) {
      io.stderr(`pysec: ${err.message}\n`);
      return 2;
    }
    io.stderr(`pysec: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 2;
  }
}

function listRules(): string {
  const rows = allRules.map((r) => [r.meta.id, r.meta.area, r.meta.severity, r.meta.confidence, r.meta.cwe.join(','), r.meta.summary]);
  const header = ['RULE', 'AREA', 'SEVERITY', 'CONFIDENCE', 'CWE', 'SUMMARY'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (cols: string[]): string =>
    cols.map((c, i) => (i === cols.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  return `${[fmt(header), ...rows.map(fmt)].join('\n')}\n`;
}

async function findConfig(cwd: string): Promise<string | undefined> {
  for (const candidate of CONFIG_CANDIDATES) {
    const p = resolve(cwd, candidate);
    try {
      await access(p);
      return p;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

async function resolveConfig(flags: ScanFlags, io: CliIO): Promise<PysecConfig> {
  const path = flags.config ? resolve(io.cwd, flags.config) : await findConfig(io.cwd);
  const base = path ? await loadConfigFile(path) : defaultConfig();
  const config: PysecConfig = { ...base, rules: { ...base.rules }, paths: { ...base.paths } };
  if (flags.minSeverity) config.minSeverity = flags.minSeverity as Severity;
  if (flags.minConfidence) config.minConfidence = flags.minConfidence as PysecConfig['minConfidence'];
  if (flags.reportUnusedSuppressions) config.reportUnusedSuppressions = true;
  if (flags.maxFileSize) {
    const merged = await import('../config/load.js').then((m) =>
      m.validateConfig({ maxFileSize: /^\d+$/.test(flags.maxFileSize ?? '') ? Number(flags.maxFileSize) : flags.maxFileSize }, '--max-file-size'),
    );
    config.maxFileSize = merged.maxFileSize;
  }
  return config;
}

async function runScan(paths: string[], flags: ScanFlags, io: CliIO): Promise<number> {
  if (flags.listRules) {
    io.stdout(listRules());
    return 0;
  }
  for (const id of flags.rule ?? []) {
    if (!findRule(id)) throw new UsageError(`unknown rule "${id}" (see \`pysec --list-rules\`)`);
  }
  const jobs = flags.jobs === undefined ? availableParallelism() : Number(flags.jobs);
  if (!/^\d+$/.test(flags.jobs ?? '1') || !Number.isSafeInteger(jobs) || jobs < 1) {
    throw new UsageError(`--jobs: expected a whole number of threads, at least 1 (got "${flags.jobs}")`);
  }
  const config = await resolveConfig(flags, io);
  const format = flags.format as Format;
  const { files, missing } = await collectFiles(io.cwd, paths);
  if (missing.length > 0) throw new UsageError(`no such file or directory: ${missing.join(', ')}`);
  const changedLines = flags.base ? await changedLinesSince(io.cwd, flags.base) : undefined;

  const settings = { ...advisorySettingsFromEnv(io.env) };
  if (flags.osvDb) settings.osvDb = resolve(io.cwd, flags.osvDb);
  if (flags.osvUrl) settings.osvUrl = flags.osvUrl;
  if (flags.offline) settings.offline = true;
  let advisories: AdvisorySource | undefined;
  try {
    advisories = config.dependencies.enabled ? await createAdvisorySource(settings) : undefined;
  } catch (err) {
    if (err instanceof AdvisoryUnavailable) throw new UsageError(`--osv-db: ${err.reason}`);
    throw err;
  }

  const progress = io.stderrIsTTY && !io.env.CI ? progressReporter(io) : undefined;
  const scanOptions = {
    config,
    ...(flags.rule ? { onlyRules: flags.rule } : {}),
    ...(changedLines ? { changedLines } : {}),
    ...(advisories ? { advisories } : {}),
    ...(progress ? { onProgress: progress.update } : {}),
  };
  // Small scans run in-process inside scanInPool too: threads only start when they pay off.
  const result: ScanResult = jobs === 1 ? await scan(files, scanOptions) : await scanInPool(files, { ...scanOptions, jobs });
  progress?.done();

  const color = format === 'text' && !flags.output && flags.color !== false && io.stdoutIsTTY && !io.env.NO_COLOR;
  const report = render(format, result, {
    color,
    root: io.cwd,
    getSource: (path: string) => {
      try {
        return readFileSync(resolve(io.cwd, path), 'utf8');
      } catch {
        return undefined;
      }
    },
  });
  if (flags.output) {
    await writeFile(resolve(io.cwd, flags.output), report);
    io.stderr(`pysec: wrote ${format} report to ${flags.output} (${result.findings.length} findings)\n`);
  } else {
    io.stdout(report.endsWith('\n') ? report : `${report}\n`);
  }

  const failOn = flags.failOn ?? config.failOn ?? 'never';
  if (failOn === 'never') return 0;
  const threshold = SEVERITY_RANK[failOn as Severity];
  return result.findings.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? 1 : 0;
}

function progressReporter(io: CliIO): { update: (done: number, total: number, path: string) => void; done: () => void } {
  let last = 0;
  let shown = false;
  return {
    update(done, total, path) {
      const now = Date.now();
      if (total < 50 || (now - last < 100 && done !== total)) return;
      last = now;
      shown = true;
      const name = path.length > 60 ? `…${path.slice(-59)}` : path;
      io.stderr(`\r\x1b[Kpysec: scanning ${done}/${total} ${name}`);
    },
    done() {
      if (shown) io.stderr('\r\x1b[K');
    },
  };
}

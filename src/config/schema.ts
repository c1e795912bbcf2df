/**
 * The one configuration schema, shared by the CLI (`--config FILE`) and the GitHub App
 * (`.github/pysec.yml`). Defaults live here and nowhere else.
 */
import { z } from 'zod';
import { CONFIDENCES, SEVERITIES } from '../core/types.js';
import { findRule } from '../rules/index.js';
import { SINK_KINDS, type SinkKind } from '../python/taint.js';

const severity = z.enum(SEVERITIES);
const confidence = z.enum(CONFIDENCES);

const ruleId = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .refine((id) => findRule(id) !== undefined, { message: 'unknown rule id (see `pysec --list-rules`)' });

const SIZE = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib)?\s*$/i;
const UNITS: Record<string, number> = { b: 1, kb: 1000, kib: 1024, mb: 1_000_000, mib: 1024 * 1024 };

/** A size in bytes: a number, or a string like "1MB", "512 KiB". */
const SIZE_HINT = 'expected a size such as 1048576, "500KB" or "2MiB"';
const byteSize = z.preprocess(
  (value) => {
    if (typeof value !== 'string') return value;
    const m = SIZE.exec(value);
    if (!m) return value;
    const unit = (m[2] ?? 'b').toLowerCase();
    return Math.round(Number(m[1]) * (UNITS[unit] ?? 1));
  },
  z.number({ error: SIZE_HINT }).int(SIZE_HINT).positive(SIZE_HINT),
);

export const DEFAULT_MAX_FILE_SIZE = 1024 * 1024;

/** The check run's threshold when the configuration does not set `failOn`. */
export const DEFAULT_CHECK_FAIL_ON = 'high';

export const configSchema = z
  .object({
    rules: z
      .object({
        /** Rules to turn off. */
        disable: z.array(ruleId).default([]),
        /** When given, only these rules run. */
        enable: z.array(ruleId).optional(),
        /** Per-rule severity overrides: `{ weak-hash: low }`. */
        severity: z.record(ruleId, severity).default({}),
      })
      .strict()
      .default({ disable: [], severity: {} }),
    /**
     * Findings at or above this severity fail the check run (default there: high) and make
     * `pysec scan` exit 1 (the CLI fails only when this or `--fail-on` is set).
     */
    failOn: z.enum([...SEVERITIES, 'never']).optional(),
    /** Findings below this severity are not reported at all. */
    minSeverity: severity.default('low'),
    /** Findings below this confidence are not reported at all. */
    minConfidence: confidence.default('low'),
    paths: z
      .object({
        /** Globs of files to scan (default: every Python file). */
        include: z.array(z.string()).default([]),
        /** Globs of files and folders to leave out. */
        exclude: z.array(z.string()).default([]),
      })
      .strict()
      .default({ include: [], exclude: [] }),
    /** Files larger than this are skipped with a note (default 1 MiB). */
    maxFileSize: byteSize.default(DEFAULT_MAX_FILE_SIZE),
    /** Report `# pysec: ignore` comments that suppress nothing. */
    reportUnusedSuppressions: z.boolean().default(false),
    /** Dependency manifests and interpreter versions. */
    dependencies: z
      .object({
        /** Check dependency manifests at all. */
        enabled: z.boolean().default(true),
        /**
         * Report loose or missing version pins: in `applications` (requirements files with no
         * lock file next to them), `always`, or `never`.
         */
        unpinned: z.enum(['applications', 'always', 'never']).default('applications'),
        /** Warn this many days before a pinned Python version reaches end of life (0: off). */
        eolWarningDays: z.number().int().min(0).max(3650).default(180),
      })
      .strict()
      .default({ enabled: true, unpinned: 'applications', eolWarningDays: 180 }),
    /**
     * Taint tracking (the injection rules): extra sources and sanitizers of your own code, and
     * whether environment variables count as attacker-controlled.
     */
    taint: z
      .object({
        /** Treat `os.environ` / `os.getenv` as untrusted (off: they are set by whoever deploys). */
        environment: z.boolean().default(false),
        /** Qualified names whose value (attributes) or result (functions) is untrusted: `myapp.http.param`. */
        sources: z.array(z.string().min(1)).default([]),
        /** Functions whose result is safe: for every sink kind, or only for the kinds listed. */
        sanitizers: z
          .array(
            z.union([
              z.string().min(1).transform((name) => ({ name, kinds: [] as SinkKind[] })),
              z.object({ name: z.string().min(1), kinds: z.array(z.enum(SINK_KINDS)).default([]) }).strict(),
            ]),
          )
          .default([]),
      })
      .strict()
      .default({ environment: false, sources: [], sanitizers: [] }),
    /** GitHub App behaviour on pull requests. */
    pullRequests: z
      .object({
        /** Review draft pull requests too (default: wait until ready for review). */
        drafts: z.boolean().default(false),
        /** Most inline comments in one review; the rest go to the check run. */
        maxComments: z.number().int().min(0).max(100).default(30),
      })
      .strict()
      .default({ drafts: false, maxComments: 30 }),
  })
  .strict();

export type PysecConfig = z.output<typeof configSchema>;
export type PysecConfigInput = z.input<typeof configSchema>;

export function defaultConfig(): PysecConfig {
  return configSchema.parse({});
}


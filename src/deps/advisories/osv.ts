/**
 * OSV records (https://ossf.github.io/osv-schema/): the subset pysec reads, and a tolerant
 * validator. Unknown fields are ignored; a record that does not have the shape is reported as a
 * problem (`{ ok: false, problem }`), never thrown, so one bad record never sinks a review.
 */
import { z } from 'zod';

export type RangeType = 'ECOSYSTEM' | 'SEMVER' | 'GIT';

/** One event of a range: exactly one of the four keys is expected. */
export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  /** ECOSYSTEM | SEMVER | GIT; other strings are kept (future schema versions) and ignored by the matcher. */
  type: RangeType | (string & {});
  repo?: string;
  events: OsvEvent[];
}

export interface OsvPackage {
  ecosystem: string;
  name: string;
  purl?: string;
}

export interface OsvAffected {
  package?: OsvPackage;
  ranges?: OsvRange[];
  versions?: string[];
  database_specific?: Record<string, unknown>;
  ecosystem_specific?: Record<string, unknown>;
}

export interface OsvSeverity {
  /** CVSS_V2 | CVSS_V3 | CVSS_V4 | Ubuntu ... */
  type: string;
  score: string;
}

export interface OsvReference {
  type: string;
  url: string;
}

export interface OsvRecord {
  id: string;
  aliases?: string[];
  /** RFC 3339; '' when the record had none (the PyPA YAML always has one). */
  modified: string;
  published?: string;
  withdrawn?: string;
  summary?: string;
  details?: string;
  severity?: OsvSeverity[];
  affected?: OsvAffected[];
  database_specific?: { severity?: string } & Record<string, unknown>;
  references?: OsvReference[];
}

const eventSchema = z.object({
  introduced: z.string().optional(),
  fixed: z.string().optional(),
  last_affected: z.string().optional(),
  limit: z.string().optional(),
});

const rangeSchema = z.object({
  type: z.string(),
  repo: z.string().optional(),
  events: z.array(eventSchema),
});

const packageSchema = z.object({
  ecosystem: z.string(),
  name: z.string(),
  purl: z.string().optional(),
});

const recordObject = z.record(z.string(), z.unknown());

const affectedSchema = z.object({
  package: packageSchema.optional(),
  ranges: z.array(rangeSchema).optional(),
  versions: z.array(z.string()).optional(),
  database_specific: recordObject.optional(),
  ecosystem_specific: recordObject.optional(),
});

const severitySchema = z.object({ type: z.string(), score: z.string() });

/** YAML-converted records may carry dates as strings only; other types would be malformed. */
const recordSchema = z.object({
  id: z.string().min(1),
  aliases: z.array(z.string()).nullish(),
  modified: z.string().optional(),
  published: z.string().optional(),
  withdrawn: z.string().optional(),
  summary: z.string().optional(),
  details: z.string().optional(),
  severity: z.array(severitySchema).nullish(),
  affected: z.array(affectedSchema).nullish(),
  database_specific: recordObject.nullish(),
  references: z.array(z.object({ type: z.string(), url: z.string() })).nullish(),
});

export type ParsedRecord = { ok: true; record: OsvRecord } | { ok: false; problem: string };

/** Validate one decoded JSON value as an OSV record. Never throws. */
export function parseOsvRecord(value: unknown): ParsedRecord {
  const parsed = recordSchema.safeParse(value);
  if (!parsed.success) {
    const id =
      value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string'
        ? (value as { id: string }).id
        : undefined;
    const first = parsed.error.issues[0];
    const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
    return {
      ok: false,
      problem: `${id ? `${id}: ` : ''}not an OSV record (${first?.message ?? 'invalid'}${where})`,
    };
  }
  const d = parsed.data;
  const record: OsvRecord = { id: d.id, modified: d.modified ?? '' };
  if (d.aliases) record.aliases = d.aliases;
  if (d.published !== undefined) record.published = d.published;
  if (d.withdrawn !== undefined) record.withdrawn = d.withdrawn;
  if (d.summary !== undefined) record.summary = d.summary;
  if (d.details !== undefined) record.details = d.details;
  if (d.severity) record.severity = d.severity;
  if (d.affected) record.affected = d.affected as OsvAffected[];
  if (d.database_specific) {
    const ds = d.database_specific;
    record.database_specific = typeof ds.severity === 'string' ? { ...ds, severity: ds.severity } : { ...ds, severity: undefined };
    if (record.database_specific.severity === undefined) delete record.database_specific.severity;
  }
  if (d.references) record.references = d.references;
  return { ok: true, record };
}

/** Parse JSON text holding one OSV record. Never throws. */
export function parseOsvJson(text: string): ParsedRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, problem: `invalid JSON (${(err as Error).message})` };
  }
  return parseOsvRecord(value);
}

/** The record's own id and its aliases. */
export function recordIds(record: OsvRecord): string[] {
  return [record.id, ...(record.aliases ?? [])];
}

/**
 * The JSON report: a stable, versioned shape for scripts and other tools.
 *
 * ```jsonc
 * {
 *   "version": 1,                         // bumped only on incompatible changes
 *   "tool": { "name": "pysec", "version": "0.1.0" },
 *   "summary": { "findings": 2, "bySeverity": { "critical": 0, "high": 2, "medium": 0, "low": 0 }, "suppressed": 1 },
 *   "findings": [{
 *     "ruleId": "dynamic-code-execution", "severity": "high", "confidence": "medium",
 *     "area": "secure-coding", "messageId": "dynamic", "message": "`eval()` executes …",
 *     "path": "app.py",                   // relative to the scan root, forward slashes
 *     "range": { "start": { "line": 1, "column": 1 }, "end": { "line": 1, "column": 8 } },
 *                                         // 1-based; columns in UTF-16 code units; end exclusive
 *     "snippet": "eval(x)", "cwe": ["CWE-95"], "owasp": ["A03:2021"],
 *     "fingerprint": "…32 hex…",         // stable across unrelated edits (no line numbers)
 *     "docsUrl": "https://…/dynamic-code-execution.md",
 *     "fix": { "description": "…", "edits": [{ "start": 0, "end": 4, "text": "…", "range": { … } }] },
 *                                         // only when a fix exists; start/end are 0-based string offsets
 *     "flow": [{ "range": { … }, "message": "…" }]  // only for data-flow findings
 *   }],
 *   "suppressed": [{ …finding, "directive": "# pysec: ignore[dynamic-code-execution]" }],
 *   "skipped": [{ "path": "big.py", "reason": "larger than the 1 MiB limit (3 MiB)" }],
 *   "notes": ["dependency checks were skipped: …"],   // sentences about the whole scan
 *   "dependencies": { "manifests": 2, "packages": 31, "advisories": "checked" },  // or "skipped" / "off"
 *   "syntaxErrors": [{ "path": "bad.py", "lines": [3] }],
 *   "diagnostics": [{ "kind": "rule-error", "path": "a.py", "message": "…", "ruleId": "…", "line": 3 }],
 *   "rules": ["dynamic-code-execution", …],  // the rules that ran
 *   "stats": { "filesScanned": 3, "filesSkipped": 1, "lines": 120, "durationMs": 42 }
 * }
 * ```
 *
 * Findings are sorted by path, line, column and rule id. Optional fields are omitted, never null.
 * New fields may be added within version 1; none are removed or change meaning.
 */
import { ruleDocsUrl } from '../core/links.js';
import type { Confidence, Finding, Fix, FlowStep, PracticeArea, Range, Severity } from '../core/types.js';
import type { ScanResult } from '../scan/index.js';
import { byLocation, countBySeverity } from './common.js';
import { TOOL_NAME, TOOL_VERSION } from './version.js';

export const JSON_REPORT_VERSION = 1;

export interface JsonFinding {
  ruleId: string;
  severity: Severity;
  confidence: Confidence;
  area: PracticeArea;
  messageId: string;
  message: string;
  path: string;
  range: Range;
  snippet: string;
  cwe: string[];
  owasp: string[];
  fingerprint: string;
  docsUrl: string;
  fix?: Fix;
  flow?: FlowStep[];
}

export interface JsonReport {
  version: typeof JSON_REPORT_VERSION;
  tool: { name: string; version: string };
  summary: { findings: number; bySeverity: Record<Severity, number>; suppressed: number };
  findings: JsonFinding[];
  suppressed: (JsonFinding & { directive: string })[];
  skipped: { path: string; reason: string }[];
  /** Sentences about the scan as a whole (e.g. why dependency vulnerability checks were skipped). */
  notes: string[];
  /** Dependency manifests analysed, packages found, and whether advisories were checked. */
  dependencies: { manifests: number; packages: number; advisories: 'checked' | 'skipped' | 'off' };
  syntaxErrors: { path: string; lines: number[] }[];
  diagnostics: { kind: string; path: string; message: string; ruleId?: string; line?: number }[];
  rules: string[];
  stats: { filesScanned: number; filesSkipped: number; lines: number; durationMs: number };
}

export interface JsonOptions {
  toolVersion?: string;
  /** Indentation passed to JSON.stringify (default 2; 0 for one line). */
  indent?: number;
}

const copyRange = (r: Range): Range => ({
  start: { line: r.start.line, column: r.start.column },
  end: { line: r.end.line, column: r.end.column },
});

function jsonFinding(f: Finding): JsonFinding {
  const out: JsonFinding = {
    ruleId: f.ruleId,
    severity: f.severity,
    confidence: f.confidence,
    area: f.area,
    messageId: f.messageId,
    message: f.message,
    path: f.path,
    range: copyRange(f.range),
    snippet: f.snippet,
    cwe: [...f.cwe],
    owasp: [...f.owasp],
    fingerprint: f.fingerprint,
    docsUrl: ruleDocsUrl(f.ruleId),
  };
  if (f.fix) {
    out.fix = {
      description: f.fix.description,
      edits: f.fix.edits.map((e) => ({ start: e.start, end: e.end, text: e.text, range: copyRange(e.range) })),
    };
  }
  if (f.flow && f.flow.length > 0) out.flow = f.flow.map((s) => ({ range: copyRange(s.range), message: s.message }));
  return out;
}

/** The report as a plain object (what `renderJson` serialises). */
export function toJsonReport(result: ScanResult, opts: JsonOptions = {}): JsonReport {
  return {
    version: JSON_REPORT_VERSION,
    tool: { name: TOOL_NAME, version: opts.toolVersion ?? TOOL_VERSION },
    summary: {
      findings: result.findings.length,
      bySeverity: countBySeverity(result.findings),
      suppressed: result.suppressed.length,
    },
    findings: [...result.findings].sort(byLocation).map(jsonFinding),
    suppressed: [...result.suppressed]
      .sort((a, b) => byLocation(a.finding, b.finding))
      .map((s) => ({ ...jsonFinding(s.finding), directive: s.directive })),
    skipped: result.skipped.map((s) => ({ path: s.path, reason: s.reason })),
    notes: [...result.notes],
    dependencies: { ...result.dependencies },
    syntaxErrors: result.syntaxErrors.map((e) => ({ path: e.path, lines: [...e.lines] })),
    diagnostics: result.diagnostics.map((d) => ({
      kind: d.kind,
      path: d.path,
      message: d.message,
      ...(d.ruleId !== undefined ? { ruleId: d.ruleId } : {}),
      ...(d.line !== undefined ? { line: d.line } : {}),
    })),
    rules: result.rules.map((r) => r.meta.id),
    stats: {
      filesScanned: result.stats.filesScanned,
      filesSkipped: result.stats.filesSkipped,
      lines: result.stats.lines,
      durationMs: Math.round(result.stats.durationMs),
    },
  };
}

export function renderJson(result: ScanResult, opts: JsonOptions = {}): string {
  return `${JSON.stringify(toJsonReport(result, opts), null, opts.indent ?? 2)}\n`;
}

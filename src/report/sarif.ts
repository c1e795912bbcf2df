/**
 * SARIF 2.1.0 for GitHub code scanning (and any other SARIF consumer).
 *
 * What GitHub reads (docs: "SARIF support for code scanning"):
 * - `tool.driver.rules[]`: `id`, `name`, `shortDescription`, `fullDescription`, `help`
 *   (text + markdown, shown in the alert), `helpUri`, `defaultConfiguration.level`, and in
 *   `properties`: `tags` (`security` + `external/cwe/cwe-NNN` mark security alerts),
 *   `security-severity` (a number as a string: > 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium,
 *   0.1–3.9 low), `precision` and `problem.severity`;
 * - `results[]`: `ruleId` + `ruleIndex`, `level`, `message.text`, one physical location with a
 *   relative `uri` under `%SRCROOT%`, `partialFingerprints` (we give ours as `pysec/v1`; the
 *   upload action adds `primaryLocationLineHash`), `codeFlows` for data-flow findings.
 *
 * Columns are UTF-16 code units (SARIF's default `columnKind`), end columns exclusive, as in
 * pysec's `Range`. Nothing is escaped: SARIF is JSON. URIs are percent-encoded per segment.
 */
import { pathToFileURL } from 'node:url';
import { cweUrl, owaspTitle, owaspUrl, ruleDocsUrl } from '../core/links.js';
import { PRACTICE_AREA_TITLES, type Confidence, type Finding, type Range, type Rule, type Severity } from '../core/types.js';
import type { ScanResult } from '../scan/index.js';
import { byLocation, otherDiagnostics, rulesOf } from './common.js';
import { codeBlock } from './escape.js';
import { TOOL_INFORMATION_URI, TOOL_NAME, TOOL_VERSION } from './version.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SRCROOT = '%SRCROOT%';
export const FINGERPRINT_KEY = 'pysec/v1';

export interface SarifOptions {
  /** Absolute path of the scan root; becomes `originalUriBaseIds.%SRCROOT%`. */
  root?: string;
  toolVersion?: string;
  /**
   * Also emit suppressed findings, each with an `inSource` suppression naming the directive
   * (consumers then show them as suppressed). Default false.
   */
  includeSuppressed?: boolean;
  /** Indentation passed to JSON.stringify (default 2). */
  indent?: number;
}

type SarifLevel = 'error' | 'warning' | 'note';

export const SARIF_LEVEL: Record<Severity, SarifLevel> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};

/** GitHub maps > 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low. */
export const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
};

/** `very-high` is left for rules that can prove their findings; confidence maps one to one. */
export const PRECISION: Record<Confidence, string> = { high: 'high', medium: 'medium', low: 'low' };

/** CodeQL's `problem.severity` vocabulary. */
const PROBLEM_SEVERITY: Record<Severity, string> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'recommendation',
};

/** `dynamic-code-execution` → `DynamicCodeExecution` */
export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join('');
}

/** A relative path as a URI reference: each segment percent-encoded (spaces, #, ?, %, :, unicode). */
export function relativeUri(path: string): string {
  return path
    .replace(/\\/g, '/')
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

/** `file:` URL of a directory, with the trailing slash SARIF requires for a base URI. */
export function rootUri(root: string): string {
  const href = pathToFileURL(root).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** `CWE-95` → `external/cwe/cwe-95` (the tag GitHub and CodeQL use, unpadded). */
function cweTag(cwe: string): string | undefined {
  const n = /(\d+)/.exec(cwe)?.[1];
  return n ? `external/cwe/cwe-${Number(n)}` : undefined;
}

function helpText(rule: Rule): string {
  const d = rule.meta.docs;
  const refs = [...rule.meta.cwe.map(cweUrl), ...rule.meta.owasp.map(owaspUrl), ...d.references];
  return [
    rule.meta.summary,
    `What it does\n${d.whatItDoes}`,
    `Why is this bad?\n${d.whyBad}`,
    `Example\n${d.example}`,
    `Use instead\n${d.useInstead}`,
    `Fix safety\n${d.fixSafety}`,
    `References\n${refs.map((r) => `- ${r}`).join('\n')}`,
    `More: ${ruleDocsUrl(rule.meta.id)}`,
  ].join('\n\n');
}

function helpMarkdown(rule: Rule): string {
  const m = rule.meta;
  const d = m.docs;
  const refs = [
    ...m.cwe.map((c) => `- [${c}](${cweUrl(c)})`),
    ...m.owasp.map((o) => `- [OWASP ${o} ${owaspTitle(o)}](${owaspUrl(o)})`),
    ...d.references.map((r) => `- <${r}>`),
  ];
  return [
    m.summary,
    `## What it does\n\n${d.whatItDoes}`,
    `## Why is this bad?\n\n${d.whyBad}`,
    `## Example\n\n${codeBlock(d.example, 'python')}`,
    `## Use instead\n\n${codeBlock(d.useInstead, 'python')}`,
    `## Fix safety\n\n${d.fixSafety}`,
    refs.length > 0 ? `## References\n\n${refs.join('\n')}` : '',
    `Practice area: ${PRACTICE_AREA_TITLES[m.area]}. [Rule page](${ruleDocsUrl(m.id)})`,
  ]
    .filter(Boolean)
    .join('\n\n');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function sarifRule(rule: Rule): Record<string, unknown> {
  const m = rule.meta;
  const tags = ['security', m.area, ...m.cwe.map(cweTag).filter((t): t is string => t !== undefined)];
  return {
    id: m.id,
    name: pascalCase(m.id),
    ...(m.aliases && m.aliases.length > 0 ? { deprecatedIds: [...m.aliases] } : {}),
    shortDescription: { text: truncate(m.summary, 1024) },
    fullDescription: { text: truncate(m.docs.whatItDoes, 1024) },
    helpUri: ruleDocsUrl(m.id),
    help: { text: helpText(rule), markdown: helpMarkdown(rule) },
    defaultConfiguration: { level: SARIF_LEVEL[m.severity] },
    properties: {
      tags,
      'security-severity': SECURITY_SEVERITY[m.severity],
      precision: PRECISION[m.confidence],
      'problem.severity': PROBLEM_SEVERITY[m.severity],
      ...(m.cwe.length > 0 ? { cwe: [...m.cwe] } : {}),
      ...(m.owasp.length > 0 ? { owasp: [...m.owasp] } : {}),
    },
  };
}

function region(range: Range, snippet?: string): Record<string, unknown> {
  return {
    startLine: range.start.line,
    startColumn: range.start.column,
    endLine: range.end.line,
    endColumn: range.end.column,
    ...(snippet !== undefined && snippet !== '' ? { snippet: { text: snippet } } : {}),
  };
}

function artifactLocation(path: string): Record<string, unknown> {
  return { uri: relativeUri(path), uriBaseId: SRCROOT };
}

function sarifResult(f: Finding, ruleIndex: Map<string, number>, suppression?: string): Record<string, unknown> {
  const index = ruleIndex.get(f.ruleId);
  const out: Record<string, unknown> = {
    ruleId: f.ruleId,
    ...(index !== undefined ? { ruleIndex: index } : {}),
    level: SARIF_LEVEL[f.severity],
    message: { text: f.message },
    locations: [{ physicalLocation: { artifactLocation: artifactLocation(f.path), region: region(f.range, f.snippet) } }],
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
  };
  if (f.flow && f.flow.length > 0) {
    out.codeFlows = [
      {
        threadFlows: [
          {
            locations: f.flow.map((step) => ({
              location: {
                physicalLocation: { artifactLocation: artifactLocation(f.path), region: region(step.range) },
                message: { text: step.message },
              },
            })),
          },
        ],
      },
    ];
  }
  if (f.fix && f.fix.edits.length > 0) {
    out.fixes = [
      {
        description: { text: f.fix.description },
        artifactChanges: [
          {
            artifactLocation: artifactLocation(f.path),
            replacements: f.fix.edits.map((e) => ({
              deletedRegion: region(e.range),
              insertedContent: { text: e.text },
            })),
          },
        ],
      },
    ];
  }
  if (suppression !== undefined) out.suppressions = [{ kind: 'inSource', justification: suppression }];
  out.properties = {
    severity: f.severity,
    confidence: f.confidence,
    area: f.area,
    messageId: f.messageId,
    ...(f.cwe.length > 0 ? { cwe: [...f.cwe] } : {}),
    ...(f.owasp.length > 0 ? { owasp: [...f.owasp] } : {}),
  };
  return out;
}

function notifications(result: ScanResult, ruleIndex: Map<string, number>): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const at = (path: string, line?: number): Record<string, unknown>[] =>
    path
      ? [
          {
            physicalLocation: {
              artifactLocation: artifactLocation(path),
              ...(line !== undefined && line > 0 ? { region: { startLine: line } } : {}),
            },
          },
        ]
      : [];
  for (const d of otherDiagnostics(result)) {
    const index = d.ruleId !== undefined ? ruleIndex.get(d.ruleId) : undefined;
    out.push({
      descriptor: { id: `pysec/${d.kind}` },
      level: 'warning',
      message: { text: d.ruleId ? `${d.ruleId}: ${d.message}` : d.message },
      locations: at(d.path, d.line),
      ...(d.ruleId !== undefined ? { associatedRule: { id: d.ruleId, ...(index !== undefined ? { index } : {}) } } : {}),
    });
  }
  for (const e of result.syntaxErrors) {
    out.push({
      descriptor: { id: 'pysec/syntax-error' },
      level: 'warning',
      message: {
        text: `Syntax error near line ${e.lines.join(', ')}; the rest of the file was still checked.`,
      },
      locations: at(e.path, e.lines[0]),
    });
  }
  for (const n of result.notes) {
    out.push({ descriptor: { id: 'pysec/note' }, level: 'note', message: { text: n } });
  }
  for (const s of result.skipped) {
    out.push({
      descriptor: { id: 'pysec/skipped' },
      level: 'note',
      message: { text: `Skipped: ${s.reason}.` },
      locations: at(s.path),
    });
  }
  return out;
}

/** The SARIF log as a plain object (what `renderSarif` serialises). */
export function toSarif(result: ScanResult, opts: SarifOptions = {}): Record<string, unknown> {
  const suppressed = opts.includeSuppressed ? result.suppressed : [];
  const rules = rulesOf(
    result,
    suppressed.map((s) => s.finding),
  );
  const ruleIndex = new Map<string, number>();
  rules.forEach((r, i) => {
    ruleIndex.set(r.meta.id, i);
  });
  const results = [
    ...[...result.findings].sort(byLocation).map((f) => sarifResult(f, ruleIndex)),
    ...[...suppressed]
      .sort((a, b) => byLocation(a.finding, b.finding))
      .map((s) => sarifResult(s.finding, ruleIndex, s.directive)),
  ];
  const version = opts.toolVersion ?? TOOL_VERSION;
  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: TOOL_NAME,
        informationUri: TOOL_INFORMATION_URI,
        version,
        ...(/^\d+\.\d+\.\d+/.test(version) ? { semanticVersion: version } : {}),
        rules: rules.map(sarifRule),
      },
    },
    ...(opts.root ? { originalUriBaseIds: { [SRCROOT]: { uri: rootUri(opts.root) } } } : {}),
    invocations: [
      {
        executionSuccessful: true,
        toolExecutionNotifications: notifications(result, ruleIndex),
      },
    ],
    columnKind: 'utf16CodeUnits',
    results,
  };
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
}

export function renderSarif(result: ScanResult, opts: SarifOptions = {}): string {
  return `${JSON.stringify(toSarif(result, opts), null, opts.indent ?? 2)}\n`;
}

/**
 * The core vocabulary of pysec: rules, their metadata, and the findings they produce.
 * Everything here is plain data so it can cross worker threads, be rendered to any
 * report format, and be turned into documentation.
 */
import type { SyntaxNode } from '../python/parser.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CONFIDENCES = ['high', 'medium', 'low'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

/** The eight practices of Python security (DESIGN.md section 2). */
export const PRACTICE_AREAS = [
  'interpreter',
  'secure-coding',
  'access-control',
  'sensitive-data',
  'database',
  'dependencies',
  'logging',
  'education',
] as const;
export type PracticeArea = (typeof PRACTICE_AREAS)[number];

export const PRACTICE_AREA_TITLES: Record<PracticeArea, string> = {
  interpreter: 'Keep the interpreter updated',
  'secure-coding': 'Secure coding',
  'access-control': 'Role-based access control',
  'sensitive-data': 'Protect sensitive data',
  database: 'Secure database access',
  dependencies: 'Keep dependencies updated',
  logging: 'Logging and monitoring',
  education: 'Educate developers',
};

/** Rank for comparisons: higher is more severe. */
export const SEVERITY_RANK: Record<Severity, number> = { low: 1, medium: 2, high: 3, critical: 4 };
export const CONFIDENCE_RANK: Record<Confidence, number> = { low: 1, medium: 2, high: 3 };

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}

export interface RuleDocs {
  /** What the rule looks for, in a sentence or two. */
  whatItDoes: string;
  /** Why the pattern is dangerous: the attack, the impact. */
  whyBad: string;
  /** A short Python snippet the rule flags. */
  example: string;
  /** The same snippet written safely. */
  useInstead: string;
  /** When the offered fix is safe to apply, and what it may change. */
  fixSafety: string;
  /** Links for further reading (besides the CWE/OWASP pages, which are linked automatically). */
  references: string[];
  /** Code-block language of `example` / `useInstead` (default `python`; `text` for a requirements file...). */
  language?: string;
}

export interface RuleMeta {
  /** Permanent kebab-case id named after the hazard, e.g. `tls-verify-disabled`. */
  id: string;
  /** Old ids that still suppress and configure this rule. */
  aliases?: string[];
  area: PracticeArea;
  /** One sentence, shown in tables and as SARIF shortDescription. */
  summary: string;
  severity: Severity;
  confidence: Confidence;
  /** e.g. ['CWE-89'] */
  cwe: string[];
  /** OWASP Top 10 2021 ids, e.g. ['A03:2021'] */
  owasp: string[];
  /** Equivalent Bandit test ids (B602) so `# nosec B602` suppresses this rule. */
  bandit?: string[];
  /** Equivalent Ruff codes (S602) so `# noqa: S602` suppresses this rule. */
  ruff?: string[];
  /** Message templates keyed by message id; `{{name}}` placeholders are filled from report data. */
  messages: Record<string, string>;
  docs: RuleDocs;
  /** True when the rule can offer a mechanical fix for some of its findings. */
  fixable: boolean;
  /**
   * The flagged code contains a secret: string literals in the finding's snippet are masked
   * (`"s3cr…"`), so reports, check runs and SARIF never repeat it.
   */
  redactSnippet?: boolean;
}

/** 1-based line, 1-based column (UTF-16 code units, as SARIF's default columnKind). */
export interface Position {
  line: number;
  column: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A text edit on the file: replace [start, end) (0-based string offsets) with text. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
  /** Same edit expressed as a line/column range, for SARIF and GitHub suggestions. */
  range: Range;
}

export interface Fix {
  description: string;
  edits: TextEdit[];
}

/** One step of a data flow (source → sink), used by taint rules. */
export interface FlowStep {
  range: Range;
  message: string;
}

export interface Finding {
  ruleId: string;
  area: PracticeArea;
  severity: Severity;
  confidence: Confidence;
  messageId: string;
  message: string;
  /** Path relative to the scan root, with forward slashes. */
  path: string;
  range: Range;
  /** Lines of the enclosing statement: what suppression comments may sit on. */
  statementLines: { start: number; end: number };
  /** The source of the flagged node, as written (for code frames). */
  snippet: string;
  cwe: string[];
  owasp: string[];
  fingerprint: string;
  fix?: Fix;
  flow?: FlowStep[];
}

export interface Diagnostic {
  path: string;
  /** `manifest`: a dependency manifest (or part of one) could not be read; the rest was still checked. */
  kind: 'rule-error' | 'syntax-error' | 'skipped' | 'read-error' | 'config' | 'manifest';
  message: string;
  ruleId?: string;
  line?: number;
}

export type Visitor = (node: SyntaxNode) => void;

/**
 * Visitors keyed by tree-sitter node type (`call`, `assignment`, ...), by `type:exit`
 * to run after a node's children, and `module:exit` to run once at the end of the file.
 */
export type Visitors = Record<string, Visitor | (() => void) | undefined> & {
  'module:exit'?: () => void;
};

export interface ReportDescriptor {
  node: SyntaxNode;
  messageId: string;
  data?: Record<string, string | number>;
  /** Defaults to the rule's severity. */
  severity?: Severity;
  confidence?: Confidence;
  fix?: Fix;
  flow?: FlowStep[];
}

export interface Rule {
  meta: RuleMeta;
  create(ctx: import('./context.js').RuleContext): Visitors;
  /**
   * Optional pre-filter for the `call` visitor, given the callee's import-resolved name
   * (`subprocess.run`; null when it does not resolve) and its last segment (`run` for
   * `self.session.run`). Calls for which it returns false never reach the visitor, and calls
   * no rule wants are never materialised as nodes: most of a file's calls are of no
   * interest to any rule, and building a node object for each is the costliest part of a
   * scan. It must accept every call the visitor could report.
   */
  callFilter?: (qualified: string | null, method: string) => boolean;
  /**
   * Optional pre-filter on the whole file's source: false when nothing in this file can give a
   * finding, and the rule is not run on it (its node types are then not collected at all).
   * It must hold for every finding: a cheap superset test, e.g. the names the rule looks for.
   * Rules on node types that every file has many of (identifiers, strings, attributes) use it.
   */
  fileFilter?: (source: string) => boolean;
  /**
   * Optional pre-filters by node type on the node's source text, with the same contract:
   * `{ string: (text) => /AKIA|ghp_/.test(text) }`.
   */
  textFilters?: Record<string, (text: string) => boolean>;
}

export function createRule(rule: Rule): Rule {
  return rule;
}

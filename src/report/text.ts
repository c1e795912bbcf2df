/**
 * The terminal report: one block per finding, grouped by file (sorted by path and position), with a code frame and a link
 * to the rule's page, then skipped files, syntax errors, internal problems and a summary.
 *
 *   app.py:3:12  high  dynamic-code-execution  `eval()` executes a string built at run time; …
 *       2 | def calculate(expr):
 *     > 3 |     return eval(expr)
 *         |            ^^^^^^^^^^
 *     docs: https://github.com/pysec-dev/pysec/blob/main/docs/rules/dynamic-code-execution.md
 *
 * Everything that comes from scanned code is passed through `terminalSafe`, so a hostile file
 * cannot send escape sequences to the terminal or reorder text with bidi controls.
 */
import { ruleDocsUrl } from '../core/links.js';
import type { Finding, Severity } from '../core/types.js';
import type { ScanResult } from '../scan/index.js';
import { byLocation, formatDuration, linesText, otherDiagnostics, plural, severityBreakdown } from './common.js';
import { revealInvisible } from './escape.js';

export interface TextOptions {
  /** Use ANSI colours (decide with `process.stdout.hasColors?.()` / NO_COLOR in the CLI). */
  color: boolean;
  /**
   * The contents of a scanned file, by finding path (relative to the scan root), for code
   * frames with whole lines. Without it, frames show the flagged code only.
   */
  getSource?: (path: string) => string | undefined;
  /**
   * Prefix joined to every path for display, e.g. the scan root relative to the working
   * directory, so `path:line:col` can be opened from where the command ran. Default: none
   * (paths as in the findings, relative to the scan root).
   */
  pathPrefix?: string;
  /** Lines of code shown per finding (default 5). */
  maxFrameLines?: number;
  /** Tab stop used to align carets under tab-indented code (default 4). */
  tabWidth?: number;
}

/** ANSI styling, or nothing. */
interface Style {
  bold(s: string): string;
  dim(s: string): string;
  underline(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  magenta(s: string): string;
  green(s: string): string;
}

function style(color: boolean): Style {
  const sgr =
    (open: number, close: number) =>
    (s: string): string =>
      color && s !== '' ? `\u001b[${open}m${s}\u001b[${close}m` : s;
  return {
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    underline: sgr(4, 24),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    magenta: sgr(35, 39),
    cyan: sgr(36, 39),
  };
}

function severityStyle(s: Style, severity: Severity): (text: string) => string {
  switch (severity) {
    case 'critical':
      return (t) => s.bold(s.magenta(t));
    case 'high':
      return (t) => s.bold(s.red(t));
    case 'medium':
      return s.yellow;
    case 'low':
      return s.cyan;
  }
}

/**
 * Text from scanned code made safe to print: control characters (ESC, CR, backspace...) and
 * bidi controls become visible `<U+XXXX>` markers; tabs are kept.
 */
export function terminalSafe(text: string): string {
  return revealInvisible(text.replace(/\r/g, '<U+000D>').replace(/\n/g, ' '));
}

/** Expand tabs and map a 1-based UTF-16 column of the raw line to a display column. */
function displayLine(raw: string, tabWidth: number): { text: string; col: (column: number) => number } {
  let text = '';
  const map: number[] = []; // map[i] = display offset of raw index i
  for (let i = 0; i < raw.length; i++) {
    map.push(text.length);
    const ch = raw[i] ?? '';
    if (ch === '\t') {
      text += ' '.repeat(tabWidth - (text.length % tabWidth));
    } else {
      text += terminalSafe(ch);
    }
  }
  map.push(text.length);
  return {
    text,
    col: (column) => map[Math.min(Math.max(column - 1, 0), raw.length)] ?? text.length,
  };
}

function displayPath(prefix: string | undefined, path: string): string {
  if (!prefix || prefix === '.' || prefix === './') return path;
  return `${prefix.replace(/[\\/]+$/, '')}/${path}`;
}

function codeFrame(f: Finding, s: Style, opts: TextOptions): string[] {
  const maxLines = Math.max(1, opts.maxFrameLines ?? 5);
  const tabWidth = opts.tabWidth ?? 4;
  const { start, end } = f.range;
  const source = opts.getSource?.(f.path);
  let lines: string[];
  let firstLineOffset: number; // columns of the first shown line before the raw text starts
  if (source !== undefined) {
    const all = source.split(/\r\n|\n/);
    lines = all.slice(start.line - 1, end.line);
    firstLineOffset = 0;
    if (lines.length === 0) return [];
  } else {
    if (f.snippet === '') return [];
    lines = f.snippet.split(/\r\n|\n/);
    // The snippet starts at the flagged column: pad so the caret maths is the same.
    firstLineOffset = start.column - 1;
  }
  const shown = lines.slice(0, maxLines);
  const width = String(start.line + shown.length - 1).length;
  const out: string[] = [];
  shown.forEach((raw, i) => {
    const lineNo = start.line + i;
    const padded = i === 0 && firstLineOffset > 0 ? ' '.repeat(firstLineOffset) + raw : raw;
    const d = displayLine(padded, tabWidth);
    const gutter = `${i === 0 ? '>' : ' '} ${String(lineNo).padStart(width)} | `;
    out.push(`    ${s.dim(gutter)}${d.text.trimEnd()}`);
    if (i === 0) {
      const from = d.col(start.column);
      const to = end.line === start.line ? d.col(end.column) : d.text.trimEnd().length;
      const len = Math.max(1, to - from);
      out.push(`    ${s.dim(`  ${' '.repeat(width)} | `)}${' '.repeat(from)}${severityStyle(s, f.severity)('^'.repeat(len))}`);
    }
  });
  const hidden = lines.length - shown.length;
  if (hidden > 0) out.push(`    ${s.dim(`  ${' '.repeat(width)} | … ${plural(hidden, 'more line')}`)}`);
  return out;
}

function findingBlock(f: Finding, s: Style, opts: TextOptions): string[] {
  const loc = `${terminalSafe(displayPath(opts.pathPrefix, f.path))}:${f.range.start.line}:${f.range.start.column}`;
  const head = `${s.bold(loc)}  ${severityStyle(s, f.severity)(f.severity)}  ${s.dim(f.ruleId)}  ${terminalSafe(f.message)}`;
  const out = [head, ...codeFrame(f, s, opts)];
  if (f.fix) out.push(`    ${s.green('fix:')} ${terminalSafe(f.fix.description)}`);
  out.push(`    ${s.dim(`docs: ${ruleDocsUrl(f.ruleId)}`)}`);
  return out;
}

export function renderText(result: ScanResult, opts: TextOptions): string {
  const s = style(opts.color);
  const out: string[] = [];
  const findings = [...result.findings].sort(byLocation);

  // Sorted by path, so each file's findings are together; a blank line after each finding.
  for (const f of findings) out.push(...findingBlock(f, s, opts), '');

  if (result.notes.length > 0) {
    out.push(s.bold('Notes:'));
    for (const n of result.notes) out.push(`  ${terminalSafe(n)}`);
    out.push('');
  }
  if (result.skipped.length > 0) {
    out.push(s.bold(`Skipped ${plural(result.skipped.length, 'file')}:`));
    for (const k of result.skipped) out.push(`  ${terminalSafe(displayPath(opts.pathPrefix, k.path))}: ${terminalSafe(k.reason)}`);
    out.push('');
  }
  if (result.syntaxErrors.length > 0) {
    out.push(s.bold(`Syntax errors in ${plural(result.syntaxErrors.length, 'file')} (the rest of each file was still checked):`));
    for (const e of result.syntaxErrors) {
      out.push(`  ${terminalSafe(displayPath(opts.pathPrefix, e.path))}: ${linesText(e.lines)}`);
    }
    out.push('');
  }
  const problems = otherDiagnostics(result);
  if (problems.length > 0) {
    out.push(s.bold(s.yellow(`${plural(problems.length, 'problem')} while scanning:`)));
    for (const d of problems) {
      const where = d.path ? `${terminalSafe(displayPath(opts.pathPrefix, d.path))}${d.line ? `:${d.line}` : ''}: ` : '';
      const rule = d.ruleId ? `[${d.ruleId}] ` : '';
      out.push(`  ${where}${d.kind}: ${rule}${terminalSafe(d.message)}`);
    }
    out.push('');
  }

  out.push(summaryLine(result, s));
  return `${out.join('\n')}\n`;
}

function summaryLine(result: ScanResult, s: Style): string {
  const { stats } = result;
  const scanned = `${plural(stats.filesScanned, 'file')} scanned, ${stats.filesSkipped} skipped, in ${formatDuration(stats.durationMs)}`;
  const suppressed = result.suppressed.length > 0 ? ` (${result.suppressed.length} suppressed)` : '';
  if (result.findings.length === 0) return `${s.green(s.bold('No findings.'))} ${scanned}${suppressed}.`;
  const counts = severityBreakdown(result.findings);
  return `${s.bold(plural(result.findings.length, 'finding'))} (${counts}) in ${scanned}${suppressed}.`;
}

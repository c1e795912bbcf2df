/**
 * One finding as the body of an inline review comment (pure). The comment teaches: what is
 * wrong, why it matters, how to fix it, where to read more, and, when the rule has a safe
 * mechanical fix that stays inside the commented lines, a ```suggestion block GitHub can
 * commit. A hidden marker carries the finding's fingerprint so later runs recognise it.
 *
 * Everything that comes from the pull request (messages quoting code, suggested code) goes
 * through src/report/escape.ts: it cannot @mention, inject HTML or close a fence.
 */
import { cweUrl, owaspTitle, owaspUrl, ruleDocsUrl } from '../core/links.js';
import type { Finding, Fix, Rule } from '../core/types.js';
import { SEVERITY_BADGES } from '../report/markdown.js';
import { codeBlock, escapeMarkdown, escapeWithCodeSpans, inlineCode, suggestionBlock } from '../report/escape.js';
import { fingerprintMarker } from './contracts.js';

/** GitHub rejects comment bodies over 65,536 characters; stay well below. */
export const MAX_COMMENT_LENGTH = 60_000;

/** "Why it matters" is cut to about this many characters (at a sentence end when possible). */
export const WHY_MAX_LENGTH = 600;

/** Longer messages (they quote code) are cut before escaping. */
export const MAX_MESSAGE_LENGTH = 1_000;

export interface LineRange {
  /** 1-based, inclusive. */
  start: number;
  end: number;
}

export interface CommentOptions {
  /** Base URL of the rule pages (default: src/core/links DOCS_BASE_URL). */
  docsBaseUrl?: string;
  /**
   * The file's text as scanned (offsets of fix edits refer to it). Without it no
   * suggestion is offered.
   */
  source?: string;
  /**
   * The lines the comment is attached to (`start_line`..`line`); a suggestion replaces
   * exactly these lines. Default: the finding's own lines.
   */
  lines?: LineRange;
}

/** The first paragraph of `text`, cut at a sentence end to at most `max` characters. */
export function firstParagraph(text: string, max = WHY_MAX_LENGTH): string {
  const para = (text.trim().split(/\n\s*\n/)[0] ?? '').replace(/\s*\n\s*/g, ' ').trim();
  if (para.length <= max) return para;
  const cut = para.slice(0, max);
  // The last sentence end that leaves a reasonable amount of text.
  const end = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('! '), cut.lastIndexOf('? '));
  if (end >= max / 3) return cut.slice(0, end + 1);
  const space = cut.lastIndexOf(' ');
  return `${cut.slice(0, space > 0 ? space : max - 1)}…`;
}

/** 0-based offsets of the start of each line of `source` (`\n`, `\r\n` and `\r`-free ends). */
function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/**
 * The text of `lines` after applying `fix`, or undefined when the fix is not contained in
 * those lines (a suggestion replaces exactly the commented lines), when its edits overlap,
 * when an edit's offsets disagree with its line numbers (the source is not the text that was
 * scanned), or when it would change nothing.
 */
export function suggestedText(source: string, fix: Fix, lines: LineRange): string | undefined {
  if (fix.edits.length === 0 || lines.start < 1 || lines.end < lines.start) return undefined;
  const starts = lineStarts(source);
  if (lines.end > starts.length) return undefined;
  const lineOf = (offset: number): number => {
    // Binary search: the last line start <= offset.
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const from = starts[lines.start - 1] ?? 0;
  // End of the last commented line, before its line break.
  let to = lines.end < starts.length ? (starts[lines.end] ?? source.length) - 1 : source.length;
  if (to > from && source.charCodeAt(to - 1) === 13) to--;

  const edits = [...fix.edits].sort((a, b) => a.start - b.start);
  let out = '';
  let pos = from;
  for (const e of edits) {
    if (e.start < from || e.end > to || e.start > e.end || e.start < pos) return undefined;
    if (lineOf(e.start) !== e.range.start.line || lineOf(e.end) !== e.range.end.line) return undefined;
    out += source.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  out += source.slice(pos, to);
  const original = source.slice(from, to);
  if (out === original) return undefined;
  // An emptied range suggests deleting the lines; suggestionBlock('') says exactly that.
  return out;
}

function referenceLinks(finding: Finding, rule: Rule | undefined, docsBaseUrl: string | undefined): string {
  const cwe = rule?.meta.cwe ?? finding.cwe;
  const owasp = rule?.meta.owasp ?? finding.owasp;
  const links = [
    ...cwe.map((c) => `[${escapeMarkdown(c)}](${cweUrl(c)})`),
    ...owasp.map((o) => `[OWASP ${escapeMarkdown(`${o} ${owaspTitle(o)}`)}](${owaspUrl(o)})`),
    `[Rule documentation](${ruleDocsUrl(finding.ruleId, docsBaseUrl)})`,
  ];
  return links.join(' · ');
}

/** The review-comment body for one finding. */
export function renderComment(finding: Finding, rule: Rule | undefined, opts: CommentOptions = {}): string {
  const docs = ruleDocsUrl(finding.ruleId, opts.docsBaseUrl);
  const parts: string[] = [];
  parts.push(`${SEVERITY_BADGES[finding.severity]} · [${inlineCode(finding.ruleId)}](${docs})`);
  // Messages quote code from the PR (a callee name can be arbitrarily long): bound them.
  const message =
    finding.message.length > MAX_MESSAGE_LENGTH ? `${finding.message.slice(0, MAX_MESSAGE_LENGTH)}…` : finding.message;
  parts.push(escapeWithCodeSpans(message));

  const lines = opts.lines ?? { start: finding.range.start.line, end: finding.range.end.line };
  const suggestion =
    finding.fix && opts.source !== undefined ? suggestedText(opts.source, finding.fix, lines) : undefined;
  if (finding.fix && suggestion !== undefined) {
    parts.push(`**Suggested fix:** ${escapeWithCodeSpans(finding.fix.description)}`, suggestionBlock(suggestion));
  }

  if (rule) {
    const why = firstParagraph(rule.meta.docs.whyBad);
    if (why !== '') parts.push(`**Why it matters:** ${escapeWithCodeSpans(why)}`);
    if (rule.meta.docs.useInstead.trim() !== '') {
      parts.push('**How to fix:**', codeBlock(rule.meta.docs.useInstead.trimEnd(), 'python'));
    }
  }
  parts.push(referenceLinks(finding, rule, opts.docsBaseUrl));
  parts.push(
    `<sub>Not a problem here? Add ${inlineCode(`# pysec: ignore[${finding.ruleId}]`)} with a reason to the flagged line.</sub>`,
  );
  const body = `${parts.join('\n\n')}\n${fingerprintMarker(finding.fingerprint)}`;
  if (body.length > MAX_COMMENT_LENGTH && suggestion !== undefined) {
    // A huge suggestion is not worth a rejected review: drop it. Without it the body is
    // bounded (message cut above, "why" cut to a paragraph, the rest is rule metadata).
    return renderComment(finding, rule, { ...opts, source: undefined });
  }
  return body;
}

/**
 * Safe Markdown for text that comes from scanned code: paths, identifiers, snippets and
 * messages that quote code. Everything here targets GitHub Flavored Markdown as GitHub
 * renders it (PR comments, review comments, check-run summaries, job summaries), and is
 * shared by the report renderers and the GitHub App.
 *
 * The guarantees:
 * - `escapeMarkdown` output renders as the literal input text: no emphasis, links, images,
 *   headings, lists, tables cells, raw HTML, math, @mentions, #123/GH-123 references or
 *   autolinked URLs, and it never contains a line break (unless `multiline`).
 * - `inlineCode` output is one code span that shows the input (newlines collapsed) and cannot
 *   be closed early by backticks inside it.
 * - `codeBlock` / `suggestionBlock` output is one fenced block that no line of the content can
 *   close, whatever it contains (backtick or tilde fences, `</details>`, HTML).
 *
 * Invisible and direction-changing characters (C0/C1 controls, bidi overrides and isolates,
 * the "Trojan Source" characters) are shown as visible `<U+XXXX>` markers by `escapeMarkdown`,
 * `inlineCode` and `codeBlock`, so reviewers see what the bytes really are. `suggestionBlock`
 * keeps its content byte-for-byte, because GitHub applies it to the file as written.
 */

/** U+200B ZERO WIDTH SPACE: breaks @mentions, issue references and autolinks invisibly. */
export const ZWSP = '\u200B';

/**
 * Characters that can change how a line is displayed without being visible: C0 controls
 * except tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates and marks,
 * line/paragraph separators, and the BOM.
 */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]/g;

/** Replace invisible and bidi control characters with a visible `<U+XXXX>` marker. */
export function revealInvisible(text: string): string {
  return text.replace(INVISIBLE, (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`);
}

/** Normalise line endings to `\n`. */
function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/**
 * ASCII punctuation with a meaning somewhere in GFM. A backslash before any ASCII
 * punctuation is a valid CommonMark escape, so over-escaping is harmless; `<`, `>` and `&`
 * become entities instead (also safe inside GitHub's HTML sanitizer and in table cells).
 */
const MD_SPECIAL = /[\\`*_{}[\]()#+\-.!|~$=]|[<>&]/g;

const ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;' };

export interface EscapeOptions {
  /**
   * Keep line breaks (as Markdown hard breaks, so each input line stays a line). Default
   * false: newlines become spaces, which is what tables, headings and list items need.
   */
  multiline?: boolean;
}

/**
 * Break what GitHub links on the rendered text (so backslashes do not help): @mentions
 * (users and @org/team), issue references (#123, owner/repo#123, GH-123) and GFM autolinks
 * (scheme:// and www.). Works on raw and on backslash-escaped text.
 */
function neutralise(text: string): string {
  return text
    .replace(/@(?=[A-Za-z0-9])/g, `@${ZWSP}`)
    .replace(/#(?=\d)/g, `#${ZWSP}`)
    .replace(/\b(GH\\?-)(?=\d)/gi, `$1${ZWSP}`)
    .replace(/:\/\//g, `:${ZWSP}//`)
    .replace(/\b(www)(?=\\?\.)/gi, `$1${ZWSP}`);
}

function escapeLine(line: string, lineStart = true): string {
  let out = revealInvisible(line).replace(MD_SPECIAL, (c) => ENTITIES[c] ?? `\\${c}`);
  out = neutralise(out);
  // Leading spaces would make an indented code block at the start of a line; keep them
  // but inert.
  if (!lineStart) return out;
  return out.replace(/^[ \t]+/, (ws) => ws.replace(/ /g, '&#32;').replace(/\t/g, '&#9;'));
}

/**
 * Escape text so GitHub renders it literally, inline: in a paragraph, list item, heading,
 * table cell or link text. (Inside raw HTML such as `<summary>`, use `escapeHtml`.)
 *
 * - every ASCII punctuation character with a Markdown meaning gets a backslash
 *   (`*`, `_`, `` ` ``, `[`, `]`, `(`, `)`, `#`, `|`, `~`, `$`, ...), `<`, `>`, `&` become entities;
 * - `@name` gets U+200B after the `@`, `#123` and `GH-123` get U+200B before the number,
 *   `https://` and `www.` get U+200B so they are not autolinked;
 * - control and bidi characters become visible `<U+XXXX>` markers;
 * - newlines become spaces, or hard line breaks with `{ multiline: true }`.
 *
 * Text escaped this way reads naturally once rendered; copying it may carry the invisible
 * U+200B characters.
 */
export function escapeMarkdown(text: string, options: EscapeOptions = {}): string {
  const lines = normalizeNewlines(text).split('\n');
  if (!options.multiline) return escapeLine(lines.join(' '));
  // A trailing backslash is a hard line break in CommonMark; blank lines would end the
  // paragraph, so they become an empty hard-broken line.
  return lines.map((l) => (l === '' ? '&#32;' : escapeLine(l))).join('\\\n');
}

/** The longest run of `char` in `text`. */
export function longestRun(text: string, char: string): number {
  let best = 0;
  let run = 0;
  for (const c of text) {
    if (c === char) {
      run++;
      if (run > best) best = run;
    } else {
      run = 0;
    }
  }
  return best;
}

export interface InlineCodeOptions {
  /**
   * The code span sits in a GFM table cell: `|` must then be written `\|` even inside code
   * spans (GitHub shows it as `|`). Do not set this elsewhere: outside tables the backslash
   * would be shown.
   */
  table?: boolean;
}

/**
 * A code span showing `text` literally: the delimiter is a backtick run longer than any run
 * inside, padded with a space on each side when the content starts or ends with a backtick
 * or a space (CommonMark strips exactly one such space). Newlines collapse to spaces (a line
 * break inside a span could start a new block); control and bidi characters are revealed.
 */
export function inlineCode(text: string, options: InlineCodeOptions = {}): string {
  let content = revealInvisible(normalizeNewlines(text).replace(/\n/g, ' '));
  if (options.table) content = content.replace(/\|/g, '\\|');
  if (content === '') return '` `';
  const fence = '`'.repeat(longestRun(content, '`') + 1);
  const allSpaces = /^ +$/.test(content);
  const pad =
    !allSpaces && (content.startsWith('`') || content.endsWith('`') || (content.startsWith(' ') && content.endsWith(' ')));
  return pad ? `${fence} ${content} ${fence}` : `${fence}${content}${fence}`;
}

/** A safe info string: language names only (`python`, `c++`, `objective-c`, `c#`). */
function infoString(lang: string | undefined): string {
  return (lang ?? '').replace(/[^\w+#.-]/g, '');
}

function fenced(content: string, info: string, reveal: boolean): string {
  let body = normalizeNewlines(content);
  if (reveal) body = revealInvisible(body);
  // Backtick fences: the closing fence must be at least as long as the opening one and made
  // of the same character, so a fence longer than any backtick run cannot be closed by the
  // content. Tildes inside cannot close a backtick fence at all.
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  if (body !== '' && !body.endsWith('\n')) body += '\n';
  return `${fence}${info}\n${body}${fence}`;
}

/**
 * A fenced code block showing `text` literally. The fence is longer than any backtick run in
 * the text, so no line of it can close the block; `lang` is reduced to a plain language name.
 *
 * Inside HTML blocks (`<details>`), leave a blank line before and after the block so GitHub
 * goes back to Markdown: `<details>\n<summary>…</summary>\n\n${codeBlock(x)}\n\n</details>`.
 * In a list item, indent every line of the result to the item's content column.
 */
export function codeBlock(text: string, lang?: string): string {
  return fenced(text, infoString(lang), true);
}

/**
 * A GitHub suggestion block (a review-comment body part that GitHub offers to commit).
 * `text` replaces the commented lines; one trailing newline is ignored, so both
 * `'x = 1'` and `'x = 1\n'` suggest the single line `x = 1`. An empty string suggests
 * deleting the lines; `'\n'` suggests one empty line. The content is kept
 * exactly (line endings normalised to `\n`); the fence is longer than any backtick run in it.
 */
export function suggestionBlock(text: string): string {
  let body = normalizeNewlines(text);
  if (body.endsWith('\n')) body = body.slice(0, -1);
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  return body === '' && text === '' ? `${fence}suggestion\n${fence}` : `${fence}suggestion\n${body}\n${fence}`;
}

/**
 * A Markdown link whose text is escaped and whose URL is only used when it is http(s);
 * other schemes (javascript:, data:) yield the escaped text without a link.
 */
export function link(text: string, url: string): string {
  const label = escapeMarkdown(text);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return label;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return label;
  // Percent-encode what could end the destination early.
  const href = parsed.href.replace(/[()<> ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `[${label}](${href})`;
}

/**
 * Text for raw HTML: element content (inside `<summary>`, where Markdown backslash escapes
 * would show literally) or a quoted attribute value. Entities for `& < > " '`, newlines
 * collapsed, mentions/references/autolinks neutralised as in `escapeMarkdown`.
 */
export function escapeHtml(text: string): string {
  const raw = neutralise(revealInvisible(normalizeNewlines(text).replace(/\n/g, ' ')));
  return raw.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Escape a message in which backtick-quoted parts are code, the way rule messages are
 * written (`` `{{fn}}()` executes a string… ``): quoted parts become code spans (via
 * `inlineCode`), everything else is escaped (via `escapeMarkdown`). Safe for any input: an
 * unbalanced or hostile backtick only changes which parts are shown as code.
 */
export function escapeWithCodeSpans(text: string, options: InlineCodeOptions = {}): string {
  const parts = normalizeNewlines(text).replace(/\n/g, ' ').split(/(`+)/);
  let out = '';
  let i = 0;
  while (i < parts.length) {
    const part = parts[i] ?? '';
    if (/^`+$/.test(part)) {
      // Find the closing run of the same length.
      const close = parts.findIndex((p, j) => j > i && p === part);
      if (close > i) {
        out += inlineCode(parts.slice(i + 1, close).join(''), options);
        i = close + 1;
        continue;
      }
      out += escapeLine(part, out === '');
    } else if (part !== '') {
      out += escapeLine(part, out === '');
    }
    i++;
  }
  return out;
}

/**
 * Report renderers: one `ScanResult`, four formats.
 *
 * - `text`: for terminals (colour optional), see text.ts
 * - `json`: stable versioned shape for scripts, see json.ts
 * - `sarif`: SARIF 2.1.0 for GitHub code scanning, see sarif.ts
 * - `markdown`: PR comments, check-run and job summaries, escaped, see markdown.ts
 *
 * escape.ts holds the Markdown escaping shared with the GitHub App.
 */
import type { ScanResult } from '../scan/index.js';
import { renderJson, type JsonOptions } from './json.js';
import { renderMarkdown, type MarkdownOptions } from './markdown.js';
import { renderSarif, type SarifOptions } from './sarif.js';
import { renderText, type TextOptions } from './text.js';

export const FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

export function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}

/**
 * Options for every format; each renderer reads its own. `root` is the absolute scan root
 * (SARIF's `%SRCROOT%`); finding paths are relative to it. `color` defaults to false.
 */
export type RenderOptions = Partial<TextOptions> & SarifOptions & JsonOptions & MarkdownOptions;

export function render(format: Format, result: ScanResult, opts: RenderOptions = {}): string {
  switch (format) {
    case 'text':
      return renderText(result, { ...opts, color: opts.color ?? false });
    case 'json':
      return renderJson(result, opts);
    case 'sarif':
      return renderSarif(result, opts);
    case 'markdown':
      return renderMarkdown(result, opts);
  }
}

export { renderText, type TextOptions } from './text.js';
export { renderJson, toJsonReport, JSON_REPORT_VERSION, type JsonOptions, type JsonReport, type JsonFinding } from './json.js';
export { renderSarif, toSarif, type SarifOptions } from './sarif.js';
export { renderMarkdown, DEFAULT_MARKDOWN_MAX_LENGTH, type MarkdownOptions } from './markdown.js';
export { TOOL_NAME, TOOL_VERSION } from './version.js';

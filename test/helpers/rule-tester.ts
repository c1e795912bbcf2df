/**
 * Table-driven rule tests in the style of ESLint's RuleTester: `valid` lists code that must
 * produce no finding (the false-positive traps), `invalid` lists code with the exact
 * findings expected (line, column, message id) and, optionally, the fixed output.
 */
import { describe, expect, it } from '@jest/globals';
import { analyzeSource } from '../../src/core/engine.js';
import { applyFixes } from '../../src/core/fix.js';
import type { Rule, Severity } from '../../src/core/types.js';

export interface ValidCase {
  code: string;
  path?: string;
  name?: string;
}

export interface ExpectedFinding {
  line: number;
  column?: number;
  endLine?: number;
  messageId: string;
  severity?: Severity;
}

export interface InvalidCase {
  code: string;
  path?: string;
  name?: string;
  errors: ExpectedFinding[];
  /** The source after applying every offered fix; `null` asserts that no fix is offered. */
  output?: string | null;
}

/** Remove the common indentation of a template literal so tests can be indented. */
export function dedent(code: string): string {
  const lines = code.replace(/^\n/, '').replace(/\n[ \t]*$/, '\n').split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)?.[0].length ?? 0);
  const min = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(min)).join('\n');
}

function label(code: string, name?: string): string {
  if (name) return name;
  const first = code.trim().split('\n').slice(-1)[0] ?? '';
  return first.length > 70 ? `${first.slice(0, 67)}...` : first;
}

export function run(rule: Rule, code: string, path = 'app.py') {
  const result = analyzeSource(path, code, [rule]);
  const errors = result.diagnostics.filter((d) => d.kind === 'rule-error');
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('\n'));
  // A rule's pre-filters (callFilter, textFilters, fileFilter) may only skip work, never findings.
  if (rule.callFilter || rule.textFilters || rule.fileFilter) {
    const unfiltered = analyzeSource(path, code, [rule], { noPrefilter: true });
    const key = (f: { range: unknown; messageId: string }): string => JSON.stringify([f.range, f.messageId]);
    expect(result.findings.map(key)).toEqual(unfiltered.findings.map(key));
  }
  return result;
}

export function ruleTester(rule: Rule, cases: { valid: (string | ValidCase)[]; invalid: InvalidCase[] }): void {
  describe(rule.meta.id, () => {
    describe('valid', () => {
      for (const c of cases.valid) {
        const vc = typeof c === 'string' ? { code: c } : c;
        const code = dedent(vc.code);
        it(label(code, vc.name), () => {
          const found = run(rule, code, vc.path).findings.map((f) => `${f.range.start.line}:${f.messageId}: ${f.message}`);
          expect(found).toEqual([]);
        });
      }
    });
    describe('invalid', () => {
      for (const c of cases.invalid) {
        const code = dedent(c.code);
        it(label(code, c.name), () => {
          const result = run(rule, code, c.path);
          const actual = result.findings.map((f, i) => {
            const exp = c.errors[i];
            return {
              line: f.range.start.line,
              ...(exp?.column !== undefined ? { column: f.range.start.column } : {}),
              ...(exp?.endLine !== undefined ? { endLine: f.range.end.line } : {}),
              messageId: f.messageId,
              ...(exp?.severity !== undefined ? { severity: f.severity } : {}),
            };
          });
          expect(actual).toEqual(c.errors);
          for (const f of result.findings) {
            expect(f.message).not.toMatch(/\{\{\w+\}\}/);
          }
          if (c.output === null) {
            expect(result.findings.filter((f) => f.fix)).toEqual([]);
          } else if (c.output !== undefined) {
            expect(applyFixes(code, result.findings)).toBe(dedent(c.output));
          }
        });
      }
    });
  });
}

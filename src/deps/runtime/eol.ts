/**
 * End-of-life status of a runtime pin, from the release table in
 * src/rules/interpreter/python-eol-data.ts (not copied: one table for the whole project).
 * `now` is a parameter: callers pass the scan date, tests a fixed one.
 */
import { eolStatus } from '../../rules/interpreter/python-eol-data.js';

export type RuntimeStatus = 'eol' | 'eol-soon' | 'supported' | 'unknown';

const DAY_MS = 86_400_000;

/**
 * `eol` past the end-of-life date (from the day after it), `eol-soon` when it falls within the
 * next `warnDays` days (0 or less: never), `supported` otherwise, `unknown` for versions the
 * table does not list (a future 3.x, a typo). Versions before 2.6 are `eol` with no date.
 */
export function runtimeStatus(version: string, now: Date, warnDays: number): { status: RuntimeStatus; eolDate?: string } {
  const m = /^\s*(\d+)\.(\d+)/.exec(version);
  if (!m || Number.isNaN(now.getTime())) return { status: 'unknown' };
  const s = eolStatus({ major: Number(m[1]), minor: Number(m[2]) }, now);
  switch (s.kind) {
    case 'eol':
      return { status: 'eol', eolDate: s.endOfLife };
    case 'ancient':
      return { status: 'eol' };
    case 'unknown':
      return { status: 'unknown' };
    case 'supported': {
      const today = Date.parse(now.toISOString().slice(0, 10));
      const daysLeft = (Date.parse(s.endOfLife) - today) / DAY_MS;
      return { status: warnDays > 0 && daysLeft <= warnDays ? 'eol-soon' : 'supported', eolDate: s.endOfLife };
    }
  }
}

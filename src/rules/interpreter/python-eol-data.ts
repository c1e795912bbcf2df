/**
 * Python release lifecycle data and the end-of-life judgements built on it.
 *
 * PYTHON_EOL is a verbatim copy of python-eol.json next to this file (public release
 * dates, as listed at https://devguide.python.org/versions/). It lives in a .ts module
 * because the build copies only TypeScript to dist/; a test checks the two stay
 * identical, so update both together (regenerate this object from the JSON).
 *
 * Judgements take `now` as a parameter: callers pass the clock, tests pass a fixed date.
 */

export interface PythonRelease {
  status: string;
  firstRelease: string;
  endOfBugfix: string;
  endOfLife: string;
  pep: number;
}

export const PYTHON_EOL: Readonly<Record<string, PythonRelease>> = {
  "3.0": {
    "status": "end-of-life",
    "firstRelease": "2008-12-03",
    "endOfBugfix": "2009-06-27",
    "endOfLife": "2009-06-27",
    "pep": 361
  },
  "3.1": {
    "status": "end-of-life",
    "firstRelease": "2009-06-27",
    "endOfBugfix": "2011-06-11",
    "endOfLife": "2012-04-09",
    "pep": 375
  },
  "3.2": {
    "status": "end-of-life",
    "firstRelease": "2011-02-20",
    "endOfBugfix": "2013-05-13",
    "endOfLife": "2016-02-20",
    "pep": 392
  },
  "3.3": {
    "status": "end-of-life",
    "firstRelease": "2012-09-29",
    "endOfBugfix": "2014-03-08",
    "endOfLife": "2017-09-29",
    "pep": 398
  },
  "3.4": {
    "status": "end-of-life",
    "firstRelease": "2014-03-16",
    "endOfBugfix": "2017-08-09",
    "endOfLife": "2019-03-18",
    "pep": 429
  },
  "3.5": {
    "status": "end-of-life",
    "firstRelease": "2015-09-13",
    "endOfBugfix": "2017-08-08",
    "endOfLife": "2020-09-30",
    "pep": 478
  },
  "3.6": {
    "status": "end-of-life",
    "firstRelease": "2016-12-23",
    "endOfBugfix": "2018-12-24",
    "endOfLife": "2021-12-23",
    "pep": 494
  },
  "3.7": {
    "status": "end-of-life",
    "firstRelease": "2018-06-27",
    "endOfBugfix": "2020-06-27",
    "endOfLife": "2023-06-27",
    "pep": 537
  },
  "3.8": {
    "status": "end-of-life",
    "firstRelease": "2019-10-14",
    "endOfBugfix": "2021-05-03",
    "endOfLife": "2024-10-07",
    "pep": 569
  },
  "3.9": {
    "status": "end-of-life",
    "firstRelease": "2020-10-05",
    "endOfBugfix": "2022-05-17",
    "endOfLife": "2025-10-31",
    "pep": 596
  },
  "3.10": {
    "status": "security",
    "firstRelease": "2021-10-04",
    "endOfBugfix": "2023-04-05",
    "endOfLife": "2026-10-01",
    "pep": 619
  },
  "3.11": {
    "status": "security",
    "firstRelease": "2022-10-24",
    "endOfBugfix": "2024-04-24",
    "endOfLife": "2027-10-01",
    "pep": 664
  },
  "3.12": {
    "status": "security",
    "firstRelease": "2023-10-02",
    "endOfBugfix": "2025-04-08",
    "endOfLife": "2028-10-01",
    "pep": 693
  },
  "3.13": {
    "status": "bugfix",
    "firstRelease": "2024-10-07",
    "endOfBugfix": "2026-10-07",
    "endOfLife": "2029-10-01",
    "pep": 719
  },
  "3.14": {
    "status": "bugfix",
    "firstRelease": "2025-10-07",
    "endOfBugfix": "2027-10-07",
    "endOfLife": "2030-10-01",
    "pep": 745
  },
  "3.15": {
    "status": "prerelease",
    "firstRelease": "2026-10-01",
    "endOfBugfix": "2028-10-01",
    "endOfLife": "2031-10-01",
    "pep": 790
  },
  "3.16": {
    "status": "feature",
    "firstRelease": "2027-10-06",
    "endOfBugfix": "2029-10-06",
    "endOfLife": "2032-10-01",
    "pep": 826
  }
};

/**
 * Python 2 is not in the JSON (it starts at 3.0) but still appears in old packaging
 * metadata. Dates from PEP 373 (2.7) and PEP 361 (2.6).
 */
export const PYTHON2_EOL: Readonly<Record<string, { endOfLife: string }>> = {
  '2.6': { endOfLife: '2013-10-29' },
  '2.7': { endOfLife: '2020-01-01' },
};

export interface MinorVersion {
  major: number;
  minor: number;
}

export function formatVersion(v: MinorVersion): string {
  return `${v.major}.${v.minor}`;
}

function compare(a: MinorVersion, b: MinorVersion): number {
  return a.major - b.major || a.minor - b.minor;
}

/** `YYYY-MM-DD` of `now` in UTC, comparable with the data's dates as strings. */
function isoDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export type EolStatus =
  | { kind: 'eol'; endOfLife: string }
  /** Older than every release in the tables (2.5 and before, 1.x): long dead, date not listed. */
  | { kind: 'ancient' }
  | { kind: 'supported'; endOfLife: string }
  /** Not in the tables (a future or made-up version): no judgement. */
  | { kind: 'unknown' };

/** Is `version` past its end of life on `now`? A version is EOL from the day after its endOfLife date. */
export function eolStatus(version: MinorVersion, now: Date): EolStatus {
  const key = formatVersion(version);
  const entry = PYTHON_EOL[key] ?? PYTHON2_EOL[key];
  if (entry) {
    return entry.endOfLife < isoDay(now) ? { kind: 'eol', endOfLife: entry.endOfLife } : { kind: 'supported', endOfLife: entry.endOfLife };
  }
  if (version.major < 2 || (version.major === 2 && version.minor < 6)) return { kind: 'ancient' };
  return { kind: 'unknown' };
}

/** The oldest released Python 3 version still inside its support window on `now`, or null. */
export function oldestSupported(now: Date): MinorVersion | null {
  const today = isoDay(now);
  let best: MinorVersion | null = null;
  for (const [key, r] of Object.entries(PYTHON_EOL)) {
    const v = parseVersion(key);
    if (!v || r.firstRelease > today || r.endOfLife < today) continue;
    if (!best || compare(v, best) < 0) best = v;
  }
  return best;
}

function parseVersion(text: string): MinorVersion | null {
  const m = /^(\d+)(?:\.(\d+))?/.exec(text.trim());
  if (!m) return null;
  return { major: Number(m[1]), minor: m[2] === undefined ? 0 : Number(m[2]) };
}

/**
 * The lowest major.minor a PEP 440 specifier set admits (`">=3.6, <4"` → 3.6,
 * `"~=3.7.1"` → 3.7, `"==3.8.*"` → 3.8), or null when it sets no lower bound (`"<4"`,
 * `"!=3.0.*"`) or cannot be read. `>X.Y` still admits X.Y.1, so its bound is X.Y.
 * With several lower bounds the highest wins (they all must hold).
 */
export function lowerBound(spec: string): MinorVersion | null {
  let best: MinorVersion | null = null;
  for (const clause of spec.split(',')) {
    const c = clause.trim();
    if (c === '') continue;
    const m = /^(===|==|~=|>=|>|<=|<|!=)\s*v?(\d+(?:\.\d+)*)(\.\*)?(?:[A-Za-z0-9.+-]*)?$/.exec(c);
    if (!m) return null;
    const op = m[1];
    if (op === '<' || op === '<=' || op === '!=') continue;
    const v = parseVersion(m[2] ?? '');
    if (!v) return null;
    if (!best || compare(v, best) > 0) best = v;
  }
  return best;
}

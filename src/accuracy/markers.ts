/**
 * Accuracy corpus markers: a Python line ending in `# expect: <rule-id>[, <rule-id>...]`
 * must be flagged by each rule named; one ending in `# safe: <rule-id>[, ...]` must not be.
 * Both may share a line (`# expect: ssrf  # safe: log-injection`). Pure: text in, markers out.
 */

export type MarkerKind = 'expect' | 'safe';

export interface Marker {
  /** Path of the corpus file, as given to the parser. */
  path: string;
  /** 1-based line. */
  line: number;
  kind: MarkerKind;
  ruleId: string;
}

/** A malformed marker: reported by the accuracy test instead of being silently ignored. */
export interface MarkerProblem {
  path: string;
  line: number;
  message: string;
}

export interface ParsedMarkers {
  markers: Marker[];
  problems: MarkerProblem[];
}

const RULE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Where the marker comments start: the first `# expect:` or `# safe:` on the line. */
const MARKER_START = /#\s*(?:expect|safe)\s*:/;
/** Near misses that would otherwise be read as prose and never checked. */
const NEAR_MISS = [
  /#\s*(?:expects|expected|safe[sd]?|expect)\s*[:=]/i, // `# expects:`, `# expect=` (a real `# expect:` matched earlier)
  /#\s*(?:expect|safe)\s+[a-z0-9]+(?:-[a-z0-9]+)+\s*(?:,.*)?$/i, // `# expect sql-injection` (colon missing)
];
const SEGMENT = /^(expect|safe)\s*:\s*(.*)$/;

export function parseMarkers(path: string, text: string): ParsedMarkers {
  const markers: Marker[] = [];
  const problems: MarkerProblem[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((content, index) => {
    const line = index + 1;
    const problem = (message: string): void => {
      problems.push({ path, line, message });
    };
    const start = MARKER_START.exec(content);
    if (!start) {
      if (NEAR_MISS.some((re) => re.test(content))) problem('looks like a marker but is not `# expect: <rule-id>` or `# safe: <rule-id>`');
      return;
    }
    const seen = new Map<string, MarkerKind>();
    // Each `#` after the first marker starts another segment; all of them must be markers.
    const segments = content.slice(start.index + 1).split('#');
    for (const raw of segments) {
      const m = SEGMENT.exec(raw.trim());
      if (!m) {
        problem(`unexpected text after a marker: "#${raw.trimEnd()}" (markers must end the line)`);
        continue;
      }
      const kind = m[1] as MarkerKind;
      const ids = (m[2] ?? '').split(',').map((s) => s.trim());
      if (ids.length === 1 && ids[0] === '') {
        problem(`\`# ${kind}:\` names no rule id`);
        continue;
      }
      for (const ruleId of ids) {
        if (!RULE_ID.test(ruleId)) {
          problem(`"${ruleId}" is not a rule id (kebab-case, comma-separated)`);
          continue;
        }
        const before = seen.get(ruleId);
        if (before === kind) {
          problem(`${ruleId} is named twice`);
          continue;
        }
        if (before) {
          problem(`${ruleId} is both expected and safe on this line`);
          continue;
        }
        seen.set(ruleId, kind);
        markers.push({ path, line, kind, ruleId });
      }
    }
  });
  return { markers, problems };
}

/** Markers naming a rule id outside `known`: typos, or rules that were renamed. */
export function unknownRuleIds(markers: readonly Marker[], known: Iterable<string>): MarkerProblem[] {
  const ids = new Set(known);
  return markers
    .filter((m) => !ids.has(m.ruleId))
    .map((m) => ({
      path: m.path,
      line: m.line,
      message: `unknown rule id "${m.ruleId}" (add it to src/accuracy/rule-ids.ts if it is real)`,
    }));
}

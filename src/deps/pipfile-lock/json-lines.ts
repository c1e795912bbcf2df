/**
 * JSON.parse gives no positions: this scanner records the 1-based line of every object key,
 * by its path (`['default', 'requests']`, `['_meta', 'sources', 0, 'url']`). It never throws;
 * on malformed text it returns what it saw up to the problem.
 */
export type JsonPath = readonly (string | number)[];

interface Frame {
  kind: 'object' | 'array';
  key: string | number;
  expectKey: boolean;
}

export class JsonKeyLines {
  private readonly lines = new Map<string, number>();

  constructor(text: string) {
    const stack: Frame[] = [];
    let line = 1;
    let i = 0;
    while (i < text.length) {
      const ch = text[i];
      if (ch === '\n') {
        line++;
        i++;
        continue;
      }
      if (ch === '"') {
        const start = i;
        i++;
        while (i < text.length && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
        const raw = text.slice(start, i + 1);
        if (text[i] === '"') i++; // an unterminated string stops before the newline
        const top = stack[stack.length - 1];
        if (top && top.kind === 'object' && top.expectKey) {
          let key: string;
          try {
            key = JSON.parse(raw) as string;
          } catch {
            key = raw.slice(1, -1);
          }
          top.key = key;
          top.expectKey = false;
          this.lines.set(pathKey([...stack.slice(0, -1).map((f) => f.key), key]), line);
        }
        continue;
      }
      const top = stack[stack.length - 1];
      if (ch === '{') stack.push({ kind: 'object', key: '', expectKey: true });
      else if (ch === '[') stack.push({ kind: 'array', key: 0, expectKey: false });
      else if (ch === '}' || ch === ']') stack.pop();
      else if (ch === ',' && top) {
        if (top.kind === 'object') top.expectKey = true;
        else top.key = (top.key as number) + 1;
      }
      i++;
    }
  }

  /** The line of the key at `path`, or undefined. */
  lineOf(path: JsonPath): number | undefined {
    return this.lines.get(pathKey(path));
  }
}

function pathKey(path: JsonPath): string {
  return JSON.stringify(path);
}

/** The 1-based line of a JSON.parse error (`... at position N` / `(line L column C)`), if given. */
export function jsonErrorLine(text: string, message: string): number | undefined {
  const lc = /\(line (\d+) column \d+\)/.exec(message);
  if (lc) return Number(lc[1]);
  const pos = /at position (\d+)/.exec(message);
  if (pos) return text.slice(0, Number(pos[1])).split('\n').length;
  return undefined;
}

/**
 * Line numbers for TOML values. smol-toml parses without positions, so this scanner walks the
 * text once and records the 1-based line of every key and array item under its full path
 * (table header + dotted key + array indexes; arrays of tables get their index too):
 *   [tool.poetry.dependencies] / requests = "^2"   →  ["tool","poetry","dependencies","requests"]
 *   [project] / dependencies = ["a", "b"]          →  ["project","dependencies",1] for "b"
 *   [[tool.uv.index]] (the second one) / url = …   →  ["tool","uv","index",1,"url"]
 * Full paths make duplicates in different tables land on the right line. The scanner expects a
 * document that already parsed; on anything unexpected it skips to the next line, never throws.
 */
export type TomlPath = readonly (string | number)[];

export class TomlLines {
  private readonly lines = new Map<string, number>();

  record(path: TomlPath, line: number): void {
    const key = JSON.stringify(path);
    if (!this.lines.has(key)) this.lines.set(key, line);
  }

  /** The line of exactly this path, if it was seen. */
  lineOf(path: TomlPath): number | undefined {
    return this.lines.get(JSON.stringify(path));
  }

  /** The line of this path or of its nearest recorded ancestor (1 when none). */
  lineNear(path: TomlPath): number {
    for (let n = path.length; n > 0; n--) {
      const line = this.lineOf(path.slice(0, n));
      if (line !== undefined) return line;
    }
    return 1;
  }
}

class Scanner {
  pos = 0;
  private readonly lineStarts: number[] = [0];
  readonly result = new TomlLines();
  private readonly aot = new Map<string, number>();

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
  }

  lineAt(pos: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  private peek(n = 0): string {
    return this.text[this.pos + n] ?? '';
  }

  private skipSpace(newlines: boolean): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t' || c === '\r' || (newlines && c === '\n')) this.pos++;
      else if (c === '#') while (this.pos < this.text.length && this.peek() !== '\n') this.pos++;
      else return;
    }
  }

  private skipLine(): void {
    while (this.pos < this.text.length && this.peek() !== '\n') this.pos++;
  }

  private fail(): never {
    throw new SyntaxError(`unexpected ${JSON.stringify(this.peek())} at line ${this.lineAt(this.pos)}`);
  }

  /** A quoted string; returns its (unescaped for basic strings) value. */
  private readString(): string {
    const q = this.peek();
    const multi = this.text.startsWith(q.repeat(3), this.pos);
    const close = multi ? q.repeat(3) : q;
    this.pos += multi ? 3 : 1;
    let out = '';
    while (this.pos < this.text.length) {
      if (this.text.startsWith(close, this.pos)) {
        this.pos += close.length;
        // A multi-line string may end with up to two extra quotes: """a"""" is 'a"'.
        while (multi && this.peek() === q) {
          out += q;
          this.pos++;
        }
        return out;
      }
      const c = this.peek();
      if (!multi && c === '\n') this.fail();
      if (q === '"' && c === '\\') {
        const n = this.peek(1);
        const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\x1b', '"': '"', '\\': '\\' };
        if (simple[n] !== undefined) {
          out += simple[n];
          this.pos += 2;
        } else if (n === 'u' || n === 'U' || n === 'x') {
          const len = n === 'u' ? 4 : n === 'U' ? 8 : 2;
          out += String.fromCodePoint(parseInt(this.text.slice(this.pos + 2, this.pos + 2 + len), 16) || 0xfffd);
          this.pos += 2 + len;
        } else {
          // line-ending backslash in multi-line strings: skip the newline and following whitespace
          this.pos += 1;
          while (/[ \t\r\n]/.test(this.peek())) this.pos++;
        }
        continue;
      }
      out += c;
      this.pos++;
    }
    return this.fail();
  }

  private readKey(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.skipSpace(false);
      const c = this.peek();
      if (c === '"' || c === "'") parts.push(this.readString());
      else {
        const m = /^[A-Za-z0-9_-]+/.exec(this.text.slice(this.pos, this.pos + 256));
        if (!m) this.fail();
        parts.push(m[0]);
        this.pos += m[0].length;
      }
      this.skipSpace(false);
      if (this.peek() !== '.') return parts;
      this.pos++;
    }
  }

  private resolveHeader(keys: string[], arrayOfTables: boolean): (string | number)[] {
    const out: (string | number)[] = [];
    keys.forEach((k, i) => {
      out.push(k);
      const id = JSON.stringify(out);
      const last = i === keys.length - 1;
      if (last && arrayOfTables) {
        const n = (this.aot.get(id) ?? 0) + 1;
        this.aot.set(id, n);
        out.push(n - 1);
      } else {
        const n = this.aot.get(id);
        if (n !== undefined) out.push(n - 1);
      }
    });
    return out;
  }

  private value(path: (string | number)[]): void {
    const c = this.peek();
    if (c === '"' || c === "'") {
      this.readString();
    } else if (c === '[') {
      this.pos++;
      let index = 0;
      for (;;) {
        this.skipSpace(true);
        if (this.peek() === ']') {
          this.pos++;
          return;
        }
        if (this.pos >= this.text.length) this.fail();
        const item = [...path, index];
        this.result.record(item, this.lineAt(this.pos));
        this.value(item);
        index++;
        this.skipSpace(true);
        if (this.peek() === ',') this.pos++;
        else if (this.peek() !== ']') this.fail();
      }
    } else if (c === '{') {
      this.pos++;
      for (;;) {
        this.skipSpace(true);
        if (this.peek() === '}') {
          this.pos++;
          return;
        }
        if (this.pos >= this.text.length) this.fail();
        this.keyValue(path);
        this.skipSpace(true);
        if (this.peek() === ',') this.pos++;
        else if (this.peek() !== '}') this.fail();
      }
    } else {
      const start = this.pos;
      while (this.pos < this.text.length && !/[,\]}\n#]/.test(this.peek())) this.pos++;
      if (this.pos === start) this.fail();
    }
  }

  private keyValue(table: (string | number)[]): void {
    const line = this.lineAt(this.pos);
    const key = this.readKey();
    for (let n = 1; n <= key.length; n++) this.result.record([...table, ...key.slice(0, n)], line);
    this.skipSpace(false);
    if (this.peek() !== '=') this.fail();
    this.pos++;
    this.skipSpace(false);
    this.value([...table, ...key]);
  }

  scan(): TomlLines {
    let table: (string | number)[] = [];
    while (this.pos < this.text.length) {
      this.skipSpace(true);
      if (this.pos >= this.text.length) break;
      const lineStart = this.pos;
      try {
        if (this.peek() === '[') {
          const aot = this.peek(1) === '[';
          this.pos += aot ? 2 : 1;
          const keys = this.readKey();
          if (this.peek() !== ']' || (aot && this.peek(1) !== ']')) this.fail();
          this.pos += aot ? 2 : 1;
          table = this.resolveHeader(keys, aot);
          this.result.record(table, this.lineAt(lineStart));
        } else {
          this.keyValue(table);
        }
      } catch {
        this.pos = Math.max(this.pos, lineStart);
        this.skipLine();
      }
    }
    return this.result;
  }
}

export function tomlLines(text: string): TomlLines {
  try {
    return new Scanner(text).scan();
  } catch {
    return new TomlLines();
  }
}

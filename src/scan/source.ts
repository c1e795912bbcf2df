import { TextDecoder } from 'node:util';

/**
 * Turning bytes into Python source text, or a clear reason why not.
 */

export type Decoded = { ok: true; text: string } | { ok: false; reason: string };

const CODING = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;
const UTF8_NAMES = new Set(['utf-8', 'utf8', 'utf_8', 'u8', 'utf', 'utf-8-sig']);

/**
 * Decode a Python file the way the interpreter would: UTF-8 by default (a BOM is allowed),
 * or the PEP 263 `# -*- coding: ... -*-` declaration in the first two lines. Files with NUL
 * bytes are treated as binary.
 */
export function decodeSource(buf: Uint8Array): Decoded {
  const head = buf.subarray(0, 8000);
  if (head.includes(0)) return { ok: false, reason: 'binary file (contains NUL bytes)' };
  let bytes = buf;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);

  let encoding = 'utf-8';
  const firstLines = Buffer.from(bytes.subarray(0, 400)).toString('latin1').split(/\r?\n/, 2);
  for (const line of firstLines) {
    const m = CODING.exec(line);
    if (m?.[1]) {
      const name = m[1].toLowerCase();
      if (!UTF8_NAMES.has(name)) encoding = name;
      break;
    }
    // PEP 263: the declaration must be on line 1 or 2; line 2 only if line 1 is a comment or blank.
    if (!/^\s*(#.*)?$/.test(line)) break;
  }

  const decoder = makeDecoder(encoding);
  if (!decoder) return { ok: false, reason: `unsupported source encoding "${encoding}"` };
  try {
    return { ok: true, text: decoder.decode(bytes) };
  } catch {
    return {
      ok: false,
      reason: encoding === 'utf-8' ? 'not valid UTF-8 (and no PEP 263 coding declaration)' : `not valid ${encoding}`,
    };
  }
}

/** Files pysec treats as Python when it finds them in a folder. */
export function isPythonPath(path: string): boolean {
  return /\.pyw?$/i.test(path);
}

/**
 * A decoder for a Python codec name. Python spells names its own way (`latin-1`,
 * `iso8859_15`, `cp1252`); the WHATWG labels TextDecoder knows differ in punctuation.
 */
function makeDecoder(name: string): TextDecoder | null {
  const candidates = [name, name.replace(/_/g, '-'), name.replace(/[-_]/g, ''), name.replace(/^iso(\d)/, 'iso-$1')];
  for (const label of candidates) {
    try {
      return new TextDecoder(label, { fatal: true });
    } catch {
      // try the next spelling
    }
  }
  return null;
}

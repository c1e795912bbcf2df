import { describe, expect, it } from '@jest/globals';
import {
  ZWSP,
  codeBlock,
  escapeHtml,
  escapeMarkdown,
  escapeWithCodeSpans,
  inlineCode,
  link,
  longestRun,
  revealInvisible,
  suggestionBlock,
} from '../../src/report/escape.js';

/** Metacharacters that must never appear unescaped in escapeMarkdown output. */
function unescapedSpecials(out: string): string[] {
  const found: string[] = [];
  // Drop escape pairs and entities, then look for what is left.
  const rest = out.replace(/\\[\\`*_{}[\]()#+\-.!|~$=]/g, '').replace(/&(lt|gt|amp|#\d+);/g, '');
  for (const c of '\\`*_[]()|<>&~$') if (rest.includes(c)) found.push(c);
  return found;
}

describe('escapeMarkdown', () => {
  const cases: { name: string; input: string; expected?: string; contains?: string[]; absent?: string[] }[] = [
    { name: 'plain text untouched', input: 'hello world', expected: 'hello world' },
    { name: 'emphasis', input: '*a* _b_ **c**', expected: '\\*a\\* \\_b\\_ \\*\\*c\\*\\*' },
    { name: 'link', input: '[link](javascript:alert(1))', contains: ['\\[link\\]\\(javascript:alert\\(1\\)\\)'] },
    { name: 'image', input: '![x](http://a/b.png)', contains: ['\\!\\[x\\]'], absent: ['](http'] },
    { name: 'html img', input: '<img src=x onerror=alert(1)>', expected: '&lt;img src\\=x onerror\\=alert\\(1\\)&gt;' },
    { name: 'closing details', input: '</details>', expected: '&lt;/details&gt;' },
    { name: 'ampersand entity', input: '&lt; &amp;', expected: '&amp;lt; &amp;amp;' },
    { name: 'backticks', input: '```js', expected: '\\`\\`\\`js' },
    { name: 'table pipe', input: 'a | b', expected: 'a \\| b' },
    { name: 'heading at start', input: '# title', expected: '\\# title' },
    { name: 'list marker', input: '- item', expected: '\\- item' },
    { name: 'ordered list', input: '1. item', expected: '1\\. item' },
    { name: 'math', input: '$x^2$', expected: '\\$x^2\\$' },
    { name: 'strikethrough', input: '~~no~~', expected: '\\~\\~no\\~\\~' },
    { name: 'backslash', input: 'C:\\path', expected: 'C:\\\\path' },
    { name: 'mention', input: 'ping @octocat', expected: `ping @${ZWSP}octocat` },
    { name: 'team mention', input: '@org/team', expected: `@${ZWSP}org/team` },
    { name: 'email', input: 'a@b.example', contains: [`a@${ZWSP}b`] },
    { name: 'lone @ kept', input: 'x @ y', expected: 'x @ y' },
    { name: 'decorator', input: '@app.route', expected: `@${ZWSP}app\\.route` },
    { name: 'issue ref', input: 'fixes #123', expected: `fixes \\#${ZWSP}123` },
    { name: 'cross-repo ref', input: 'org/repo#9', expected: `org/repo\\#${ZWSP}9` },
    { name: 'GH ref', input: 'GH-42', expected: `GH\\-${ZWSP}42` },
    { name: 'hash not followed by digit', input: '#x', expected: '\\#x' },
    { name: 'url autolink', input: 'http://evil.example', contains: [`http:${ZWSP}//`] },
    { name: 'www autolink', input: 'www.evil.example', contains: [`www${ZWSP}\\.`] },
    { name: 'newlines collapse', input: 'a\nb\r\nc', expected: 'a b c' },
    { name: 'indented code start', input: '    code', expected: '&#32;&#32;&#32;&#32;code' },
    { name: 'ANSI escape revealed', input: '\u001b[31mred', expected: '&lt;U\\+001B&gt;\\[31mred' },
    { name: 'bidi override revealed', input: 'a\u202Eb', expected: 'a&lt;U\\+202E&gt;b' },
  ];
  it.each(cases)('$name', ({ input, expected, contains, absent }) => {
    const out = escapeMarkdown(input);
    if (expected !== undefined) expect(out).toBe(expected);
    for (const c of contains ?? []) expect(out).toContain(c);
    for (const a of absent ?? []) expect(out).not.toContain(a);
    expect(out).not.toContain('\n');
    expect(unescapedSpecials(out)).toEqual([]);
  });

  it('keeps lines as hard breaks in multiline mode, escaping each line start', () => {
    const out = escapeMarkdown('# one\n\n- two\n    three', { multiline: true });
    expect(out.split('\\\n')).toEqual(['\\# one', '&#32;', '\\- two', '&#32;&#32;&#32;&#32;three']);
    expect(out).not.toMatch(/\n\n/);
  });

  it('survives a hostile mix', () => {
    const hostile = '```\n</details><img src=x onerror=alert(1)>@org/team #1 [x](javascript:alert(1)) <script>';
    const out = escapeMarkdown(hostile);
    expect(out).not.toMatch(/<[a-z/]/i);
    expect(out).not.toContain('@org');
    expect(out).not.toContain('](');
    expect(unescapedSpecials(out)).toEqual([]);
  });
});

describe('inlineCode', () => {
  const cases: [string, string, string][] = [
    ['simple', 'eval(x)', '`eval(x)`'],
    ['one backtick inside', 'a`b', '``a`b``'],
    ['double backticks inside', 'a``b`c', '```a``b`c```'],
    ['starts with backtick', '`x', '`` `x ``'],
    ['ends with backtick', 'x`', '`` x` ``'],
    ['spaces both sides are padded', ' x ', '`  x  `'],
    ['space one side kept as is', ' x', '` x`'],
    ['only spaces', '   ', '`   `'],
    ['empty', '', '` `'],
    ['newlines collapse', 'a\nb', '`a b`'],
    ['triple fence', '```', '```` ``` ````'],
    ['html is literal in code', '</details>', '`</details>`'],
    ['control chars revealed', 'a\u0007b', '`a<U+0007>b`'],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(inlineCode(input)).toBe(expected);
  });

  it('never lets the content close the span early', () => {
    for (const input of ['`', '``', 'a```b', '` `', '````````']) {
      const out = inlineCode(input);
      const fence = /^`+/.exec(out)?.[0] ?? '';
      const inner = out.slice(fence.length, out.length - fence.length);
      expect(longestRun(inner, '`')).toBeLessThan(fence.length);
      expect(out.endsWith(fence)).toBe(true);
    }
  });

  it('escapes pipes only in table mode', () => {
    expect(inlineCode('a|b')).toBe('`a|b`');
    expect(inlineCode('a|b', { table: true })).toBe('`a\\|b`');
  });
});

/** The fence line and whether any content line could close it (CommonMark rules). */
function fenceInfo(block: string): { fence: string; info: string; body: string[]; closedEarly: boolean } {
  const lines = block.split('\n');
  const open = /^(`{3,}|~{3,})(.*)$/.exec(lines[0] ?? '');
  if (!open) throw new Error(`no opening fence: ${block}`);
  const fence = open[1] ?? '';
  const body = lines.slice(1, -1);
  const closer = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
  return { fence, info: open[2] ?? '', body, closedEarly: body.some((l) => closer.test(l)) };
}

describe('codeBlock', () => {
  const hostile = [
    'print(1)',
    '```\n</details>\n```',
    '````\nx\n`````',
    '~~~\n~~~~',
    '<img src=x onerror=alert(1)>',
    '@org/team #123',
    '   ```',
    '',
  ];
  it.each(hostile)('cannot be closed by %j', (input) => {
    const out = codeBlock(input, 'python');
    const { fence, info, body, closedEarly } = fenceInfo(out);
    expect(fence.length).toBeGreaterThanOrEqual(3);
    expect(info).toBe('python');
    expect(closedEarly).toBe(false);
    expect(out.endsWith(fence)).toBe(true);
    if (input !== '') expect(body.join('\n')).toBe(input);
  });

  it('keeps content exact apart from line endings and invisible characters', () => {
    expect(codeBlock('a\r\nb\n')).toBe('```\na\nb\n```');
    expect(codeBlock('x = "\u202E"')).toBe('```\nx = "<U+202E>"\n```');
  });

  it('reduces the info string to a language name', () => {
    expect(codeBlock('x', 'py`thon onload=1')).toMatch(/^```pythononload1\n/);
    expect(codeBlock('x', 'c++')).toMatch(/^```c\+\+\n/);
  });
});

describe('suggestionBlock', () => {
  it.each([
    ['x = 1', '```suggestion\nx = 1\n```'],
    ['x = 1\n', '```suggestion\nx = 1\n```'],
    ['', '```suggestion\n```'],
    ['\n', '```suggestion\n\n```'],
    ['a\r\nb', '```suggestion\na\nb\n```'],
    ['s = """```"""', '````suggestion\ns = """```"""\n````'],
    ['  # ``````', '```````suggestion\n  # ``````\n```````'],
  ])('%j', (input, expected) => {
    expect(suggestionBlock(input)).toBe(expected);
  });

  it('keeps invisible characters (GitHub applies the text as written)', () => {
    expect(suggestionBlock('x = "\u200E"')).toContain('\u200E');
  });

  it('cannot be closed early', () => {
    const out = suggestionBlock('```\n````\n</details>');
    const { info, closedEarly } = fenceInfo(out);
    expect(info).toBe('suggestion');
    expect(closedEarly).toBe(false);
  });
});

describe('escapeWithCodeSpans', () => {
  it.each([
    ['`eval()` executes *code*', '`eval()` executes \\*code\\*'],
    ['no code here [x]', 'no code here \\[x\\]'],
    ['unbalanced ` tick', 'unbalanced \\` tick'],
    ['`a` and `b|c`', '`a` and `b|c`'],
    ['``x`y`` ok', '``x`y`` ok'],
    ['`</details>` @me', `\`</details>\` @${ZWSP}me`],
  ])('%j', (input, expected) => {
    expect(escapeWithCodeSpans(input)).toBe(expected);
  });

  it('escapes pipes inside code spans for tables', () => {
    expect(escapeWithCodeSpans('`a|b` | c', { table: true })).toBe('`a\\|b` \\| c');
  });
});

describe('link, escapeHtml, revealInvisible', () => {
  it('links only http(s) URLs', () => {
    expect(link('docs', 'https://example.com/a b')).toBe('[docs](https://example.com/a%20b)');
    expect(link('x', 'javascript:alert(1)')).toBe('x');
    expect(link('[x]', 'data:text/html,hi')).toBe('\\[x\\]');
    expect(link('p', 'https://e.example/a(b)')).toBe('[p](https://e.example/a%28b%29)');
  });

  it('escapes HTML text and neutralises mentions', () => {
    expect(escapeHtml('<b>"x" & \'y\'</b>')).toBe('&#60;b&#62;&#34;x&#34; &#38; &#39;y&#39;&#60;/b&#62;');
    expect(escapeHtml('@team #12')).toBe(`@${ZWSP}team #${ZWSP}12`);
  });

  it('reveals controls but keeps tabs and newlines', () => {
    expect(revealInvisible('a\tb\nc\u0000\u2066')).toBe('a\tb\nc<U+0000><U+2066>');
  });
});

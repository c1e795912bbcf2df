import { describe, expect, it } from '@jest/globals';
import { tomlLines, type TomlPath } from '../../src/deps/pyproject/toml-lines.js';

const doc = `# comment with [fake.header] and key = "x"
[project]
name = "demo"
dependencies = [
  "requests>=2",  # trailing comment, with "quotes" and ]
  'flask',
  """multi
line""", "click",
  [ "nested", "array" ],
]
"quoted.key" = { version = "^1", extras = ["a", "b"] }
dotted.key.path = 1

[project.optional-dependencies]
dev = ["pytest", "requests"]

[tool.poetry.dependencies]
requests = "^2.0"
"Weird.Name" = { version = "1.0", markers = "python_version < '3.8'" }

[tool.poetry.group.dev.dependencies]
requests = "^2.1"

[[tool.uv.index]]
name = "a"
url = "https://a.test/simple"

[[tool.uv.index]]
name = "b"
url = "https://b.test/simple"

[[tool.uv.index.sub]]
x = 1

[ tool . "uv" . sources ]
foo = { git = "https://x.test/foo.git", tag = "v1" }
bar = { path = "./bar" }
date = 1979-05-27 07:32:00Z
s = "a \\" ] [ quoted"
t = '''literal
[not.a.header]
'''
after = "yes"
`;

describe('tomlLines', () => {
  const lines = tomlLines(doc);
  const table: [TomlPath, number | undefined][] = [
    [['project'], 2],
    [['project', 'name'], 3],
    [['project', 'dependencies'], 4],
    [['project', 'dependencies', 0], 5],
    [['project', 'dependencies', 1], 6],
    [['project', 'dependencies', 2], 7],
    [['project', 'dependencies', 3], 8],
    [['project', 'dependencies', 4], 9],
    [['project', 'dependencies', 4, 1], 9],
    [['project', 'dependencies', 5], undefined],
    [['project', 'quoted.key'], 11],
    [['project', 'quoted.key', 'version'], 11],
    [['project', 'quoted.key', 'extras', 1], 11],
    [['project', 'dotted', 'key', 'path'], 12],
    [['project', 'dotted'], 12],
    [['project', 'optional-dependencies', 'dev', 1], 15],
    [['tool', 'poetry', 'dependencies', 'requests'], 18],
    [['tool', 'poetry', 'dependencies', 'Weird.Name', 'markers'], 19],
    [['tool', 'poetry', 'group', 'dev', 'dependencies', 'requests'], 22],
    [['tool', 'uv', 'index', 0], 24],
    [['tool', 'uv', 'index', 0, 'url'], 26],
    [['tool', 'uv', 'index', 1, 'url'], 30],
    [['tool', 'uv', 'index', 1, 'sub', 0, 'x'], 33],
    [['tool', 'uv', 'sources', 'foo', 'tag'], 36],
    [['tool', 'uv', 'sources', 'bar'], 37],
    [['tool', 'uv', 'sources', 'date'], 38],
    [['tool', 'uv', 'sources', 's'], 39],
    [['not', 'a', 'header'], undefined],
    [['tool', 'uv', 'sources', 'after'], 43],
    [['fake', 'header'], undefined],
  ];
  it.each(table)('%j → %p', (path, line) => {
    expect(lines.lineOf(path)).toBe(line);
  });
  it('lineNear falls back to the nearest ancestor, then 1', () => {
    expect(lines.lineNear(['tool', 'poetry', 'dependencies', 'missing'])).toBe(17);
    expect(lines.lineNear(['nowhere'])).toBe(1);
  });
  it('never throws on broken text and keeps what it could read', () => {
    const broken = tomlLines('[a]\nx = [1, 2\n[b]\ny = "z"\n');
    expect(broken.lineOf(['a', 'x'])).toBe(2);
    for (const t of ['"', '[[', '= =', "'''", 'a = {', '\0']) expect(() => tomlLines(t)).not.toThrow();
  });
  it('handles CRLF', () => {
    const l = tomlLines('[project]\r\ndependencies = [\r\n  "a",\r\n  "b",\r\n]\r\n');
    expect(l.lineOf(['project', 'dependencies', 1])).toBe(4);
  });
});

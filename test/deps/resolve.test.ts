import { describe, expect, it } from '@jest/globals';
import { resolveRequirements } from '../../src/deps/resolve.js';

const files = (map: Record<string, string>) => {
  const reads: string[] = [];
  const read = (p: string): string | undefined => {
    reads.push(p);
    return map[p];
  };
  return { read, reads };
};

describe('resolveRequirements', () => {
  it('follows -r and -c relative to the including file, depth first', () => {
    const { read } = files({
      'requirements.txt': '-r requirements/base.txt\n--constraint constraints.txt\nflask==2.0\n',
      'requirements/base.txt': '-r ./common.txt\nclick\n',
      'requirements/common.txt': 'six\n',
      'constraints.txt': 'click<9\n',
    });
    const out = resolveRequirements('/repo', read, 'requirements.txt');
    expect(out.map((m) => m.path)).toEqual(['requirements.txt', 'requirements/base.txt', 'requirements/common.txt', 'constraints.txt']);
    expect(out.flatMap((m) => m.problems)).toEqual([]);
    expect(out.flatMap((m) => m.dependencies.map((d) => d.name))).toEqual(['flask', 'click', 'six', 'click']);
  });

  it('reports a missing include on the including line', () => {
    const { read } = files({ 'req/dev.txt': 'pytest\n\n-r missing.txt\n' });
    const [m] = resolveRequirements('', read, 'req/dev.txt');
    expect(m?.problems).toEqual([{ line: 3, message: 'included file missing.txt (req/missing.txt) was not found' }]);
  });

  it('guards against cycles and reports them', () => {
    const { read, reads } = files({ 'a.txt': '-r b.txt\nfoo\n', 'b.txt': 'bar\n-r a.txt\n' });
    const out = resolveRequirements('.', read, 'a.txt');
    expect(out.map((m) => m.path)).toEqual(['a.txt', 'b.txt']);
    expect(out[1]?.problems).toEqual([{ line: 2, message: 'include a.txt forms a cycle (a.txt -> b.txt -> a.txt): not followed again' }]);
    expect(reads).toEqual(['a.txt', 'b.txt']);
  });

  it('a self-include is a cycle', () => {
    const { read } = files({ 'a.txt': '-r a.txt\n' });
    expect(resolveRequirements('', read, 'a.txt')[0]?.problems[0]?.message).toMatch(/cycle/);
  });

  it('reads a file included twice (diamond) once, without a problem', () => {
    const { read, reads } = files({ 'a.txt': '-r b.txt\n-r c.txt\n', 'b.txt': '-r d.txt\n', 'c.txt': '-r ./d.txt\n', 'd.txt': 'x\n' });
    const out = resolveRequirements('', read, 'a.txt');
    expect(out.map((m) => m.path)).toEqual(['a.txt', 'b.txt', 'd.txt', 'c.txt']);
    expect(out.flatMap((m) => m.problems)).toEqual([]);
    expect(reads.filter((r) => r === 'd.txt')).toHaveLength(1);
  });

  it('does not follow includes that leave the root or are URLs', () => {
    const { read, reads } = files({ 'sub/a.txt': '-r ../../etc/passwd\n-r https://example.com/r.txt\n-r /etc/passwd\n' });
    const [m] = resolveRequirements('/repo', read, 'sub/a.txt');
    expect(m?.problems).toEqual([
      { line: 1, message: 'include ../../etc/passwd is outside the repository: not followed' },
      { line: 2, message: 'include https://example.com/r.txt is a URL: not followed' },
      { line: 3, message: 'include /etc/passwd is outside the repository: not followed' },
    ]);
    expect(reads).toEqual(['sub/a.txt']);
  });

  it('accepts an absolute entry under the root and Windows separators', () => {
    const { read } = files({ 'reqs/a.txt': '-r sub\\b.txt\n', 'reqs/sub/b.txt': 'y\n' });
    const out = resolveRequirements('/repo', read, '/repo/reqs/a.txt');
    expect(out.map((m) => m.path)).toEqual(['reqs/a.txt', 'reqs/sub/b.txt']);
  });

  it('reports a missing entry file and never throws when read throws', () => {
    expect(resolveRequirements('', () => undefined, 'requirements.txt')[0]?.problems).toEqual([{ message: 'requirements.txt was not found' }]);
    const throwing = (): string => {
      throw new Error('EACCES');
    };
    expect(resolveRequirements('', throwing, 'requirements.txt')[0]?.problems).toHaveLength(1);
  });
});

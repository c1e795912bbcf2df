import { describe, expect, it } from '@jest/globals';
import { hunkContaining, parsePatch, parseUnifiedDiff } from '../../src/diff/index.js';

describe('parsePatch', () => {
  const cases: { name: string; patch: string; added: number[]; commentable: number[]; hunks: [number, number][] }[] = [
    {
      name: 'one added line between context',
      patch: '@@ -1,2 +1,3 @@\n a\n+b\n c\n',
      added: [2],
      commentable: [1, 2, 3],
      hunks: [[1, 3]],
    },
    {
      name: 'modified line (delete + add)',
      patch: '@@ -10,3 +10,3 @@ def f():\n x\n-y = 1\n+y = 2\n z\n',
      added: [11],
      commentable: [10, 11, 12],
      hunks: [[10, 12]],
    },
    {
      name: 'two hunks',
      patch: '@@ -1,1 +1,2 @@\n a\n+b\n@@ -20,1 +21,2 @@\n c\n+d\n',
      added: [2, 22],
      commentable: [1, 2, 21, 22],
      hunks: [
        [1, 2],
        [21, 22],
      ],
    },
    {
      name: 'pure deletion leaves only context commentable',
      patch: '@@ -1,3 +1,2 @@\n a\n-b\n c\n',
      added: [],
      commentable: [1, 2],
      hunks: [[1, 2]],
    },
    { name: 'empty patch', patch: '', added: [], commentable: [], hunks: [] },
    {
      name: 'new file',
      patch: '@@ -0,0 +1,2 @@\n+import os\n+os.system(x)\n',
      added: [1, 2],
      commentable: [1, 2],
      hunks: [[1, 2]],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = parsePatch(c.patch);
      expect([...r.added].sort((a, b) => a - b)).toEqual(c.added);
      expect([...r.commentable].sort((a, b) => a - b)).toEqual(c.commentable);
      expect(r.hunks.map((h) => [h.start, h.end])).toEqual(c.hunks);
    });
  }

  it('finds the hunk that contains a range, and none across hunks', () => {
    const r = parsePatch('@@ -1,1 +1,2 @@\n a\n+b\n@@ -20,1 +21,2 @@\n c\n+d\n');
    expect(hunkContaining(r, 1, 2)).toEqual({ start: 1, end: 2 });
    expect(hunkContaining(r, 2, 21)).toBeUndefined();
  });
});

describe('parseUnifiedDiff', () => {
  it('maps new-side paths, skips deleted files, follows renames', () => {
    const diff = [
      'diff --git a/app.py b/app.py',
      'index 1..2 100644',
      '--- a/app.py',
      '+++ b/app.py',
      '@@ -1,1 +1,2 @@',
      ' import os',
      '+os.system(cmd)',
      'diff --git a/old.py b/old.py',
      'deleted file mode 100644',
      '--- a/old.py',
      '+++ /dev/null',
      '@@ -1,1 +0,0 @@',
      '-x = 1',
      'diff --git a/a.py b/pkg/b.py',
      'similarity index 90%',
      'rename from a.py',
      'rename to pkg/b.py',
      '--- a/a.py',
      '+++ b/pkg/b.py',
      '@@ -1,1 +1,1 @@',
      '-x = 1',
      '+x = 2',
      '',
    ].join('\n');
    const r = parseUnifiedDiff(diff);
    expect([...r.keys()]).toEqual(['app.py', 'pkg/b.py']);
    expect([...(r.get('app.py')?.added ?? [])]).toEqual([2]);
    expect([...(r.get('pkg/b.py')?.added ?? [])]).toEqual([1]);
  });
});

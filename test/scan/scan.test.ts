import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { READ_AHEAD, scan, selectRules, pathFilter, type SourceFile } from '../../src/scan/index.js';
import { decodeSource } from '../../src/scan/source.js';
import { defaultConfig, configSchema } from '../../src/config/schema.js';

const config = defaultConfig();

describe('decodeSource', () => {
  const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
  const cases: [string, Uint8Array, string | null][] = [
    ['plain UTF-8', enc('x = "é"\n'), 'x = "é"\n'],
    ['UTF-8 with BOM', new Uint8Array([0xef, 0xbb, 0xbf, ...enc('x = 1\n')]), 'x = 1\n'],
    ['empty', new Uint8Array(), ''],
    ['latin-1 with a PEP 263 declaration', new Uint8Array([...enc('# -*- coding: latin-1 -*-\nx = "'), 0xe9, ...enc('"\n')]), '# -*- coding: latin-1 -*-\nx = "é"\n'],
    ['declaration on line 2 after a shebang', new Uint8Array([...enc('#!/usr/bin/env python\n# coding=latin-1\ns = "'), 0xe9, ...enc('"\n')]), '#!/usr/bin/env python\n# coding=latin-1\ns = "é"\n'],
    ['invalid UTF-8 without declaration', new Uint8Array([...enc('x = "'), 0xe9, ...enc('"\n')]), null],
    ['binary with NUL bytes', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]), null],
    ['unknown declared encoding', enc('# coding: klingon\nx = 1\n'), null],
  ];
  for (const [name, bytes, expected] of cases) {
    it(name, () => {
      const r = decodeSource(bytes);
      if (expected === null) {
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.reason.length).toBeGreaterThan(5);
      } else {
        expect(r).toEqual({ ok: true, text: expected });
      }
    });
  }
});

describe('scan', () => {
  it('reports findings with paths as given', async () => {
    const r = await scan([{ path: 'pkg/app.py', content: 'eval(x)\n' }], { config });
    expect(r.findings.map((f) => [f.path, f.ruleId])).toEqual([['pkg/app.py', 'dynamic-code-execution']]);
    expect(r.stats.filesScanned).toBe(1);
  });

  it('skips binary, non-UTF-8 and huge files with reasons, and still scans the rest', async () => {
    const files: SourceFile[] = [
      { path: 'bin.py', content: new Uint8Array([0, 1, 2, 3]) },
      { path: 'latin.py', content: new Uint8Array([0x78, 0x3d, 0x22, 0xe9, 0x22, 0x0a]) },
      { path: 'huge.py', content: new TextEncoder().encode(`${'x = 1\n'.repeat(900_000)}eval(y)\n`) },
      { path: 'huge-by-size.py', size: 6_000_000, read: () => Promise.reject(new Error('must not be read')) },
      { path: 'ok.py', content: 'eval(y)\n' },
    ];
    const r = await scan(files, { config });
    expect(r.skipped.map((s) => s.path)).toEqual(['bin.py', 'latin.py', 'huge.py', 'huge-by-size.py']);
    expect(r.skipped[0]?.reason).toMatch(/binary/);
    expect(r.skipped[1]?.reason).toMatch(/UTF-8/);
    expect(r.skipped[2]?.reason).toMatch(/larger than the 1 MiB limit/);
    expect(r.findings.map((f) => f.path)).toEqual(['ok.py']);
  });

  it('scans a 5 MB file when the limit allows it', async () => {
    const line = `ROW = ("${'a'.repeat(80)}", 1)  # padding\n`;
    const big = `${line.repeat(Math.ceil(5_000_000 / line.length))}eval(y)\n`;
    expect(big.length).toBeGreaterThan(5_000_000);
    const lines = big.split('\n').length - 1;
    const r = await scan([{ path: 'big.py', content: big }], { config: configSchema.parse({ maxFileSize: '8MB' }) });
    expect(r.findings.map((f) => f.range.start.line)).toEqual([lines]);
    const skipped = await scan([{ path: 'big.py', content: big }], { config });
    expect(skipped.skipped).toEqual([{ path: 'big.py', reason: 'larger than the 1 MiB limit' }]);
  });

  it('handles empty files and deep nesting without crashing', async () => {
    const deep = `x = ${'('.repeat(3000)}eval(y)${')'.repeat(3000)}\n`;
    const nested = `${Array.from({ length: 200 }, (_, i) => `${'    '.repeat(i)}if a:\n`).join('')}${'    '.repeat(200)}eval(y)\n`;
    const r = await scan(
      [
        { path: 'empty.py', content: '' },
        { path: 'deep.py', content: deep },
        { path: 'nested.py', content: nested },
      ],
      { config },
    );
    expect(r.stats.filesScanned).toBe(3);
    expect(r.findings.map((f) => f.path).sort()).toEqual(['deep.py', 'nested.py']);
  });

  it('lists files with syntax errors and still reports their findings', async () => {
    const r = await scan([{ path: 'bad.py', content: 'def f(:\n  pass\neval(x)\n' }], { config });
    expect(r.syntaxErrors).toEqual([{ path: 'bad.py', lines: [1] }]);
    expect(r.findings).toHaveLength(1);
    expect(r.diagnostics.some((d) => d.kind === 'syntax-error' && d.path === 'bad.py')).toBe(true);
  });

  it('reports a read failure as a diagnostic and carries on', async () => {
    const r = await scan(
      [
        { path: 'gone.py', read: () => Promise.reject(new Error('EACCES')) },
        { path: 'ok.py', content: 'eval(x)\n' },
      ],
      { config },
    );
    expect(r.skipped).toEqual([{ path: 'gone.py', reason: 'could not be read' }]);
    expect(r.findings).toHaveLength(1);
  });

  it('reads a few files ahead, never an excluded or oversized one, and a failed read ahead costs only that file', async () => {
    const reads: string[] = [];
    const seenAt = new Map<string, string[]>();
    let open = 0;
    let maxOpen = 0;
    const lazy = (path: string, text: string | Error, size?: number) => ({
      path,
      ...(size !== undefined ? { size } : {}),
      read: async (): Promise<Uint8Array> => {
        reads.push(path);
        maxOpen = Math.max(maxOpen, ++open);
        await new Promise((r) => setTimeout(r, 5));
        open--;
        if (text instanceof Error) throw text;
        return new TextEncoder().encode(text);
      },
    });
    const more = Array.from({ length: 8 }, (_, i) => lazy(`m${i}.py`, `eval(m${i})\n`));
    const r = await scan(
      [
        lazy('a.py', 'eval(a)\n'),
        lazy('node_modules/x.py', 'eval(x)\n'),
        lazy('big.py', 'eval(b)\n', 10 * 1024 * 1024),
        lazy('broken.py', new Error('EIO')),
        lazy('c.py', 'eval(c)\n'),
        ...more,
      ],
      {
        config: { ...config, paths: { ...config.paths, exclude: ['node_modules'] } },
        onProgress: (_done, _total, path) => seenAt.set(path, [...reads]),
      },
    );
    // While a.py was analysed, the next files to check were already being read.
    expect(seenAt.get('node_modules/x.py')).toEqual(['a.py', 'broken.py', 'c.py', 'm0.py', 'm1.py']);
    expect(reads).toEqual(['a.py', 'broken.py', 'c.py', ...more.map((m) => m.path)]);
    expect(maxOpen).toBe(READ_AHEAD);
    expect(r.findings.map((f) => f.path)).toEqual(['a.py', 'c.py', ...more.map((m) => m.path)]);
    expect(r.skipped.map((s) => s.path)).toEqual(['big.py', 'broken.py']);
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ path: 'broken.py', kind: 'read-error', message: 'cannot read: EIO' }));
  });

  it('reads files on disk from localPath, synchronously, with their content taking precedence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pysec-scan-local-'));
    writeFileSync(join(dir, 'a.py'), 'eval(a)\n');
    writeFileSync(join(dir, 'b.py'), 'eval(b)\n');
    const never = async (): Promise<Uint8Array> => {
      throw new Error('read() called for a local file');
    };
    const r = await scan(
      [
        { path: 'a.py', localPath: join(dir, 'a.py'), read: never },
        { path: 'b.py', localPath: join(dir, 'b.py'), content: 'x = 1\n' },
        { path: 'gone.py', localPath: join(dir, 'gone.py'), read: never },
      ],
      { config },
    );
    expect(r.findings.map((f) => f.path)).toEqual(['a.py']);
    expect(r.skipped).toEqual([{ path: 'gone.py', reason: 'could not be read' }]);
    expect(r.diagnostics).toContainEqual(
      expect.objectContaining({ path: 'gone.py', kind: 'read-error', message: expect.stringMatching(/^cannot read: ENOENT: no such file/) }),
    );
  });

  it('filters by changed lines', async () => {
    const files = [
      { path: 'a.py', content: 'eval(x)\neval(y)\n' },
      { path: 'b.py', content: 'eval(z)\n' },
      { path: 'c.py', content: 'eval(w)\n' },
    ];
    const r = await scan(files, { config, changedLines: new Map<string, Set<number> | 'all'>([['a.py', new Set([2])], ['c.py', 'all']]) });
    expect(r.findings.map((f) => `${f.path}:${f.range.start.line}`)).toEqual(['a.py:2', 'c.py:1']);
  });

  it('applies minSeverity, minConfidence, disable, enable and --rule', async () => {
    const files = [{ path: 'a.py', content: 'eval(x)\n' }];
    expect((await scan(files, { config: configSchema.parse({ minSeverity: 'critical' }) })).findings).toEqual([]);
    expect((await scan(files, { config: configSchema.parse({ minConfidence: 'high' }) })).findings).toEqual([]);
    expect((await scan(files, { config: configSchema.parse({ rules: { disable: ['dynamic-code-execution'] } }) })).findings).toEqual([]);
    expect(selectRules(configSchema.parse({ rules: { enable: ['dynamic-code-execution'] } })).map((r) => r.meta.id)).toEqual([
      'dynamic-code-execution',
    ]);
    expect(selectRules(config, ['dynamic-code-execution'])).toHaveLength(1);
    const sev = await scan(files, { config: configSchema.parse({ rules: { severity: { 'dynamic-code-execution': 'low' } } }) });
    expect(sev.findings[0]?.severity).toBe('low');
  });

  it('honours include and exclude globs (folders exclude their contents)', () => {
    const f = pathFilter(configSchema.parse({ paths: { include: ['src/**'], exclude: ['src/vendor', '**/test_*.py'] } }));
    expect(f('src/app.py')).toBe(true);
    expect(f('src/vendor/lib.py')).toBe(false);
    expect(f('src/pkg/test_app.py')).toBe(false);
    expect(f('other/app.py')).toBe(false);
  });

  it('keeps memory flat on many files (yields between files)', async () => {
    const files = Array.from({ length: 300 }, (_, i) => ({ path: `f${i}.py`, content: `import os\nos.system(cmd${i})\n`.repeat(50) }));
    const r = await scan(files, { config });
    expect(r.stats.filesScanned).toBe(300);
  });
});

/**
 * Terminating a worker thread in the middle of a parse must not take the process down. With
 * node-tree-sitter it could (its parser calls back into JS for the source text; see
 * StopMessage in src/scan/pool.ts). pysec's addon copies the source first and never calls
 * into JS while it parses. This runs the parser from dist/ (like the pool tests) in worker
 * threads of a child process, terminates them mid-parse many times, and expects a clean exit.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { treeBackend } from '../../src/python/parser.js';

const parser = fileURLToPath(new URL('../../dist/python/parser.js', import.meta.url));

const CHILD = `
const { Worker } = require('node:worker_threads');
const code = \`
  const { parentPort } = require('node:worker_threads');
  import(\${JSON.stringify(process.argv[1])}).then((m) => {
    const big = 'def f(x):\\\\n    return [x + i for i in range(10)]\\\\n'.repeat(20000);
    parentPort.postMessage(m.treeBackend());
    for (;;) m.parsePython(big, { reuse: true });
  });\`;
(async () => {
  for (let i = 0; i < 25; i++) {
    const w = new Worker(code, { eval: true });
    const backend = await new Promise((r) => w.once('message', r));
    if (backend !== 'native') throw new Error('worker without the addon: ' + backend);
    await new Promise((r) => setTimeout(r, 2 + (i % 7) * 9));
    await w.terminate();
  }
  console.log('clean');
})();
`;

describe('terminating a worker mid-parse', () => {
  const run = treeBackend() === 'native' ? it : it.skip;
  run('leaves the process running (25 terminations at varied points of a ~50 ms parse)', () => {
    const r = spawnSync(process.execPath, ['-e', CHILD, parser], { encoding: 'utf8', timeout: 120_000 });
    expect({ status: r.status, signal: r.signal, out: r.stdout.trim(), err: r.stderr.slice(0, 500) }).toEqual({
      status: 0,
      signal: null,
      out: 'clean',
      err: '',
    });
  });
});

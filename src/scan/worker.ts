/**
 * A scan worker thread (see pool.ts): loads the analyser (tree-sitter and the rules) once,
 * says it is ready, then analyses the files it is sent, strictly one after another, so the
 * pool knows which file a dying worker was on.
 */
import { parentPort } from 'node:worker_threads';
import { runTask, type TaskMessage, type WorkerReply } from './pool.js';

const port = parentPort;
if (!port) throw new Error('pysec: scan/worker.js runs as a worker thread (see scan/pool.js)');

let chain: Promise<void> = Promise.resolve();

port.on('message', (msg: TaskMessage) => {
  if (msg.type !== 'task') return;
  chain = chain.then(async () => {
    let reply: WorkerReply;
    try {
      reply = { type: 'result', id: msg.id, part: await runTask(msg) };
    } catch (err) {
      // scan() turns rule failures into diagnostics; anything reaching here is a bug in the
      // scan itself, costing this one file.
      reply = { type: 'failed', id: msg.id, message: err instanceof Error ? err.message : String(err) };
    }
    port.postMessage(reply);
  });
});

const ready: WorkerReply = { type: 'ready' };
port.postMessage(ready);

/**
 * A scan worker thread (see pool.ts): loads the analyser (tree-sitter and the rules) once,
 * says it is ready, then analyses the files it is sent, strictly one after another, so the
 * pool knows which file a dying worker was on.
 */
import { parentPort } from 'node:worker_threads';
import { runTask, type StopMessage, type TaskMessage, type WorkerReply } from './pool.js';

const port = parentPort;
if (!port) throw new Error('pysec: scan/worker.js runs as a worker thread (see scan/pool.js)');

let chain: Promise<void> = Promise.resolve();
let stopping = false;

port.on('message', (msg: TaskMessage | StopMessage) => {
  if (msg.type === 'stop') {
    // Files already sent are dropped (their scans were rejected); the thread ends after the
    // file it is on, never in the middle of a parse (see StopMessage).
    stopping = true;
    chain = chain.then(() => process.exit(0));
    return;
  }
  if (msg.type !== 'task') return;
  chain = chain.then(async () => {
    if (stopping) return;
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

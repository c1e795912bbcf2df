/**
 * A pool of worker threads that analyse Python files in parallel, so a large pull request
 * uses every core and the main event loop stays free for webhooks.
 *
 * `pool.scan(files, options)` returns exactly what `scan(files, options)` returns: the same
 * findings in the same order, the same notes and diagnostics. It gets there without a
 * second copy of scan()'s logic: every worker task is `scan()` itself on one file, and the
 * main thread runs `scan()` on the dependency manifests (which are analysed together and
 * may need the network: the advisory source never leaves the main thread). The per-file
 * results are then stitched together in input order, followed by the dependency results,
 * which is the order scan() produces.
 *
 * A file that is both Python and a manifest (setup.py) is analysed twice in its worker:
 * once as scan() sees it and once as a manifest only; the difference is its Python part.
 * The main thread analyses it as a manifest together with the other manifests.
 *
 * Work is handed out largest file first, one or two files in flight per worker (the second
 * hides the main thread's file read). A worker that dies mid-file (an exception outside
 * scan(), its heap limit, a timeout) costs that one file — reported as skipped with an
 * error, like a download failure — and is replaced.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Diagnostic, Finding } from '../core/types.js';
import type { SuppressedFinding } from '../core/engine.js';
import { isManifestPath } from '../deps/kinds.js';
import { isPythonPath } from './source.js';
import { pathFilter, scan, type ScanOptions, type ScanResult, type SkippedFile, type SourceFile } from './index.js';

/** Below this many Python files a scan runs in-process: thread start-up would dominate. */
export const MIN_POOL_FILES = 8;
/** A worker is started for every this many Python files, up to the pool size. */
export const FILES_PER_WORKER = 8;
/** Files handed to one worker at a time: the second hides the main thread's read. */
const IN_FLIGHT_PER_WORKER = 2;
/** Each worker's young generation (see spawn). */
const YOUNG_GENERATION_MB = 48;

export interface ScanPoolOptions {
  /** Most worker threads (default: `os.availableParallelism()`). */
  size?: number;
  /** Worker entry (default: `<repo>/dist/scan/worker.js`). Tests pass their own. */
  workerUrl?: URL;
  /** Heap limit of each worker: a pathological file costs its worker, not the process. */
  maxOldGenerationSizeMb?: number;
  /** A file taking longer than this is given up (skipped with an error) and its worker replaced. */
  taskTimeoutMs?: number;
  /** Python files below which scans run in-process (default MIN_POOL_FILES). */
  minFiles?: number;
  /**
   * Replace a worker after it has analysed this many files (default 2,000). node-tree-sitter
   * leaks native memory on every parse (about 25 KB, not returned by garbage collection) that
   * is only released when the thread ends, so a long-lived pool must recycle its threads.
   */
  recycleAfter?: number;
  /** How long close() lets a worker finish its file before terminating it (default 10 s). */
  stopGraceMs?: number;
  /**
   * The pool serves one scan and is closed (the CLI, scanInPool): its threads live seconds,
   * not hours, and the process's V8 is tuned for that (see `v8Flags`). A process's V8 flags
   * stay as the first pool of either kind leaves them.
   */
  oneOff?: boolean;
}

export interface ScanPool {
  /** Most threads this pool runs. */
  readonly size: number;
  /** Threads alive now (they start on demand and stay until close()). */
  readonly threads: number;
  /** Threads started so far, replacements included. */
  readonly spawned: number;
  scan(files: Iterable<SourceFile> | readonly SourceFile[], options: ScanOptions): Promise<ScanResult>;
  /**
   * Start every thread now and resolve once each has loaded the analyser (tree-sitter and the
   * rules, a few hundred ms of CPU each): a server warms its pool before it takes traffic, so
   * the first burst of reviews does not pay for it on the cores that answer webhooks.
   */
  warm(): Promise<void>;
  /** Terminates every thread; scans still running are rejected. */
  close(): Promise<void>;
}

export class WorkerEntryMissing extends Error {
  constructor(path: string) {
    super(`the scan worker ${path} is missing: run \`npm run build\` (npm ci does this automatically)`);
    this.name = 'WorkerEntryMissing';
  }
}

/**
 * The compiled worker entry. From src/scan/pool.ts (jest, ts-jest) and from
 * dist/scan/pool.js alike, it is <repo>/dist/scan/worker.js: worker threads cannot load .ts.
 */
export function workerEntry(): URL {
  const url = new URL('../../dist/scan/worker.js', import.meta.url);
  if (!existsSync(fileURLToPath(url))) throw new WorkerEntryMissing(fileURLToPath(url));
  return url;
}

// ---------------------------------------------------------------------------------------
// The task: what crosses the thread boundary (structured-cloneable plain data).

/** scan() options a worker needs: no callbacks, no advisory source. */
export interface TaskOptions {
  config: ScanOptions['config'];
  onlyRules?: readonly string[];
  changedLines?: ScanOptions['changedLines'];
  now: Date;
  partial?: boolean;
}

export interface TaskFile {
  path: string;
  size?: number;
  content?: Uint8Array | string;
  /** The worker reads the file from here (SourceFile.localPath), when there is no content. */
  localPath?: string;
  /** The main thread could not read the file: scan() reports it as it would have. */
  readError?: string;
}

export interface TaskMessage {
  type: 'task';
  id: number;
  /** `python-manifest`: keep only the Python part (the manifest part is analysed on the main thread). */
  mode: 'python' | 'python-manifest';
  file: TaskFile;
  options: TaskOptions;
}

/** One file's share of a ScanResult. */
export interface FilePart {
  findings: Finding[];
  suppressed: SuppressedFinding[];
  diagnostics: Diagnostic[];
  skipped: SkippedFile[];
  syntaxErrors: ScanResult['syntaxErrors'];
  filesScanned: number;
  lines: number;
}

/**
 * Ask a worker to end between two files. Without pysec's addon, terminating a thread while
 * node-tree-sitter is parsing can abort the whole process: that parser calls back into JS for
 * the source text, and the native side cannot handle the exception a terminating thread raises
 * there (std::terminate, the process exits with SIGABRT). The addon copies the source before it
 * parses and never calls into JS meanwhile (150 terminations mid-parse: no abort), but the
 * fallback must be safe too. So the pool ends workers this way, and terminates only a thread
 * that does not stop in time (one stuck on a file).
 */
export interface StopMessage {
  type: 'stop';
}

/** How long close() waits for a worker to finish its file and stop before terminating it. */
const STOP_GRACE_MS = 10_000;

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'result'; id: number; part: FilePart }
  | { type: 'failed'; id: number; message: string };

/** Runs one task; the worker calls this, and so can tests in-process. */
export async function runTask(task: Omit<TaskMessage, 'type' | 'id'>): Promise<FilePart> {
  const { file, options } = task;
  const source: SourceFile = { path: file.path };
  if (file.size !== undefined) source.size = file.size;
  if (file.content !== undefined) source.content = file.content;
  else if (file.localPath !== undefined) source.localPath = file.localPath;
  else if (file.readError !== undefined) {
    const message = file.readError;
    source.read = () => Promise.reject(new Error(message));
  }
  const full = await scan([source], options);
  const part: FilePart = {
    findings: full.findings,
    suppressed: full.suppressed,
    diagnostics: full.diagnostics,
    skipped: full.skipped,
    syntaxErrors: full.syntaxErrors,
    filesScanned: full.stats.filesScanned,
    lines: full.stats.lines,
  };
  // A skipped file was neither analysed nor collected as a manifest: nothing to subtract.
  if (task.mode === 'python-manifest' && full.skipped.length === 0) {
    const deps = await scan([{ ...source, kind: 'manifest' }], options);
    part.findings = full.findings.slice(0, full.findings.length - deps.findings.length);
    part.suppressed = full.suppressed.slice(0, full.suppressed.length - deps.suppressed.length);
    part.diagnostics = full.diagnostics.slice(0, full.diagnostics.length - deps.diagnostics.length);
  }
  return part;
}

// ---------------------------------------------------------------------------------------
// The pool.

interface Job {
  state: ScanState;
  index: number;
  file: SourceFile;
  mode: TaskMessage['mode'];
  weight: number;
  options: TaskOptions;
}

interface ScanState {
  parts: (FilePart | undefined)[];
  remaining: number;
  onDone: (path: string) => void;
  resolve: () => void;
  reject: (err: Error) => void;
  settled: boolean;
}

interface Thread {
  worker: Worker;
  ready: boolean;
  inFlight: Job[];
  ids: number[];
  feeding: boolean;
  timer?: NodeJS.Timeout;
  /** Why the pool ended this thread (a timeout), when it did. */
  killed?: string;
  exited: boolean;
  /** Files it has analysed. */
  done: number;
  /** Ended by the pool after `recycleAfter` files, with nothing in flight. */
  retired?: boolean;
  /** Called once the thread is ready, or has exited without getting there. */
  onReady: (() => void)[];
}

/**
 * How much a function must run before V8's optimising compiler takes it (bytes of bytecode
 * executed; Node 20's V8 defaults to 66 KB). A scan runs ~1,800 short analyses through
 * hundreds of lukewarm functions: by default V8 compiled ~440 of them, ~4 s of compiler time
 * per isolate on the standard library, and in a pool that time runs on the cores the workers
 * need. At 384 KB it compiles ~180 (~1.5 s), the truly hot ones, and the pool's scan of the
 * standard library took ~10% less wall time. V8 flags are per process, so this and the next
 * apply to the main thread too (measured neutral there).
 */
export const INTERRUPT_BUDGET = 384 * 1024;

/**
 * How much the old generation may grow past what survived a full collection before the next
 * one (V8's heap growing factor, here 2x). V8 picks the factor from the heap limit, and at
 * the workers' 1 GB it stays between 1.3x and 2x (the main thread's larger limit gets 4x): on
 * the standard library each worker ran ~12 full collections, most of them at 25-50 MB. At 2x
 * they are ~9, for ~3% less wall time (5 of 6 side-by-side runs) and ~5-10 MB more peak RSS;
 * at 4x (a 2 GB limit) peak RSS rose by 50-150 MB, too close to the 400 MB budget.
 */
export const HEAP_GROWING_PERCENT = 100;

/**
 * The V8 flags a pool sets, less those the process was started with (on the command line:
 * Node refuses V8 flags such as these in NODE_OPTIONS). A one-off pool also turns off
 * TurboFan's inlining: its threads compile the analysis from cold and run it for a few
 * seconds, and on the standard library a 2-thread scan took ~6% less wall time without
 * inlining (6 of 6 side-by-side runs), the compiler's time saved being worth more than the
 * code it would have made faster. A long-lived pool (the app) keeps inlining: warm threads run
 * ~2-3% faster with it.
 */
export function v8Flags(execArgv: readonly string[], oneOff = false): string[] {
  const given = (name: string): boolean => execArgv.some((a) => new RegExp(`^--${name}\\b`).test(a));
  const flags: string[] = [];
  if (!given('interrupt[-_]budget')) flags.push(`--interrupt-budget=${INTERRUPT_BUDGET}`);
  if (!given('heap[-_]growing[-_]percent')) flags.push(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  if (oneOff && !given('(no[-_])?turbo[-_]inlining')) flags.push('--no-turbo-inlining');
  return flags;
}

let v8Tuned = false;
function tuneV8(oneOff: boolean): void {
  if (v8Tuned) return;
  v8Tuned = true;
  for (const flag of v8Flags(process.execArgv, oneOff)) setFlagsFromString(flag);
}

export function createScanPool(opts: ScanPoolOptions = {}): ScanPool {
  tuneV8(opts.oneOff === true);
  const size = Math.max(1, Math.floor(opts.size ?? availableParallelism()));
  const minFiles = opts.minFiles ?? MIN_POOL_FILES;
  const timeoutMs = opts.taskTimeoutMs ?? 300_000;
  const heapMb = opts.maxOldGenerationSizeMb ?? 1024;
  const recycleAfter = Math.max(1, opts.recycleAfter ?? 2000);
  let spawned = 0;
  const threads = new Set<Thread>();
  const queue: Job[] = [];
  const scans = new Set<ScanState>();
  let nextId = 1;
  let closed = false;
  let entry: URL | undefined;

  const failAll = (err: Error): void => {
    for (const s of scans) {
      if (!s.settled) {
        s.settled = true;
        s.reject(err);
      }
    }
    scans.clear();
    queue.length = 0;
  };

  const complete = (job: Job, part: FilePart): void => {
    const s = job.state;
    if (s.settled || s.parts[job.index]) return;
    s.parts[job.index] = part;
    s.remaining--;
    s.onDone(job.file.path);
    if (s.remaining === 0) {
      s.settled = true;
      scans.delete(s);
      s.resolve();
    }
  };

  const crashed = (job: Job, why: string): void => {
    const message = `the analysis of this file failed (${why}); it was not checked`;
    complete(job, {
      findings: [],
      suppressed: [],
      diagnostics: [{ path: job.file.path, kind: 'skipped', message }],
      skipped: [{ path: job.file.path, reason: `analysis failed: ${why}`, error: true }],
      syntaxErrors: [],
      filesScanned: 0,
      lines: 0,
    });
  };

  const armTimer = (t: Thread): void => {
    if (t.timer) clearTimeout(t.timer);
    t.timer = undefined;
    if (t.inFlight.length === 0) return;
    t.timer = setTimeout(() => {
      t.killed = `took longer than ${Math.round(timeoutMs / 1000)} s`;
      void t.worker.terminate();
    }, timeoutMs);
    t.timer.unref();
  };

  const idle = (t: Thread): void => {
    if (t.inFlight.length === 0 && !t.feeding) t.worker.unref();
  };

  const feed = async (t: Thread): Promise<void> => {
    if (t.feeding || !t.ready || t.exited) return;
    t.feeding = true;
    try {
      while (!closed && !t.exited && t.inFlight.length < IN_FLIGHT_PER_WORKER && t.done + t.inFlight.length < recycleAfter) {
        const job = queue.shift();
        if (!job) break;
        if (job.state.settled) continue;
        t.worker.ref();
        const file: TaskFile = { path: job.file.path };
        if (job.file.size !== undefined) file.size = job.file.size;
        if (job.file.content !== undefined) file.content = job.file.content;
        else if (job.file.localPath !== undefined) file.localPath = job.file.localPath;
        else if (job.file.read) {
          try {
            file.content = await job.file.read();
          } catch (err) {
            file.readError = (err as Error).message;
          }
        } else file.content = new Uint8Array();
        if (t.exited) {
          queue.unshift(job);
          break;
        }
        const id = nextId++;
        const msg: TaskMessage = { type: 'task', id, mode: job.mode, file, options: job.options };
        try {
          t.worker.postMessage(msg);
        } catch (err) {
          // Options that cannot cross threads (DataCloneError): a bug, but it costs files, not the process.
          crashed(job, `it could not be sent to a worker: ${(err as Error).message}`);
          continue;
        }
        t.inFlight.push(job);
        t.ids.push(id);
        if (t.inFlight.length === 1) armTimer(t);
      }
    } finally {
      t.feeding = false;
      idle(t);
    }
  };

  const wanted = (): number => {
    let pending = queue.length;
    for (const t of threads) pending += t.inFlight.length;
    return Math.min(size, Math.ceil(pending / FILES_PER_WORKER));
  };

  const spawn = (): void => {
    entry ??= opts.workerUrl ?? workerEntry();
    const worker = new Worker(entry, {
      // A bounded young generation: the analysis allocates many short-lived node objects, and
      // a file's analysis keeps a good part of them alive until it ends, so each scavenge has
      // much to copy. On the standard library, 48 MB cut each worker's scavenge pauses from
      // ~460 ms at 24 MB to ~330 ms, for a peak RSS of ~275 MB against ~250 MB; 96 MB saved
      // ~60 ms more for ~60 MB more.
      resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      // Worker output goes to the process's own streams.
      stdout: false,
      stderr: false,
    });
    const t: Thread = { worker, ready: false, inFlight: [], ids: [], feeding: false, exited: false, done: 0, onReady: [] };
    threads.add(t);
    spawned++;
    let lastError: Error | undefined;
    worker.on('message', (msg: WorkerReply) => {
      if (msg.type === 'ready') {
        t.ready = true;
        for (const resolve of t.onReady.splice(0)) resolve();
        void feed(t);
        return;
      }
      const at = t.ids.indexOf(msg.id);
      if (at < 0) return;
      const [job] = t.inFlight.splice(at, 1);
      t.ids.splice(at, 1);
      armTimer(t);
      if (job) {
        t.done++;
        if (msg.type === 'result') complete(job, msg.part);
        else crashed(job, msg.message);
      }
      if (t.done >= recycleAfter && t.inFlight.length === 0) {
        // Retire it (releasing tree-sitter's leaked memory) and let a fresh thread take over.
        t.retired = true;
        threads.delete(t);
        void t.worker.terminate();
        ensureThreads();
        return;
      }
      void feed(t);
      idle(t);
    });
    worker.on('error', (err) => {
      lastError = err;
    });
    worker.on('exit', (code) => {
      t.exited = true;
      for (const resolve of t.onReady.splice(0)) resolve();
      if (t.timer) clearTimeout(t.timer);
      threads.delete(t);
      if (closed || t.retired) return;
      if (!t.ready) {
        // It never got as far as loading the analyser: every replacement would fail too.
        failAll(new Error(`the scan worker failed to start: ${lastError?.message ?? `exit code ${code}`}`));
        return;
      }
      // The worker handles its files in order: the first in flight is the one it died on;
      // the others never started and go back to the front of the queue.
      const [culprit, ...rest] = t.inFlight;
      queue.unshift(...rest);
      if (culprit) {
        const why = t.killed ?? (lastError ? `the worker crashed: ${lastError.message}` : `the worker exited with code ${code}`);
        crashed(culprit, why);
      }
      ensureThreads();
    });
  };

  const stopThread = async (t: Thread): Promise<void> => {
    if (t.exited) return;
    const exited = new Promise<void>((resolve) => t.worker.once('exit', () => resolve()));
    try {
      const stop: StopMessage = { type: 'stop' };
      t.worker.postMessage(stop);
    } catch {
      // The thread is already going away.
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), opts.stopGraceMs ?? STOP_GRACE_MS);
    });
    if ((await Promise.race([exited, late])) === 'late') await t.worker.terminate();
    clearTimeout(timer);
  };

  const ensureThreads = (): void => {
    if (closed) return;
    while (threads.size < wanted()) spawn();
    for (const t of threads) void feed(t);
  };

  const poolScan = async (files: Iterable<SourceFile> | readonly SourceFile[], options: ScanOptions): Promise<ScanResult> => {
    if (closed) throw new Error('the scan pool is closed');
    const started = performance.now();
    const list = [...files];
    const { config } = options;
    const included = pathFilter(config);
    const now = options.now ?? new Date();

    // Which files go to workers: Python files scan() would read and analyse. Everything else
    // (manifests, excluded or oversized files) stays on the main thread.
    const mainFiles: SourceFile[] = [];
    const pythonManifests = new Set<string>();
    const jobs: { index: number; file: SourceFile; mode: TaskMessage['mode'] }[] = [];
    list.forEach((file, index) => {
      const read =
        included(file.path) &&
        (!options.changedLines || options.changedLines.has(file.path)) &&
        !(file.size !== undefined && file.size > config.maxFileSize);
      const isManifest = file.kind === 'manifest' || isManifestPath(file.path);
      if (!read || (isManifest && (file.kind === 'manifest' || !isPythonPath(file.path)))) {
        mainFiles.push(file);
      } else if (isManifest) {
        jobs.push({ index, file, mode: 'python-manifest' });
        pythonManifests.add(file.path);
        mainFiles.push({ ...file, kind: 'manifest' });
      } else {
        jobs.push({ index, file, mode: 'python' });
      }
    });
    if (jobs.length < minFiles) return scan(list, options);

    let done = 0;
    const progress = (path: string): void => {
      done++;
      options.onProgress?.(done, list.length, path);
    };
    const state: ScanState = {
      parts: new Array<FilePart | undefined>(list.length),
      remaining: jobs.length,
      onDone: progress,
      resolve: () => undefined,
      reject: () => undefined,
      settled: false,
    };
    const finished = new Promise<void>((resolve, reject) => {
      state.resolve = resolve;
      state.reject = reject;
    });
    scans.add(state);
    const baseOptions: TaskOptions = { config, now };
    if (options.onlyRules) baseOptions.onlyRules = options.onlyRules;
    if (options.partial) baseOptions.partial = true;
    const weightOf = (f: SourceFile): number =>
      f.size ?? (typeof f.content === 'string' ? f.content.length : (f.content?.length ?? 0));
    const newJobs: Job[] = jobs.map((j) => {
      const taskOptions = { ...baseOptions };
      const changed = options.changedLines?.get(j.file.path);
      if (options.changedLines && changed) taskOptions.changedLines = new Map([[j.file.path, changed]]);
      return { state, index: j.index, file: j.file, mode: j.mode, weight: weightOf(j.file), options: taskOptions };
    });
    // Largest first (stable: equal sizes keep input order), after work already queued.
    newJobs.sort((a, b) => b.weight - a.weight);
    queue.push(...newJobs);
    try {
      ensureThreads();
    } catch (err) {
      scans.delete(state);
      queue.splice(0, queue.length, ...queue.filter((j) => j.state !== state));
      throw err;
    }

    // Manifests on this thread, while the workers run.
    // (A Python manifest's progress is counted when its worker is done with it.)
    const mainOptions: ScanOptions = {
      ...options,
      now,
      onProgress: (_d, _t, path) => {
        if (!pythonManifests.has(path)) progress(path);
      },
    };
    let main: ScanResult;
    try {
      [main] = await Promise.all([scan(mainFiles, mainOptions), finished]);
    } catch (err) {
      // Abandon this scan's queued files; those in flight are ignored when they come back.
      if (!state.settled) {
        state.settled = true;
        scans.delete(state);
      }
      throw err;
    }

    // Per-file items of the main pass (skipped files, read errors) go to their file's place.
    const mainSkipped = new Map<string, SkippedFile[]>();
    for (const s of main.skipped) mainSkipped.set(s.path, [...(mainSkipped.get(s.path) ?? []), s]);
    const mainReadErrors = new Map<string, Diagnostic[]>();
    const depsDiagnostics: Diagnostic[] = [];
    for (const d of main.diagnostics) {
      if (d.kind === 'read-error') mainReadErrors.set(d.path, [...(mainReadErrors.get(d.path) ?? []), d]);
      else depsDiagnostics.push(d);
    }

    const result: ScanResult = {
      findings: [],
      notes: main.notes,
      dependencies: main.dependencies,
      suppressed: [],
      diagnostics: [],
      skipped: [],
      syntaxErrors: [],
      rules: main.rules,
      stats: { filesScanned: main.stats.filesScanned, filesSkipped: 0, lines: main.stats.lines, durationMs: 0 },
    };
    list.forEach((file, index) => {
      const part = state.parts[index];
      if (part) {
        result.findings.push(...part.findings);
        result.suppressed.push(...part.suppressed);
        result.diagnostics.push(...part.diagnostics);
        result.skipped.push(...part.skipped);
        result.syntaxErrors.push(...part.syntaxErrors);
        result.stats.filesScanned += part.filesScanned;
        result.stats.lines += part.lines;
        return;
      }
      const readErrors = mainReadErrors.get(file.path);
      if (readErrors?.length) result.diagnostics.push(readErrors.shift() as Diagnostic);
      const skipped = mainSkipped.get(file.path);
      if (skipped?.length) result.skipped.push(skipped.shift() as SkippedFile);
    });
    // Dependency results come after every file's results, as in scan().
    result.findings.push(...main.findings);
    result.suppressed.push(...main.suppressed);
    result.diagnostics.push(...depsDiagnostics);
    result.stats.filesSkipped = result.skipped.length;
    result.stats.durationMs = performance.now() - started;
    return result;
  };

  return {
    size,
    get threads() {
      return threads.size;
    },
    get spawned() {
      return spawned;
    },
    scan: poolScan,
    async warm() {
      entry ??= opts.workerUrl ?? workerEntry();
      while (!closed && threads.size < size) spawn();
      await Promise.all([...threads].filter((t) => !t.ready && !t.exited).map((t) => new Promise<void>((resolve) => t.onReady.push(resolve))));
      for (const t of threads) idle(t);
    },
    async close() {
      if (closed) return;
      closed = true;
      failAll(new Error('the scan pool was closed'));
      await Promise.all([...threads].map((t) => stopThread(t)));
      threads.clear();
    },
  };
}

/** Threads of a one-off pool: `--jobs`, else the CPU count (the pool starts fewer for few files). */
function oneOffSize(jobs: number | undefined): number {
  return Math.max(1, Math.floor(jobs ?? availableParallelism()));
}

/**
 * scan() on a pool of worker threads: `options.pool` when given (a long-lived pool), else a
 * pool of `options.jobs` threads (default: the machine's CPU count) started for this scan and
 * closed after it. Small inputs and `jobs: 1` run in-process.
 */
export async function scanInPool(
  files: Iterable<SourceFile> | readonly SourceFile[],
  options: ScanOptions & { pool?: ScanPool; jobs?: number },
): Promise<ScanResult> {
  const { pool, jobs, ...scanOptions } = options;
  if (pool) return pool.scan(files, scanOptions);
  const size = oneOffSize(jobs);
  if (size === 1) return scan(files, scanOptions);
  const oneOff = createScanPool({ size, oneOff: true });
  try {
    return await oneOff.scan(files, scanOptions);
  } finally {
    await oneOff.close();
  }
}

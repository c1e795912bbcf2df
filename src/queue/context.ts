/**
 * What a queue tells the job it runs: which attempt this is, whether another follows if it
 * throws, a signal that fires when the job should stop (a newer commit superseded it, or the
 * process is shutting down), and a small state that survives between attempts (the check run
 * the first attempt created, so a retry completes that one instead of opening a second).
 *
 * Both queues pass the context to the job and also run it inside `runInJobContext`, so code
 * that was not handed the context (a job closure that ignores its argument) still finds it
 * with `currentJobContext()`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** Kept between the attempts of one job (memory: in the queue; Redis: in the job's data). */
export interface ResumeState {
  /** The check run an earlier attempt created. */
  checkRunId?: number;
  /** Annotation batches an earlier attempt appended to that check run (see completeCheckRun). */
  annotationBatches?: { checkRunId: number; sent: number };
}

export interface JobContext {
  jobId: string;
  /** 1 for the first run. */
  attempt: number;
  /**
   * An earlier run of this attempt died without finishing (a worker killed mid-review; BullMQ's
   * stalled-job recovery runs it again): it may have created a check run it never saved.
   */
  recovered?: boolean;
  maxAttempts: number;
  /** No retry follows if this attempt throws: the review must complete its check run now. */
  final: boolean;
  /** Aborted with a `JobAborted` reason when the job should stop at its next step boundary. */
  signal: AbortSignal;
  /** Asks the queue now whether a newer job replaced this one (Redis: one GET); aborts `signal` if so. */
  refresh?: () => Promise<void>;
  /** What earlier attempts saved. */
  state: ResumeState;
  /** Save state for later attempts (best effort: a failure is logged by the queue, not thrown). */
  save(patch: ResumeState): Promise<void>;
}

/** Why a job was told to stop. */
export class JobAborted extends Error {
  constructor(
    readonly kind: 'superseded' | 'shutdown',
    /** The job id that replaced this one (superseded). */
    readonly by?: string,
  ) {
    super(kind === 'superseded' ? `superseded by ${by ?? 'a newer job'}` : 'the process is shutting down');
    this.name = 'JobAborted';
  }
}

/** The head SHA in a job id (`owner/repo#n@sha`), or the id itself. */
export function shaOfJobId(id: string): string {
  const at = id.lastIndexOf('@');
  return at >= 0 ? id.slice(at + 1) : id;
}

/** The queues' logger (Probot's pino, or a stub in tests). */
export interface QueueLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

const storage = new AsyncLocalStorage<JobContext>();

export function runInJobContext<T>(ctx: JobContext, fn: () => Promise<T>): Promise<T> {
  return storage.run(ctx, fn);
}

/** The context of the job this code runs in, if any. */
export function currentJobContext(): JobContext | undefined {
  return storage.getStore();
}

/**
 * Run sizes, seeds and the per-input time bound shared by every test/fuzz file.
 *
 * `npm test` runs a fixed CI size with a fixed seed. `npm run fuzz` sets PYSEC_FUZZ_RUNS (total
 * cases across all fuzz files, split by each property's `share`) and a random seed unless
 * PYSEC_FUZZ_SEED is given. fast-check prints the seed and the shrunk input on failure.
 */
import type fc from 'fast-check';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const TOTAL = Number(process.env.PYSEC_FUZZ_RUNS ?? 0);
export const NIGHTLY = TOTAL > 0;
const SEED = process.env.PYSEC_FUZZ_SEED !== undefined ? Number(process.env.PYSEC_FUZZ_SEED) : NIGHTLY ? undefined : 20260517;

/** CI: `ci` runs; nightly: `share` of PYSEC_FUZZ_RUNS. */
export function params(ci: number, share: number): fc.Parameters<unknown> {
  return { numRuns: NIGHTLY ? Math.max(1, Math.round(TOTAL * share)) : ci, ...(SEED !== undefined ? { seed: SEED } : {}) };
}

export const TIMEOUT = NIGHTLY ? 6 * 60 * 60 * 1000 : 60_000;

/** One input may take at most this long: catches catastrophic regex backtracking and hangs. */
export const MAX_MS = 2000;

export function elapsedCheck(what: string, t0: number): void {
  const ms = performance.now() - t0;
  if (ms > MAX_MS) throw new Error(`${what} took ${ms.toFixed(0)} ms (> ${MAX_MS} ms)`);
}

/**
 * Nightly runs push 10^5 inputs through one process: native tree-sitter memory is only freed by
 * the JS garbage collector, which the small JS heap rarely triggers: nightly runs collect every
 * so often, outside the timed region.
 */
let calls = 0;
let gc: (() => void) | undefined;
if (NIGHTLY) {
  // Jest's test context does not see `--expose-gc`'s global: take `gc` from a fresh context.
  setFlagsFromString('--expose-gc');
  gc = runInNewContext('gc') as () => void;
}
function collectNow(): void {
  if (gc && ++calls % 500 === 0) gc();
}

/**
 * Runs `fn` within the time bound. A hang or catastrophic backtracking is deterministic and
 * shows again on a second run; a garbage-collection pause or a busy machine does not. So a
 * slow input is run once more and fails only if it is slow twice.
 */
export function timed<T>(what: string, fn: () => T): T {
  collectNow();
  let t0 = performance.now();
  let out = fn();
  if (performance.now() - t0 > MAX_MS) {
    t0 = performance.now();
    out = fn();
    elapsedCheck(what, t0);
  }
  return out;
}

export async function timedAsync<T>(what: string, fn: () => Promise<T>): Promise<T> {
  collectNow();
  let t0 = performance.now();
  let out = await fn();
  if (performance.now() - t0 > MAX_MS) {
    t0 = performance.now();
    out = await fn();
    elapsedCheck(what, t0);
  }
  return out;
}

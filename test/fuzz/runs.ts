/**
 * Run sizes, seeds and the per-input time bound shared by every test/fuzz file.
 *
 * `npm test` runs a fixed CI size with a fixed seed. `npm run fuzz` sets PYSEC_FUZZ_RUNS (total
 * cases across all fuzz files, split by each property's `share`) and a random seed unless
 * PYSEC_FUZZ_SEED is given. fast-check prints the seed and the shrunk input on failure.
 */
import type fc from 'fast-check';

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

export function timed<T>(what: string, fn: () => T): T {
  const t0 = performance.now();
  const out = fn();
  elapsedCheck(what, t0);
  return out;
}

export async function timedAsync<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await fn();
  elapsedCheck(what, t0);
  return out;
}

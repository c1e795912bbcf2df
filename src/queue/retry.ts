/**
 * Which errors are worth another attempt, and how long to wait before it: shared by both
 * queues (./memory.ts, ./bullmq.ts) and by the review job, which rethrows a retryable GitHub
 * error to its queue while attempts remain (../github/job.ts).
 */

interface HttpishError {
  status?: unknown;
  code?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
  response?: { headers?: Record<string, unknown> };
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

function header(err: HttpishError, name: string): string | undefined {
  const value = err.response?.headers?.[name];
  return value === undefined || value === null ? undefined : String(value);
}

/**
 * Worth retrying: GitHub 5xx, 408, 429, a 403 that is a rate limit (primary: remaining 0;
 * secondary: `retry-after` or the message says so), timeouts and network errors.
 * Everything else (404, 422, a bug) fails the same way on every try.
 */
export function isRetryable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 3) return false;
  const e = err as HttpishError;
  const message = typeof e.message === 'string' ? e.message : '';
  if (typeof e.status === 'number') {
    if (e.status >= 500 || e.status === 408 || e.status === 429) return true;
    if (e.status === 403) {
      return (
        header(e, 'retry-after') !== undefined ||
        header(e, 'x-ratelimit-remaining') === '0' ||
        /secondary rate limit|rate limit exceeded|abuse detection/i.test(message)
      );
    }
    return false;
  }
  if (typeof e.code === 'string' && TRANSIENT_CODES.has(e.code)) return true;
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return true;
  // undici: `TypeError: fetch failed` with the socket error as its cause.
  if (e.cause !== undefined) return isRetryable(e.cause, depth + 1);
  return false;
}

/** True when the error (or its cause) is a request that timed out (Octokit wraps it as HTTP 500). */
export function isTimeout(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 3) return false;
  const e = err as HttpishError;
  if (e.name === 'TimeoutError' || e.code === 'ETIMEDOUT' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT') {
    return true;
  }
  return e.cause !== undefined && isTimeout(e.cause, depth + 1);
}

/** How long GitHub asked us to wait (`retry-after` seconds or date, or the primary limit's reset), in ms. */
export function retryAfterMs(err: unknown, now = Date.now()): number | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as HttpishError;
  const after = header(e, 'retry-after');
  if (after !== undefined) {
    const seconds = Number(after);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(after);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  if (header(e, 'x-ratelimit-remaining') === '0') {
    const reset = Number(header(e, 'x-ratelimit-reset'));
    if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now);
  }
  return undefined;
}

/** Exponential backoff with ±20 % jitter, never shorter than the server's `retry-after`. */
export function backoffDelay(attemptsMade: number, err: unknown, baseMs: number, maxMs: number): number {
  const exp = baseMs * 2 ** Math.max(0, attemptsMade - 1);
  const jittered = exp * (0.8 + Math.random() * 0.4);
  const wanted = Math.max(jittered, retryAfterMs(err) ?? 0);
  return Math.round(Math.min(maxMs, wanted));
}

/** A short, secret-free description of an error (Octokit errors carry request headers: never log them whole). */
export function describeFailure(err: unknown): string {
  if (isTimeout(err)) return 'request timed out';
  if (err && typeof err === 'object') {
    const e = err as HttpishError;
    const status = typeof e.status === 'number' ? `HTTP ${e.status}: ` : '';
    return `${status}${String(e.message ?? err).split('\n')[0]}`.slice(0, 500);
  }
  return String(err).slice(0, 500);
}

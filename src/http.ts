/**
 * Operational HTTP endpoints, added to Probot's server through `addHandler` (see src/app.ts):
 *
 * - `GET /metrics`: Prometheus text format from the app's own registry.
 * - `GET /healthz`: 200 `ok` while the process runs (liveness).
 * - `GET /readyz`: 200 `ready`, or 503 with the reason when the readiness probe (e.g. a Redis
 *   PING for the queue) fails, throws or takes longer than `readyTimeoutMs`.
 *
 * Anything else falls through (returns false) to Probot's next handler.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

/** True when ready; false or a reason (string) when not. */
export type ReadinessProbe = () => Promise<boolean | string>;

export interface HttpHandlerOptions {
  registry: Registry;
  ready?: ReadinessProbe;
  /** A probe slower than this counts as not ready. Default 2000 ms. */
  readyTimeoutMs?: number;
}

export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** The probe's verdict: `true`, or the reason it is not ready (never throws). */
export async function checkReadiness(probe: ReadinessProbe | undefined, timeoutMs = 2000): Promise<true | string> {
  if (!probe) return true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`readiness check timed out after ${timeoutMs} ms`), timeoutMs);
  });
  try {
    const verdict = await Promise.race([probe(), timeout]);
    if (verdict === true) return true;
    if (typeof verdict === 'string') return verdict || 'not ready';
    return 'not ready';
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return `readiness check failed: ${message.split('\n')[0]?.slice(0, 200)}`;
  } finally {
    clearTimeout(timer);
  }
}

export function createHttpHandler(opts: HttpHandlerOptions): HttpHandler {
  const text = (res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): true => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    return true;
  };
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = (req.url ?? '').split('?')[0];
    switch (path) {
      case '/metrics':
        return text(res, 200, await opts.registry.metrics(), opts.registry.contentType);
      case '/healthz':
        return text(res, 200, 'ok');
      case '/readyz': {
        const verdict = await checkReadiness(opts.ready, opts.readyTimeoutMs);
        return verdict === true ? text(res, 200, 'ready') : text(res, 503, `not ready: ${verdict}`);
      }
      default:
        return false;
    }
  };
}

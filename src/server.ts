/**
 * The app's HTTP server (what `npm start` runs): Probot's application and handlers, behind a
 * lean webhook receiver.
 *
 * Probot's own server answers a delivery only after its webhook pipeline has built and
 * authenticated an Octokit for the event and every handler has returned. At 200 concurrent
 * deliveries on a 2-core machine that per-event work is most of the event loop's time, and
 * GitHub's 10 s delivery timeout (and a required check that depends on it) makes the ack the
 * thing to keep short. This receiver verifies the signature and parses the payload itself;
 * pull request events go straight to the review queue (`FastReceiver`, no per-event client:
 * the review builds one when it runs), everything else goes through `probot.webhooks.receive`
 * exactly as Probot's middleware would. The delivery is answered after the enqueue (or the
 * handlers) finished: 200, or 500 when they failed, so GitHub shows it as failed and it can be
 * redelivered.
 *
 * Also served: `GET /ping` (PONG, Docker's HEALTHCHECK), and whatever the app adds through
 * `addHandler` (/metrics, /healthz, /readyz).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApplicationFunction, Probot } from 'probot';
import type { FastReceiver } from './github/handlers.js';
import type { HttpHandler } from './http.js';

/** GitHub caps webhook payloads at 25 MB. */
export const MAX_PAYLOAD_BYTES = 25 * 1024 * 1024;

export interface ServerOptions {
  probot: Probot;
  /** The app, given the callback that hands its fast path to the receiver (`createApp({ onFastPath })`). */
  app: (onFastPath: (receive: FastReceiver) => void) => ApplicationFunction;
  /** WEBHOOK_SECRET: every delivery's X-Hub-Signature-256 is checked against it. */
  secret: string;
  webhookPath?: string;
  port?: number;
  host?: string;
  /** Larger deliveries are refused with 413 (default `MAX_PAYLOAD_BYTES`). */
  maxPayloadBytes?: number;
}

export interface RunningServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** `sha256=<hex>` of the body under the secret, compared in constant time. */
export function verifySignature(secret: string, body: Buffer, header: string | undefined): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const given = Buffer.from(header.slice(7), 'hex');
  const expected = createHmac('sha256', secret).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new HttpError(413, `payload larger than ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, `payload larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const { probot } = opts;
  const webhookPath = opts.webhookPath ?? '/api/github/webhooks';
  const added: HttpHandler[] = [];
  let fastPath: FastReceiver | undefined;
  const app = opts.app((receive) => {
    fastPath = receive;
  });
  await probot.load(app, { cwd: process.cwd(), addHandler: (h) => void added.push(h as HttpHandler) });
  const log = probot.log;

  const text = (res: ServerResponse, status: number, body: string): void => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
  };

  const webhook = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const id = header(req, 'x-github-delivery');
    const name = header(req, 'x-github-event');
    const signature = header(req, 'x-hub-signature-256');
    if (!id || !name || !signature) {
      return text(res, 400, 'missing X-GitHub-Delivery, X-GitHub-Event or X-Hub-Signature-256');
    }
    const body = await readBody(req, opts.maxPayloadBytes ?? MAX_PAYLOAD_BYTES);
    if (!verifySignature(opts.secret, body, signature)) {
      log.warn({ delivery: id, event: name }, 'webhook signature does not match: delivery refused');
      return text(res, 401, 'signature does not match');
    }
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      return text(res, 400, 'payload is not JSON');
    }
    try {
      const fast = fastPath?.({ id, name, payload }) ?? null;
      if (fast) await fast;
      else await probot.webhooks.receive({ id, name, payload } as never);
      text(res, 200, 'ok');
    } catch (err) {
      // The handlers logged their own errors; the answer says the delivery was not handled.
      log.error({ delivery: id, event: name, err: err instanceof Error ? err.message : String(err) }, 'webhook handling failed');
      text(res, 500, 'webhook handling failed');
    }
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const handle = async (): Promise<void> => {
      if (path === webhookPath && req.method === 'POST') return webhook(req, res);
      if (path === '/ping' && (req.method === 'GET' || req.method === 'HEAD')) return text(res, 200, 'PONG');
      for (const h of added) if (await h(req, res)) return;
      text(res, 404, 'not found');
    };
    handle().catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      if (!(err instanceof HttpError)) log.error({ err: err instanceof Error ? err.message : String(err) }, 'request failed');
      if (!res.headersSent) text(res, status, err instanceof HttpError ? err.message : 'internal error');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 3000, opts.host, () => resolve());
  });
  // Node loads its fetch implementation (undici) on the first call, tens of milliseconds of
  // the event loop; without this the first burst of deliveries pays it while reviews start.
  await fetch('data:,').catch(() => undefined);
  const port = (server.address() as AddressInfo).port;
  log.info(`pysec listening on http://${opts.host ?? 'localhost'}:${port}${webhookPath}`);
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

/**
 * The app's own webhook receiver (src/server.ts) over real HTTP on 127.0.0.1: signature
 * checks, the fast path for pull request events (queued without Probot's per-event client),
 * everything else through Probot, and the answers for bad input. The review itself is the
 * subject of test/e2e/app.e2e.test.ts; here the queue only records what it was given.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { Probot } from 'probot';
import { createApp } from '../src/app.js';
import type { Job, JobQueue } from '../src/queue/memory.js';
import { startServer, verifySignature, type RunningServer } from '../src/server.js';
import { HEAD_SHA, loadEvent, testPrivateKey } from './helpers/app.js';

const SECRET = 'server-test-secret';
const sign = (body: string, secret = SECRET): string => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('verifySignature', () => {
  const body = Buffer.from('{"zen":"Keep it logically awesome."}');
  it.each([
    ['the right signature', sign(body.toString()), true],
    ['another secret', sign(body.toString(), 'other'), false],
    ['sha1 only', `sha1=${createHmac('sha1', SECRET).update(body).digest('hex')}`, false],
    ['truncated', sign(body.toString()).slice(0, 40), false],
    ['not hex', 'sha256=zz', false],
    ['empty', '', false],
    ['absent', undefined, false],
  ])('%s', (_name, header, ok) => {
    expect(verifySignature(SECRET, body, header)).toBe(ok);
  });
});

describe('the webhook receiver', () => {
  const added: Job[] = [];
  let failAdds = false;
  const queue: JobQueue = {
    add(job) {
      if (failAdds) return Promise.reject(new Error('redis is down'));
      added.push(job);
      return true;
    },
    onIdle: async () => undefined,
    size: () => ({ waiting: 0, running: 0, delayed: 0 }) as never,
  };
  const received: string[] = [];
  let server: RunningServer;
  let url = '';

  beforeAll(async () => {
    const probot = new Probot({ appId: 1, privateKey: testPrivateKey(), secret: SECRET, logLevel: 'fatal', baseUrl: 'http://127.0.0.1:9/api/v3' });
    server = await startServer({
      probot,
      app: (onFastPath) => (app, options) => {
        // Events that are not on the fast path reach Probot's handlers.
        app.on('issue_comment.created', async (context) => void received.push(`${context.name}:${context.id}`));
        app.on('installation.created', async () => {
          throw new Error('handler failed');
        });
        return createApp({ queue, onFastPath, scanPool: false })(app, options);
      },
      secret: SECRET,
      host: '127.0.0.1',
      port: 0,
      maxPayloadBytes: 64 * 1024,
    });
    url = `http://127.0.0.1:${server.port}`;
  });

  afterAll(async () => {
    await server.close();
  });

  const deliver = (name: string, payload: unknown, over: Record<string, string> = {}): Promise<Response> => {
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    return fetch(`${url}/api/github/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': name, 'x-github-delivery': 'd-1', 'x-hub-signature-256': sign(body), ...over },
      body,
    });
  };

  it('queues a pull request review on the fast path and answers 200', async () => {
    const before = added.length;
    const res = await deliver('pull_request', loadEvent('pull_request.opened'));
    expect(res.status).toBe(200);
    expect(added.length).toBe(before + 1);
    expect(added[added.length - 1]?.id).toBe(`acme/shop#7@${HEAD_SHA}`);
    // The fast path counts the event as Probot's pipeline would have.
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/pysec_webhooks_received_total\{event="pull_request\.opened"\} 1/);
  });

  it('ignores pull request actions that ask for no review (closed) without queueing', async () => {
    const before = added.length;
    const payload = { ...loadEvent('pull_request.opened'), action: 'closed' };
    const res = await deliver('pull_request', payload);
    expect(res.status).toBe(200);
    expect(added.length).toBe(before);
  });

  it('sends other events through Probot', async () => {
    const res = await deliver('issue_comment', { action: 'created', issue: { number: 1 }, comment: { body: 'hi' }, repository: { name: 'shop', owner: { login: 'acme' } } }, { 'x-github-delivery': 'd-comment' });
    expect(res.status).toBe(200);
    expect(received).toContain('issue_comment:d-comment');
  });

  it('answers 500 when the enqueue or a handler fails, so GitHub can redeliver', async () => {
    failAdds = true;
    try {
      expect((await deliver('pull_request', loadEvent('pull_request.opened'))).status).toBe(500);
    } finally {
      failAdds = false;
    }
    expect((await deliver('installation', { action: 'created', installation: { id: 1 } })).status).toBe(500);
  });

  it.each([
    ['a bad signature', { 'x-hub-signature-256': sign('{}', 'wrong') }, 401],
    ['no signature', { 'x-hub-signature-256': '' }, 400],
    ['no event name', { 'x-github-event': '' }, 400],
  ])('refuses %s without queueing', async (_name, headers, status) => {
    const before = added.length;
    const res = await deliver('pull_request', loadEvent('pull_request.opened'), headers);
    expect(res.status).toBe(status);
    expect(added.length).toBe(before);
  });

  it('refuses a signed body that is not JSON with 400', async () => {
    expect((await deliver('pull_request', '{"not json')).status).toBe(400);
  });

  it('refuses a payload over the limit with 413', async () => {
    const res = await deliver('pull_request', { pad: 'x'.repeat(70 * 1024) });
    expect(res.status).toBe(413);
  });

  it('serves /ping, the app handlers, and 404 for the rest', async () => {
    expect(await (await fetch(`${url}/ping`)).text()).toBe('PONG');
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/nope`)).status).toBe(404);
    expect((await fetch(`${url}/api/github/webhooks`)).status).toBe(404);
  });
});

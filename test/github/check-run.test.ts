import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { defaultConfig } from '../../src/config/schema.js';
import type { Finding, Severity } from '../../src/core/types.js';
import {
  MAX_ANNOTATIONS,
  annotationFor,
  annotationsFor,
  batches,
  completeCheckRun,
  createCheckRun,
  failCheckRun,
  type Annotation,
} from '../../src/github/check-run.js';
import type { ChangedFile, PublishInput, PublishOutcome } from '../../src/github/contracts.js';
import { checkRunSummary } from '../../src/github/summary.js';
import { ZWSP } from '../../src/report/escape.js';
import type { ScanResult } from '../../src/scan/index.js';
import { GITHUB_ORIGIN, testClient, testPr } from '../helpers/github.js';
import { scanResult } from '../helpers/scan-result.js';

const NOW = new Date('2025-06-01T12:00:00.000Z');
const now = (): Date => NOW;
const API = '/api/v3/repos/acme/shop';
const DOCS = 'https://github.com/pysec-dev/pysec/blob/main/docs/rules/';

let n = 0;
function mk(severity: Severity, overrides: Partial<Finding> = {}): Finding {
  n++;
  return {
    ruleId: 'tls-verify-disabled',
    area: 'sensitive-data',
    severity,
    confidence: 'high',
    messageId: 'off',
    message: '`verify=False` turns off certificate checks for `requests.get`.',
    path: 'app/client.py',
    range: { start: { line: 10, column: 22 }, end: { line: 10, column: 34 } },
    statementLines: { start: 10, end: 10 },
    snippet: 'verify=False',
    cwe: ['CWE-295'],
    owasp: ['A02:2021'],
    fingerprint: n.toString(16).padStart(32, '0'),
    ...overrides,
  };
}

const CLIENT_PY: ChangedFile = { path: 'app/client.py', status: 'modified', kind: 'python' };

function result(findings: Finding[]): ScanResult {
  return scanResult(findings, { stats: { filesScanned: 1, filesSkipped: 0, lines: 40, durationMs: 80 } });
}

function input(findings: Finding[], files: ChangedFile[] = [CLIENT_PY]): PublishInput {
  return {
    client: testClient(),
    pr: testPr(),
    config: defaultConfig(),
    result: result(findings),
    gathered: { files, sources: [], skipped: [], truncated: false, apiCalls: 3 },
    checkRunId: 4242,
    notices: [],
    elapsedMs: 2_000,
  };
}

describe('annotationFor', () => {
  it.each<[Severity, Annotation['annotation_level']]>([
    ['critical', 'failure'],
    ['high', 'failure'],
    ['medium', 'warning'],
    ['low', 'notice'],
  ])('%s → %s', (severity, level) => {
    expect(annotationFor(mk(severity)).annotation_level).toBe(level);
  });

  it('has columns on one line only (end column inclusive)', () => {
    const f = mk('high');
    expect(annotationFor(f)).toEqual({
      path: 'app/client.py',
      start_line: 10,
      end_line: 10,
      start_column: 22,
      end_column: 33,
      annotation_level: 'failure',
      title: 'tls-verify-disabled',
      message: '`verify=False` turns off certificate checks for `requests.get`.',
      raw_details: `Severity: high, confidence: high. CWE-295, A02:2021\nDocs: ${DOCS}tls-verify-disabled.md`,
    });
    const multi = annotationFor(mk('medium', { range: { start: { line: 3, column: 5 }, end: { line: 6, column: 2 } } }));
    expect(multi).toMatchObject({ start_line: 3, end_line: 6 });
    expect(multi).not.toHaveProperty('start_column');
    expect(multi).not.toHaveProperty('end_column');
  });

  it('annotates only findings in changed files, most severe first', () => {
    const fs = [mk('low'), mk('critical', { path: 'untouched.py' }), mk('high')];
    expect(annotationsFor(fs, new Set(['app/client.py'])).map((a) => a.annotation_level)).toEqual(['failure', 'notice']);
  });
});

describe('batches', () => {
  it.each([
    [0, [0]],
    [1, [1]],
    [50, [50]],
    [51, [50, 1]],
    [120, [50, 50, 20]],
  ])('%d items → %j', (count, sizes) => {
    expect(batches(Array.from({ length: count }, (_, i) => i)).map((b) => b.length)).toEqual(sizes);
  });
});

describe('check runs (nock)', () => {
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  afterEach(() => nock.cleanAll());

  function checkRunResponse(id: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      id,
      node_id: `CR_${id}`,
      head_sha: 'a'.repeat(40),
      external_id: '7',
      name: 'pysec',
      status: 'in_progress',
      conclusion: null,
      html_url: `https://github.com/acme/shop/runs/${id}`,
      output: { title: null, summary: null, text: null, annotations_count: 0 },
      pull_requests: [],
      ...extra,
    };
  }

  it('createCheckRun: in_progress on the head SHA with the PR number in external_id', async () => {
    let sent: unknown;
    const scope = nock(GITHUB_ORIGIN)
      .post(`${API}/check-runs`, (b) => ((sent = b), true))
      .reply(201, checkRunResponse(4242));
    const id = await createCheckRun(testClient(), testPr(), { now, detailsUrl: 'https://pysec.example.com/runs/1' });
    expect(id).toBe(4242);
    expect(sent).toEqual({
      name: 'pysec',
      head_sha: 'a'.repeat(40),
      status: 'in_progress',
      started_at: '2025-06-01T12:00:00.000Z',
      external_id: '7',
      details_url: 'https://pysec.example.com/runs/1',
    });
    expect(scope.isDone()).toBe(true);
    expect(nock.isDone()).toBe(true);
  });

  it('completeCheckRun: one PATCH with conclusion, output and annotations for a small run', async () => {
    const high = mk('high');
    const low = mk('low', { range: { start: { line: 20, column: 1 }, end: { line: 22, column: 5 } } });
    const elsewhere = mk('critical', { path: 'lib/untouched.py' });
    const outcome: PublishOutcome = {
      posted: 1,
      alreadyCommented: 0,
      overflow: 0,
      resolved: 0,
      conclusion: 'failure',
      placement: { [high.fingerprint]: 'posted', [low.fingerprint]: 'outside-diff', [elsewhere.fingerprint]: 'outside-diff' },
    };
    const inp = input([high, low, elsewhere]);
    const bodies: Record<string, unknown>[] = [];
    const scope = nock(GITHUB_ORIGIN)
      .patch(`${API}/check-runs/4242`, (b) => (bodies.push(b), true))
      .reply(200, checkRunResponse(4242, { status: 'completed', conclusion: 'failure' }));

    const requests = await completeCheckRun(inp, outcome, { now });
    expect(requests).toBe(1);
    expect(bodies).toHaveLength(1);
    const body = bodies[0] as { output: { text: string } };
    expect(body).toEqual({
      status: 'completed',
      conclusion: 'failure',
      completed_at: '2025-06-01T12:00:00.000Z',
      output: {
        title: '3 findings: 1 critical, 1 high, 1 low',
        summary: checkRunSummary(inp, outcome),
        text: expect.any(String),
        annotations: [annotationFor(high), annotationFor(low)],
      },
    });
    // The text lists the two findings without an inline comment, not the posted one.
    expect(body.output.text).toContain('`app/client.py:20`');
    expect(body.output.text).toContain('`lib/untouched.py:10`');
    expect(body.output.text.match(/^- /gm)).toHaveLength(2);
    expect(scope.isDone()).toBe(true);
    expect(nock.isDone()).toBe(true);
  });

  it('completeCheckRun: 120 annotations → 3 PATCHes (50, 50, 20), only the last completes the run', async () => {
    const fs = Array.from({ length: 120 }, (_, i) =>
      mk(i % 2 === 0 ? 'high' : 'medium', { range: { start: { line: i + 1, column: 1 }, end: { line: i + 1, column: 9 } } }),
    );
    const outcome: PublishOutcome = { posted: 30, alreadyCommented: 0, overflow: 90, resolved: 0, conclusion: 'failure' };
    const inp = input(fs);
    const bodies: { status?: string; conclusion?: string; completed_at?: string; output: { title: string; summary: string; text?: string; annotations?: Annotation[] } }[] = [];
    const scope = nock(GITHUB_ORIGIN)
      .patch(`${API}/check-runs/4242`, (b) => (bodies.push(b), true))
      .times(3)
      .reply(200, checkRunResponse(4242));

    const requests = await completeCheckRun(inp, outcome, { now });
    expect(requests).toBe(3);
    expect(bodies.map((b) => b.output.annotations?.length)).toEqual([50, 50, 20]);
    expect(bodies.map((b) => b.status)).toEqual([undefined, undefined, 'completed']);
    expect(bodies.map((b) => b.conclusion)).toEqual([undefined, undefined, 'failure']);
    expect(bodies.filter((b) => 'completed_at' in b)).toHaveLength(1);
    // Every annotation exactly once, most severe first.
    const sent = bodies.flatMap((b) => b.output.annotations ?? []);
    expect(sent).toHaveLength(120);
    expect(new Set(sent.map((a) => a.start_line)).size).toBe(120);
    expect(sent.slice(0, 60).every((a) => a.annotation_level === 'failure')).toBe(true);
    // Title and summary go with every update (GitHub requires them with output); text with the last.
    expect(bodies.every((b) => b.output.title === '120 findings: 60 high, 60 medium')).toBe(true);
    expect(bodies.map((b) => 'text' in b.output)).toEqual([false, false, true]);
    expect(scope.isDone()).toBe(true);
    expect(nock.isDone()).toBe(true);
  });

  it('completeCheckRun after a failed attempt: resumes after the batches already appended, and reports progress', async () => {
    const fs = Array.from({ length: 120 }, (_, i) =>
      mk('high', { range: { start: { line: i + 1, column: 1 }, end: { line: i + 1, column: 9 } } }),
    );
    const outcome: PublishOutcome = { posted: 30, alreadyCommented: 0, overflow: 90, resolved: 0, conclusion: 'failure' };
    const bodies: { status?: string; output: { annotations?: Annotation[] } }[] = [];
    const scope = nock(GITHUB_ORIGIN)
      .patch(`${API}/check-runs/4242`, (b) => (bodies.push(b), true))
      .times(2)
      .reply(200, checkRunResponse(4242));
    const progress: number[] = [];
    const requests = await completeCheckRun(input(fs), outcome, { now, batchesSent: 1, onBatch: async (n) => void progress.push(n) });
    expect(requests).toBe(2);
    // The first 50 went with the earlier attempt: lines 51..120 now, each once.
    expect(bodies.map((b) => b.output.annotations?.length)).toEqual([50, 20]);
    expect(bodies.flatMap((b) => b.output.annotations ?? []).map((a) => a.start_line)).toEqual(Array.from({ length: 70 }, (_, i) => i + 51));
    expect(bodies.map((b) => b.status)).toEqual([undefined, 'completed']);
    expect(progress).toEqual([2]);
    expect(scope.isDone()).toBe(true);
  });

  it(`completeCheckRun: at most ${MAX_ANNOTATIONS} annotations, noted in the summary`, async () => {
    const fs = Array.from({ length: MAX_ANNOTATIONS + 7 }, () => mk('low'));
    const bodies: { output: { summary: string; annotations?: Annotation[] } }[] = [];
    const scope = nock(GITHUB_ORIGIN)
      .patch(`${API}/check-runs/4242`, (b) => (bodies.push(b), true))
      .times(MAX_ANNOTATIONS / 50)
      .reply(200, checkRunResponse(4242));
    const requests = await completeCheckRun(input(fs), { posted: 0, alreadyCommented: 0, overflow: 0, resolved: 0, conclusion: 'success' }, { now });
    expect(requests).toBe(20);
    expect(bodies.flatMap((b) => b.output.annotations ?? [])).toHaveLength(MAX_ANNOTATIONS);
    expect(bodies[19]?.output.summary).toContain('7 annotations left out (at most 1,000 per run).');
    expect(scope.isDone()).toBe(true);
    expect(nock.isDone()).toBe(true);
  });

  it('completeCheckRun: a clean run sends no annotations and no text', async () => {
    let sent: unknown;
    const scope = nock(GITHUB_ORIGIN)
      .patch(`${API}/check-runs/4242`, (b) => ((sent = b), true))
      .reply(200, checkRunResponse(4242));
    const inp = input([]);
    const outcome: PublishOutcome = { posted: 0, alreadyCommented: 0, overflow: 0, resolved: 0, conclusion: 'success' };
    await completeCheckRun(inp, outcome, { now });
    expect(sent).toEqual({
      status: 'completed',
      conclusion: 'success',
      completed_at: '2025-06-01T12:00:00.000Z',
      output: { title: 'No security findings', summary: checkRunSummary(inp, outcome) },
    });
    expect(scope.isDone()).toBe(true);
    expect(nock.isDone()).toBe(true);
  });

  it.each<['neutral' | 'failure' | 'cancelled', string]>([
    ['neutral', 'pysec could not complete the scan'],
    ['failure', 'Security findings: details could not be published'],
    ['cancelled', 'pysec scan cancelled'],
  ])('failCheckRun(%s) completes the run with an escaped message', async (conclusion, title) => {
    let sent: unknown;
    const scope = nock(GITHUB_ORIGIN)
      .patch(`${API}/check-runs/4242`, (b) => ((sent = b), true))
      .reply(200, checkRunResponse(4242));
    await failCheckRun(testClient(), testPr(), 4242, 'GitHub answered 502 for `src/<script>.py` @admin <b>x</b>\n\nretry later', conclusion, { now });
    expect(sent).toEqual({
      status: 'completed',
      conclusion,
      completed_at: '2025-06-01T12:00:00.000Z',
      output: {
        title,
        // The path stays a code span (literal inside it); markup and mentions outside are neutralised.
        summary: `GitHub answered 502 for \`src/<script>.py\` @${ZWSP}admin &lt;b&gt;x&lt;/b&gt;\n\nretry later`,
      },
    });
    expect(scope.isDone()).toBe(true);
    expect(nock.isDone()).toBe(true);
  });
});

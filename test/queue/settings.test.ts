import { describe, expect, it } from '@jest/globals';
import { availableParallelism } from 'node:os';
import { queueSettingsFromEnv } from '../../src/queue/index.js';

describe('queueSettingsFromEnv', () => {
  it('defaults: one review per CPU, 2 per installation, 5 attempts, 25 s grace, 30 s GitHub timeout', () => {
    expect(queueSettingsFromEnv({})).toEqual({
      concurrency: availableParallelism(),
      installationConcurrency: 2,
      attempts: 5,
      backoffMs: 2000,
      maxBackoffMs: 600_000,
      shutdownGraceMs: 25_000,
      githubTimeoutMs: 30_000,
    });
  });

  it('reads the PYSEC_* variables and ignores values that are not positive integers', () => {
    const s = queueSettingsFromEnv({
      PYSEC_CONCURRENCY: '6',
      PYSEC_INSTALLATION_CONCURRENCY: ' 3 ',
      PYSEC_ATTEMPTS: '0',
      PYSEC_SHUTDOWN_GRACE_MS: '10s',
      PYSEC_GITHUB_TIMEOUT_MS: '5000',
    });
    expect(s).toMatchObject({ concurrency: 6, installationConcurrency: 3, attempts: 5, shutdownGraceMs: 25_000, githubTimeoutMs: 5000 });
  });
});

/**
 * GitHub API test helpers. Tests never reach the network: clients point at a GHE-style
 * base URL on 127.0.0.1 that nock intercepts (no server listens there).
 */
import { Octokit } from '@octokit/rest';
import type { GitHubClient, PullRequestRef } from '../../src/github/contracts.js';

export const GITHUB_ORIGIN = 'http://127.0.0.1:3999';
/** REST base URL (GHE layout): `${GITHUB_ORIGIN}/api/v3`; GraphQL is `${GITHUB_ORIGIN}/api/graphql`. */
export const GITHUB_API = `${GITHUB_ORIGIN}/api/v3`;

export function testClient(): GitHubClient {
  return new Octokit({ baseUrl: GITHUB_API, auth: 'test-token', log: { debug() {}, info() {}, warn() {}, error() {} } });
}

export function testPr(overrides: Partial<PullRequestRef> = {}): PullRequestRef {
  return {
    owner: 'acme',
    repo: 'shop',
    number: 7,
    headSha: 'a'.repeat(40),
    baseSha: 'b'.repeat(40),
    headOwner: 'acme',
    headRepo: 'shop',
    draft: false,
    ...overrides,
  };
}

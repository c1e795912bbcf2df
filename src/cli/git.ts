/**
 * `pysec scan --base REF`: the lines changed since REF, from `git diff` parsed by the same
 * diff module the GitHub App uses.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseUnifiedDiff } from '../diff/index.js';
import type { ChangedLines } from '../scan/index.js';

const run = promisify(execFile);

export class GitError extends Error {}

async function git(cwd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    const detail = (e.stderr ?? e.message).trim().split('\n')[0];
    throw new GitError(`git ${args[0]} failed: ${detail}`);
  }
}

/**
 * Lines changed in the working tree since the point where the current branch left REF
 * (their merge base, like a pull request), plus untracked files in full. Paths are
 * relative to `cwd`.
 */
export async function changedLinesSince(cwd: string, ref: string): Promise<ChangedLines> {
  if (ref.startsWith('-')) throw new GitError(`invalid ref "${ref}"`);
  await git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => {
    throw new GitError(`unknown git ref "${ref}" (is this a git repository, and was the ref fetched?)`);
  });
  let base = ref;
  try {
    base = (await git(cwd, ['merge-base', ref, 'HEAD'])).trim() || ref;
  } catch {
    // No common history (or no HEAD yet): compare with REF itself.
  }
  const diff = await git(cwd, ['diff', '--relative', '--no-color', '--no-ext-diff', '--unified=0', '-M', base, '--']);
  const out = new Map<string, ReadonlySet<number> | 'all'>();
  for (const [path, changes] of parseUnifiedDiff(diff)) out.set(path, changes.added);
  const untracked = await git(cwd, ['ls-files', '--others', '--exclude-standard', '-z']);
  for (const path of untracked.split('\0')) if (path) out.set(path, 'all');
  return out;
}

/**
 * Runs the CLI's `main()` in-process with captured output: not a terminal, so no colour and
 * no progress line, unless the caller says otherwise.
 */
import { main, type CliIO } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], io: Pick<CliIO, 'cwd' | 'env'> & Partial<CliIO>): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    stdoutIsTTY: false,
    stderrIsTTY: false,
    ...io,
  });
  return { code, stdout, stderr };
}

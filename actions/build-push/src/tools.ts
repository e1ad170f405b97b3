import { getExecOutput } from '@actions/exec';
import { ActionFailure } from '@ecs-deploy/core/common';

export interface RunOptions {
  env?: Record<string, string>;
  /** Written to the tool's stdin, e.g. a password for `--password-stdin`. */
  input?: string;
  /** Keep the tool's output out of the log (probes). */
  silent?: boolean;
}

/** Runs a tool, streaming its output to the log; fails with the tail of its output when it exits non-zero. */
export async function run(tool: string, args: string[], options: RunOptions = {}): Promise<string> {
  const result = await getExecOutput(tool, args, {
    env: { ...(process.env as Record<string, string>), ...options.env },
    input: options.input === undefined ? undefined : Buffer.from(options.input),
    silent: options.silent,
    ignoreReturnCode: true,
  });
  const output = `${result.stdout}\n${result.stderr}`;
  if (result.exitCode !== 0) {
    const tail = output.trim().split('\n').slice(-10).join('\n');
    throw new ActionFailure(`${tool} ${args.slice(0, 2).join(' ')} failed with exit code ${result.exitCode}:\n${tail}`);
  }
  return output;
}

/** True when the tool runs at all (installed, and for docker plugins, present). */
export async function works(tool: string, args: string[]): Promise<boolean> {
  try {
    const result = await getExecOutput(tool, args, { silent: true, ignoreReturnCode: true });
    return result.exitCode === 0;
  } catch {
    return false;
  }
}

import { getExecOutput } from '@actions/exec';
import type { CommandExecutor } from '../common/command-runner';

/** The runner's way to run a tool: its output streams into the job log, its environment is the step's plus `env`. */
export const actionsExec: CommandExecutor = (tool, args, options) =>
  getExecOutput(tool, args, {
    env: { ...(process.env as Record<string, string>), ...options.env },
    input: options.input === undefined ? undefined : Buffer.from(options.input),
    silent: options.silent,
    ignoreReturnCode: true,
  });

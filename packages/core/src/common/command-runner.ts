import { ActionFailure } from './errors';

export interface ExecOptions {
  /** Added to the process's environment. */
  env?: Record<string, string>;
  /** Written to the tool's stdin, e.g. a password for `--password-stdin`. */
  input?: string;
  /** Keep the tool's output out of the log (probes). */
  silent?: boolean;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a program to its end, streaming its output to the log unless silent (platform's actionsExec on a runner,
 * a script in tests). Answers whatever the exit code; rejects only when the program cannot be started.
 */
export type CommandExecutor = (tool: string, args: string[], options: ExecOptions) => Promise<ExecResult>;

/** The tools a use case runs, over one executor. */
export class CommandRunner {
  constructor(private readonly exec: CommandExecutor) {}

  /** Runs a tool; fails with the tail of its output when it exits non-zero. */
  async run(tool: string, args: string[], options: ExecOptions = {}): Promise<string> {
    const result = await this.exec(tool, args, options);
    const output = `${result.stdout}\n${result.stderr}`;
    if (result.exitCode !== 0) {
      const tail = output.trim().split('\n').slice(-10).join('\n');
      throw new ActionFailure(`${tool} ${args.slice(0, 2).join(' ')} failed with exit code ${result.exitCode}:\n${tail}`);
    }
    return output;
  }

  /** The tool's stdout when it exits 0, undefined otherwise or when it cannot start; kept out of the log (probes). */
  async read(tool: string, args: string[], env?: Record<string, string>): Promise<string | undefined> {
    try {
      const result = await this.exec(tool, args, { silent: true, env });
      return result.exitCode === 0 ? result.stdout : undefined;
    } catch {
      return undefined;
    }
  }

  /** True when the tool runs at all (installed, and for docker plugins, present). */
  async works(tool: string, args: string[]): Promise<boolean> {
    try {
      const result = await this.exec(tool, args, { silent: true });
      return result.exitCode === 0;
    } catch {
      return false;
    }
  }
}

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FakeGitHub } from '../../packages/core/test/support/fake-github';
import { node24 } from './node24';
import { describeLeaks, findLeaks, registeredSecrets, secretsInInputs } from './secret-sweep';

export interface LoggedLine {
  at: number;
  text: string;
}

export interface ActionRun {
  exitCode: number | null;
  artifacts: RunArtifacts;
  /** stdout and stderr lines in arrival order, each with the moment the test process received it. */
  lines: LoggedLine[];
  log: string;
  outputs: Record<string, string>;
  summary: string;
  startedAt: number;
  finishedAt: number;
  /** When `interrupt` sent its signal, if it did. */
  signalledAt?: number;
}

export interface RunOptions {
  env?: Record<string, string>;
  node?: string;
  cwd?: string;
  onLine?: (line: LoggedLine) => void;
  /**
   * Sweeps the run for secrets (on by default): the planted and registered ones and those of its own inputs. A
   * test that checks the sweep itself turns it off and calls sweepRun.
   */
  sweep?: boolean;
  /** Cancels the run as the runner does: sends `signal` (SIGINT, the runner's first) once `when` holds for a line. */
  interrupt?: { when: (line: LoggedLine) => boolean; signal?: NodeJS.Signals };
  /** A script to run instead of the action's bundle (the sweep's own tests). */
  entry?: string;
  /** More secrets for this run's sweep only. */
  secrets?: string[];
}

/** The raw material of a run the sweep reads: its files and what it sent to the fake GitHub. */
export interface RunArtifacts {
  outputFile: string;
  summaryFile: string;
  githubRequests: FakeGitHub['requests'];
}

/**
 * Runs a bundled action exactly as the runner does: `node dist/index.js` with inputs as INPUT_<NAME>
 * variables (upper case, hyphens kept), outputs to the file named by GITHUB_OUTPUT, the job summary to
 * GITHUB_STEP_SUMMARY. Nothing of the test process's environment leaks in but PATH and HOME.
 */
export async function runBundledAction(action: string, inputs: Record<string, string>, options: RunOptions = {}): Promise<ActionRun> {
  const workdir = mkdtempSync(join(tmpdir(), `${action}-`));
  const outputFile = join(workdir, 'output');
  const summaryFile = join(workdir, 'summary.md');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? workdir,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_WORKSPACE: options.cwd ?? workdir,
    RUNNER_TEMP: workdir,
    GITHUB_ACTIONS: 'true',
    ...options.env,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;

  const github = [...FakeGitHub.running].find((fake) => fake.url === env.GITHUB_API_URL);
  const requestsBefore = github?.requests.length ?? 0;
  const startedAt = Date.now();
  const child = spawn(options.node ?? node24(), [options.entry ?? resolve('actions', action, 'dist', 'index.js')], {
    env,
    cwd: options.cwd ?? workdir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LoggedLine[] = [];
  let signalledAt: number | undefined;
  const collect = (stream: NodeJS.ReadableStream) => {
    let buffer = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffer += chunk;
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const text of parts) {
        const line = { at: Date.now(), text };
        lines.push(line);
        options.onLine?.(line);
        if (options.interrupt && signalledAt === undefined && options.interrupt.when(line)) {
          signalledAt = Date.now();
          child.kill(options.interrupt.signal ?? 'SIGINT');
        }
      }
    });
    stream.on('end', () => {
      if (buffer) lines.push({ at: Date.now(), text: buffer });
    });
  };
  collect(child.stdout);
  collect(child.stderr);
  const exitCode = await new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  const finishedAt = Date.now();
  const artifacts: RunArtifacts = {
    outputFile: readFileSync(outputFile, 'utf8'),
    summaryFile: readFileSync(summaryFile, 'utf8'),
    githubRequests: github?.requests.slice(requestsBefore) ?? [],
  };
  const run: ActionRun = {
    exitCode,
    artifacts,
    lines,
    log: lines.map((line) => line.text).join('\n'),
    outputs: parseOutputFile(artifacts.outputFile),
    summary: artifacts.summaryFile,
    startedAt,
    finishedAt,
    signalledAt,
  };
  if (options.sweep !== false) sweepRun(run, [...secretsInInputs(inputs), ...(options.secrets ?? [])]);
  return run;
}

/**
 * Fails when the run let a secret out: the planted and registered ones and `extra`, in its log (unless masked
 * first), its output and summary files, or its requests to the fake GitHub. The message names the place and line
 * with the secret masked.
 */
export function sweepRun(run: ActionRun, extra: string[] = []): void {
  const leaks = findLeaks({ lines: run.lines.map((line) => line.text), ...run.artifacts }, [...registeredSecrets(), ...extra]);
  if (leaks.length) throw new Error(`The run leaked ${leaks.length} secret value(s):\n${describeLeaks(leaks)}`);
}

/** The runner's file format: `name<<DELIMITER`, value lines, `DELIMITER`. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i]);
    if (match) {
      const [, name, delimiter] = match;
      const value: string[] = [];
      for (i += 1; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]);
      outputs[name] = value.join('\n');
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=');
      outputs[lines[i].slice(0, at)] = lines[i].slice(at + 1);
    }
  }
  return outputs;
}

/** The message the step failed with (`::error::` lines), as a user sees it in the annotations. */
export function errorsOf(run: ActionRun): string[] {
  return run.lines.filter((line) => line.text.startsWith('::error')).map((line) => decodeCommand(line.text.replace(/^::error[^:]*::/, '')));
}

function decodeCommand(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionMetadata, hasBundle } from './action-metadata';
import { parseOutputFile, runBundledAction, type ActionRun, type LoggedLine } from './run-action';
import { condition, evaluateToString, type Contexts, type JobStatus } from './workflow-expressions';
import { Expression, suiteActionOf, type Value, type Workflow, type WorkflowJob, type WorkflowStep } from './workflow-model';

/** Stands in for a step this test does not run for real (a third-party action, a project's own test command). */
export type Fake = (inputs: Record<string, string>) => Record<string, string>;

export interface JobOptions {
  /** Variables every step's process gets: the sandbox's endpoint and credentials, GITHUB_* of the run. */
  env: Record<string, string>;
  /** The github context. */
  github: Record<string, unknown>;
  needs?: Record<string, { result: string; outputs: Record<string, string> }>;
  matrix?: Record<string, unknown>;
  inputs?: Record<string, unknown>;
  /** By `uses` without its @ref, or by a run step's `name` (or id): every step not run for real must be declared. */
  fakes: Record<string, Fake>;
  /** Working directory of run steps and actions (the checkout). */
  cwd?: string;
  /**
   * Values the test puts in place of what the template gives, by `job/step` id, e.g. a bake of minutes shortened to
   * seconds. Only inputs the template sets can be replaced, so the template's contract stays what is tested.
   */
  overrides?: Record<string, Record<string, string>>;
  /** $RUNNER_TEMP of the job; a fresh folder by default. */
  runnerTemp?: string;
  /**
   * Cancels the run as a person pressing "Cancel workflow" does: the step `step` (its id) gets the runner's SIGINT
   * once `when` holds for one of its log lines; from then on the run is cancelled, so only `always()` and
   * `cancelled()` steps run. Only a suite action's step can be cancelled this way.
   */
  cancel?: { step: string; when: (line: LoggedLine) => boolean };
}

export interface StepRecord {
  step: string;
  kind: 'suite-action' | 'fake' | 'run' | 'skipped';
  outcome: 'success' | 'failure' | 'skipped' | 'cancelled';
  inputs: Record<string, string>;
  outputs: Record<string, string>;
  /** A suite action's run; a run step's output and summary. */
  run?: ActionRun;
  log?: string;
  summary?: string;
  /** What a run step appended to $GITHUB_ENV. */
  exported?: Record<string, string>;
}

export interface JobResult {
  result: 'success' | 'failure' | 'cancelled';
  outputs: Record<string, string>;
  steps: StepRecord[];
}

/**
 * Runs one job of a workflow the way the runner does: steps in order, each `if:` evaluated with GitHub's
 * expression engine against the outputs real steps produced, `with:` evaluated into INPUT_* variables
 * (defaults from action.yml filled in), and this suite's actions run from their bundled dist/.
 * Nothing is skipped silently: a suite action without a bundle, an input its action.yml does not declare,
 * an output read that the action does not declare, or a step with neither a real runner nor a declared fake
 * throws.
 */
export async function runJob(workflow: Workflow, job: WorkflowJob, options: JobOptions): Promise<JobResult> {
  const status: JobStatus = { failed: false };
  const steps: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }> = {};
  const records: StepRecord[] = [];
  const base: Contexts = {
    github: options.github,
    needs: options.needs ?? {},
    matrix: options.matrix ?? {},
    inputs: options.inputs ?? {},
    vars: {},
    secrets: {},
    strategy: {},
    runner: { os: 'Linux', arch: 'X64', temp: tmpdir() },
  };
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...workflow.env, ...job.env }))
    env[name] = evaluateToString(value, { ...base, env }, status);
  const runnerTemp = options.runnerTemp ?? mkdtempSync(join(tmpdir(), 'runner-temp-'));

  for (const [index, step] of job.steps.entries()) {
    const label = step.id ?? step.name ?? `#${index + 1}`;
    const contexts: Contexts = { ...base, env, steps, job: { status: jobStatus(status) } };
    const stepEnv = { ...env };
    for (const [name, value] of Object.entries(step.env)) stepEnv[name] = evaluateToString(value, { ...contexts, env: stepEnv }, status);
    if (!condition(step.if, contexts, status)) {
      records.push({ step: label, kind: 'skipped', outcome: 'skipped', inputs: {}, outputs: {} });
      if (step.id) steps[step.id] = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
      continue;
    }
    const inputs = Object.fromEntries(
      Object.entries(step.with).map(([name, value]) => [name, evaluateToString(value, { ...contexts, env: stepEnv }, status)]),
    );
    for (const [name, value] of Object.entries(options.overrides?.[`${job.id}/${step.id}`] ?? {})) {
      if (!(name in inputs)) throw new Error(`The test overrides ${name} of step ${label}, which the template does not set.`);
      inputs[name] = value;
    }
    const interrupt = options.cancel && options.cancel.step === step.id ? { when: options.cancel.when } : undefined;
    const record = await runStep(step, label, inputs, stepEnv, { ...options, env: { ...options.env, RUNNER_TEMP: runnerTemp } }, interrupt);
    if (interrupt) {
      if (record.run?.signalledAt === undefined)
        throw new Error(`The test meant to cancel step ${label}, but no line of its log matched before it ended.`);
      status.cancelled = true;
      record.outcome = 'cancelled';
    }
    // $GITHUB_ENV lines a step wrote reach every later step, as on the runner.
    Object.assign(env, record.exported ?? {});
    records.push(record);
    const continueOnError =
      step['continue-on-error'] !== undefined && evaluateToString(step['continue-on-error'], contexts, status) === 'true';
    if (record.outcome === 'failure' && !continueOnError) status.failed = true;
    if (step.id)
      steps[step.id] = { outputs: record.outputs, outcome: record.outcome, conclusion: continueOnError ? 'success' : record.outcome };
  }
  const final: Contexts = { ...base, env, steps };
  const outputs = Object.fromEntries(Object.entries(job.outputs).map(([name, value]) => [name, evaluateToString(value, final, status)]));
  return { result: jobStatus(status), outputs, steps: records };
}

const jobStatus = (status: JobStatus) => (status.cancelled ? 'cancelled' : status.failed ? 'failure' : 'success');

async function runStep(
  step: WorkflowStep,
  label: string,
  inputs: Record<string, string>,
  env: Record<string, string>,
  options: JobOptions,
  interrupt?: { when: (line: LoggedLine) => boolean },
): Promise<StepRecord> {
  if (step.uses) {
    const action = suiteActionOf(step.uses);
    if (action) return runSuiteAction(action, label, inputs, env, options, interrupt);
    const fake = options.fakes[step.uses.replace(/@.*$/, '')];
    if (!fake) throw new Error(`Step ${label} uses ${step.uses}, which has no declared fake: declare one in the test.`);
    return { step: label, kind: 'fake', outcome: 'success', inputs, outputs: fake(inputs) };
  }
  if (interrupt) throw new Error(`Step ${label} is not one of this suite's actions: the test cannot cancel it.`);
  const fake = options.fakes[step.name ?? ''] ?? options.fakes[step.id ?? ''];
  if (fake) return { step: label, kind: 'fake', outcome: 'success', inputs, outputs: fake(inputs) };
  return runScript(step, label, env, options);
}

async function runSuiteAction(
  action: string,
  label: string,
  inputs: Record<string, string>,
  env: Record<string, string>,
  options: JobOptions,
  interrupt?: { when: (line: LoggedLine) => boolean },
): Promise<StepRecord> {
  const metadata = actionMetadata(action);
  if (!metadata || !hasBundle(action)) {
    throw new Error(
      `Step ${label} uses actions/${action}, which this checkout does not have (no action.yml or no dist/index.js); merge the branch that builds it.`,
    );
  }
  const undeclared = Object.keys(inputs).filter((name) => !(name in metadata.inputs));
  if (undeclared.length)
    throw new Error(`Step ${label} passes ${undeclared.join(', ')} to ${action}, whose action.yml declares no such input.`);
  const withDefaults: Record<string, string> = {};
  for (const [name, input] of Object.entries(metadata.inputs)) if (input.default !== undefined) withDefaults[name] = input.default;
  const given = { ...withDefaults, ...inputs };
  const run = await runBundledAction(action, given, { env: { ...options.env, ...env }, cwd: options.cwd, interrupt });
  return {
    step: label,
    kind: 'suite-action',
    outcome: run.exitCode === 0 ? 'success' : 'failure',
    inputs: given,
    outputs: run.outputs,
    run,
  };
}

/** A run step runs for real under bash, with its env and the runner's files; its script must be a literal. */
function runScript(step: WorkflowStep, label: string, env: Record<string, string>, options: JobOptions): StepRecord {
  if (step.run === undefined) throw new Error(`Step ${label} has neither uses nor run.`);
  if (step.run instanceof Expression) throw new Error(`Step ${label} puts an expression inside run: pass it through env instead.`);
  const dir = mkdtempSync(join(tmpdir(), 'run-step-'));
  const script = join(dir, 'step.sh');
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary');
  const envFile = join(dir, 'env');
  writeFileSync(envFile, '');
  writeFileSync(script, String(step.run));
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
    cwd: options.cwd ?? dir,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? dir,
      ...options.env,
      ...env,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_ENV: envFile,
    },
    encoding: 'utf8',
  });
  return {
    step: label,
    kind: 'run',
    outcome: result.status === 0 ? 'success' : 'failure',
    inputs: {},
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    log: `${result.stdout}${result.stderr}`,
    summary: readFileSync(summaryFile, 'utf8'),
    exported: parseOutputFile(readFileSync(envFile, 'utf8')),
  };
}

/** Every `steps.<id>.outputs.<name>` a job reads, with the action the step `<id>` uses. */
export function outputReads(job: WorkflowJob): { step: string; output: string; exists: boolean; uses?: string }[] {
  const text = JSON.stringify(job, (_, value: unknown) => (value instanceof Expression ? value.expr : value));
  const reads = [...text.matchAll(/steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)].map(([, step, output]) => ({ step, output }));
  return reads.map((read) => {
    const step = job.steps.find((s) => s.id === read.step);
    return { ...read, exists: step !== undefined, uses: step?.uses };
  });
}

export type { Value };

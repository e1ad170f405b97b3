import { beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parseDuration } from '../../packages/core/src/common/duration';
import { MIGRATION_STOP_GRACE_MS } from '../../packages/core/src/use-cases/run-migration/follow';
import { actionMetadata } from '../support/action-metadata';
import { templateFiles } from '../support/workflow-files';
import {
  Expression,
  loadWorkflow,
  suiteActionOf,
  type Value,
  type Workflow,
  type WorkflowJob,
  type WorkflowStep,
} from '../support/workflow-model';

// A job that changes a service must not be killed by its own timeout half way: a deploy left unwatched, or a rollback
// never started. So every step of such a job has a limit (`timeout-minutes`) a little above its action's own (the
// action reports its verdict before the runner kills it), and the limits add up to less than the job's, so the
// rollback step still has its time after a deploy that ran to its timeout.

/** Every job of the starter workflows that changes a service: a template that lost one, or a parse that found none, fails. */
const SERVICE_CHANGING_JOBS = [
  'ecs-deploy-blue-green.yml/deploy',
  'ecs-deploy-codedeploy.yml/deploy',
  'ecs-deploy-services.yml/deploy',
  'ecs-deploy.yml/production',
  'ecs-deploy.yml/staging',
  'ecs-rollback.yml/rollback',
];

const CHANGES_SERVICE = ['deploy-ecs', 'auto-rollback', 'run-migration'];
const changesService = (job: WorkflowJob) => job.steps.some((step) => CHANGES_SERVICE.includes(suiteActionOf(step.uses ?? '') ?? ''));
const label = (step: WorkflowStep, index: number) => step.id ?? step.name ?? step.uses ?? `#${index + 1}`;
const stepLimit = (step: WorkflowStep): Value | undefined => step['timeout-minutes'];

/** An input as the action gets it: what the step gives, else action.yml's default; undefined when unknown before the run. */
function input(action: string, step: WorkflowStep, name: string): string | undefined {
  const given = step.with[name];
  if (given instanceof Expression) return undefined;
  return given !== undefined ? String(given) : actionMetadata(action)?.inputs[name]?.default;
}

const minutes = (text: string | undefined): number | undefined => {
  const ms = text === undefined ? undefined : parseDuration(text);
  return ms === undefined ? undefined : ms / 60_000;
};

/**
 * The longest an action of this suite runs by its own inputs, in minutes: undefined when it sets no limit of its own
 * (build-push) or the limit is not known before the run (deploy-ecs's and auto-rollback's defaults add the service's
 * bake: `needsTimeout`).
 */
function actionLimitMinutes(step: WorkflowStep): { minutes?: number; why: string; needsTimeout?: boolean } {
  const action = suiteActionOf(step.uses ?? '');
  if (!action) return { why: 'not an action of this suite' };
  const timeout = minutes(input(action, step, 'timeout'));
  switch (action) {
    case 'deploy-ecs':
      return timeout === undefined
        ? { why: 'deploy-ecs needs an explicit timeout (its default adds the bake)', needsTimeout: true }
        : { minutes: timeout, why: 'timeout' };
    case 'verify-health': {
      const bake = minutes(input(action, step, 'bake')) ?? 0;
      if (timeout === undefined) return { why: 'verify-health timeout unknown' };
      // As a gate it first waits, within its timeout, for the PAUSE hook; the check's timeout and bake count from then.
      const gate = step.with['continue-deployment'] !== undefined;
      return { minutes: (gate ? 2 : 1) * timeout + bake, why: gate ? 'wait for the hook + timeout + bake' : 'timeout + bake' };
    }
    case 'auto-rollback':
      // A release that had finished rolls back through its strategy again: the default watch adds the bake.
      return timeout === undefined
        ? {
            why: 'auto-rollback needs an explicit timeout (its default adds the bake of a rollback through the strategy)',
            needsTimeout: true,
          }
        : { minutes: timeout, why: 'timeout' };
    case 'run-migration':
      // On timeout it stops the task and waits for it to end, so its verdict comes that much later.
      return timeout === undefined
        ? { why: 'run-migration timeout unknown' }
        : { minutes: timeout + MIGRATION_STOP_GRACE_MS / 60_000, why: 'timeout + the stopped task ending' };
    default:
      return { why: `${action} sets no limit of its own` };
  }
}

interface Budget {
  job: string;
  problems: string[];
  sum: number;
  jobLimit: number;
}

function budgetOf(workflow: Workflow, job: WorkflowJob): Budget {
  const problems: string[] = [];
  let sum = 0;
  job.steps.forEach((step, index) => {
    const limit = stepLimit(step);
    if (typeof limit !== 'number') {
      problems.push(`step ${label(step, index)} has no timeout-minutes`);
      return;
    }
    sum += limit;
    const own = actionLimitMinutes(step);
    if (own.needsTimeout) problems.push(`step ${label(step, index)}: ${own.why}`);
    if (own.minutes !== undefined && own.minutes >= limit)
      problems.push(
        `step ${label(step, index)}: its action may run ${own.minutes} min (${own.why}), not less than its timeout-minutes ${limit}`,
      );
  });
  const jobLimit = job['timeout-minutes'];
  if (typeof jobLimit !== 'number') problems.push('the job has no timeout-minutes');
  else if (sum >= jobLimit) problems.push(`the steps' limits add up to ${sum} min, not less than the job's ${jobLimit}`);
  return { job: `${workflow.file.split('/').pop()}/${job.id}`, problems, sum, jobLimit: Number(jobLimit) };
}

let workflows: Workflow[];
beforeAll(async () => {
  workflows = await Promise.all(templateFiles().map((file) => loadWorkflow(file)));
});

/** The sentence of the template's header that ends the job's arithmetic, e.g. "= 45 minutes < the deploy job's 50". */
const budgetSentence = (job: WorkflowJob, budget: Budget) => `= ${budget.sum} minutes < the ${job.id} job's ${budget.jobLimit}.`;
const headerStates = (workflow: Workflow, job: WorkflowJob, budget: Budget) =>
  workflow.text.split('\n').some((line) => line.startsWith('#') && line.includes(budgetSentence(job, budget)));

const jobsChangingServices = () => workflows.flatMap((workflow) => workflow.jobs.filter(changesService).map((job) => ({ workflow, job })));

describe('time budgets of the starter workflows', () => {
  test('every job that changes a service has a limit on every step above its action own, adding up to less than the job limit', () => {
    const budgets = jobsChangingServices().map(({ workflow, job }) => budgetOf(workflow, job));
    expect(budgets.map((budget) => budget.job).sort()).toEqual(SERVICE_CHANGING_JOBS);
    expect(budgets.map(({ job, problems }) => ({ job, problems }))).toEqual(budgets.map(({ job }) => ({ job, problems: [] })));
  });

  test("each template's header states the arithmetic its jobs' steps really add up to", () => {
    const wrong = jobsChangingServices()
      .map(({ workflow, job }) => ({ workflow, job, budget: budgetOf(workflow, job) }))
      .filter(({ workflow, job, budget }) => !headerStates(workflow, job, budget))
      .map(({ job, budget }) => `${budget.job}: the header lacks "${budgetSentence(job, budget)}"`);
    expect(wrong).toEqual([]);
  });
});

/**
 * The OIDC session a job's credentials step asks for, in minutes: configure-aws-credentials' `role-duration-seconds`,
 * one hour when not given (its README). The actions use the exported credentials as they are and never renew them, so
 * a job that may run longer than its session could reach its rollback with an expired token.
 */
const DEFAULT_SESSION_SECONDS = 3600;
const isCredentialsStep = (step: WorkflowStep) => /^aws-actions\/configure-aws-credentials@/.test(step.uses ?? '');

interface Session {
  job: string;
  jobLimit: Value | undefined;
  seconds: number;
  problems: string[];
}

function sessionOf(workflow: Workflow, job: WorkflowJob): Session | undefined {
  const steps = job.steps.filter(isCredentialsStep);
  if (!steps.length) return undefined;
  const problems: string[] = [];
  // An action's `with` values reach it as strings: `5400` and `'5400'` alike.
  const asked = steps.map((step) => step.with['role-duration-seconds'] ?? DEFAULT_SESSION_SECONDS);
  const seconds = Math.min(...asked.map(Number));
  if (asked.some((value) => !/^\d+$/.test(String(value))))
    problems.push(`role-duration-seconds must be a whole number of seconds, got ${asked.map(String).join(', ')}`);
  const jobLimit = job['timeout-minutes'];
  if (typeof jobLimit !== 'number') problems.push('the job has no timeout-minutes, so it may outlive any session');
  else if (jobLimit * 60 > seconds)
    problems.push(`the job may run ${jobLimit} min, longer than its ${seconds / 60}-minute session (role-duration-seconds ${seconds})`);
  return { job: `${workflow.file.split('/').pop()}/${job.id}`, jobLimit, seconds, problems };
}

const sessions = () =>
  workflows.flatMap((workflow) =>
    workflow.jobs.map((job) => sessionOf(workflow, job)).filter((session): session is Session => session !== undefined),
  );

describe('OIDC sessions of the starter workflows', () => {
  test('every job that assumes the role ends within the session its credentials step asks for', () => {
    const all = sessions();
    // Every deploy job and every build job pushing to ECR: a parse that found no credentials step fails here.
    expect(all.length).toBeGreaterThanOrEqual(SERVICE_CHANGING_JOBS.length);
    expect(all.map(({ job, problems }) => ({ job, problems }))).toEqual(all.map(({ job }) => ({ job, problems: [] })));
  });

  test("a template asking for more than an hour says in its header that the role's MaxSessionDuration must allow it", () => {
    const longer = workflows.flatMap((workflow) =>
      workflow.jobs
        .map((job) => sessionOf(workflow, job))
        .filter((session): session is Session => session !== undefined && session.seconds > DEFAULT_SESSION_SECONDS)
        .map((session) => ({ workflow, session })),
    );
    expect(longer.map(({ session }) => session.job)).toEqual(['ecs-deploy-services.yml/deploy']);
    const header = (workflow: Workflow) => workflow.text.split('\n').filter((line) => line.startsWith('#'));
    const unsaid = longer
      .filter(({ workflow, session }) => !header(workflow).some((line) => line.includes(`--max-session-duration ${session.seconds}`)))
      .map(({ session }) => session.job);
    expect(unsaid).toEqual([]);
  });
  test("README's session table gives every such job's limit and session as the templates have them", () => {
    // README, "Session length": | template(s) | job | timeout-minutes | session | MaxSessionDuration |
    const readme = readFileSync('README.md', 'utf8');
    const table = readme.slice(readme.indexOf('**Session length.**')).split('\n\n')[1] ?? '';
    const documented = table
      .split('\n')
      .filter((line) => /^\| `/.test(line))
      .flatMap((line) => {
        const [, files, job, limit, session] = line.split('|').map((cell) => cell.trim());
        const jobId = /`([\w-]+)`/.exec(job)?.[1];
        return [...files.matchAll(/`([\w.-]+\.yml)`/g)].map(([, file]) => ({
          job: `${file}/${jobId}`,
          jobLimit: Number(limit),
          seconds: Number(/\d+/.exec(session)?.[0]),
        }));
      })
      .sort((a, b) => a.job.localeCompare(b.job));
    const actual = sessions()
      .map(({ job, jobLimit, seconds }) => ({ job, jobLimit, seconds }))
      .sort((a, b) => a.job.localeCompare(b.job));
    expect(documented).toEqual(actual);
  });
});

describe('the session check does fail', () => {
  const job = async (limit: string, duration?: number) => {
    const workflow = await loadWorkflow(
      'session.yml',
      `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
${limit}    steps:
      - uses: aws-actions/configure-aws-credentials@61815dcd50bd041e203e49132bacad1fd04d2708 # v5.1.1
        with:
          role-to-assume: arn:aws:iam::123456789012:role/deploy
          aws-region: eu-west-1
${duration === undefined ? '' : `          role-duration-seconds: ${duration}\n`}`,
    );
    return sessionOf(workflow, workflow.jobs[0])?.problems;
  };

  test('a job longer than the default hour, or than the session it asks for, or with no limit at all', async () => {
    expect(await job('    timeout-minutes: 60\n')).toEqual([]);
    expect(await job('    timeout-minutes: 65\n')).toEqual([
      'the job may run 65 min, longer than its 60-minute session (role-duration-seconds 3600)',
    ]);
    expect(await job('    timeout-minutes: 85\n', 5400)).toEqual([]);
    expect(await job('    timeout-minutes: 95\n', 5400)).toEqual([
      'the job may run 95 min, longer than its 90-minute session (role-duration-seconds 5400)',
    ]);
    expect(await job('')).toEqual(['the job has no timeout-minutes, so it may outlive any session']);
  });
});

describe('the budget check does fail', () => {
  const parse = (steps: string) =>
    loadWorkflow(
      'budget.yml',
      `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    timeout-minutes: 20
    steps:
${steps}`,
    );

  test('steps whose limits add up to the job limit, a gate whose hook wait is not counted, a step with no limit', async () => {
    const workflow = await parse(`      - id: deploy
        uses: <org>/deploy/actions/deploy-ecs@v1
        timeout-minutes: 11
        with:
          cluster: c
          service: s
          timeout: 10m
      - id: gate
        uses: <org>/deploy/actions/verify-health@v1
        timeout-minutes: 9
        with:
          url: https://test
          continue-deployment: arn
          timeout: 5m
      - run: echo done
`);
    expect(budgetOf(workflow, workflow.jobs[0]).problems).toEqual([
      'step gate: its action may run 10 min (wait for the hook + timeout + bake), not less than its timeout-minutes 9',
      'step #3 has no timeout-minutes',
      "the steps' limits add up to 20 min, not less than the job's 20",
    ]);
  });

  test('deploy-ecs or auto-rollback with no explicit timeout: its default depends on the service, so no budget can hold it', async () => {
    const workflow = await parse(`      - uses: <org>/deploy/actions/deploy-ecs@v1
        timeout-minutes: 11
        with:
          cluster: c
          service: s
      - id: rollback
        uses: <org>/deploy/actions/auto-rollback@v1
        timeout-minutes: 6
        with:
          cluster: c
          service: s
`);
    expect(budgetOf(workflow, workflow.jobs[0]).problems).toEqual([
      'step <org>/deploy/actions/deploy-ecs@v1: deploy-ecs needs an explicit timeout (its default adds the bake)',
      'step rollback: auto-rollback needs an explicit timeout (its default adds the bake of a rollback through the strategy)',
    ]);
  });

  test('run-migration with a limit one minute above its timeout: the stopped task ending is not counted', async () => {
    const workflow = await parse(`      - id: migrate
        uses: <org>/deploy/actions/run-migration@v1
        timeout-minutes: 11
        with:
          cluster: c
          command: migrate
          timeout: 10m
`);
    expect(budgetOf(workflow, workflow.jobs[0]).problems).toEqual([
      'step migrate: its action may run 11 min (timeout + the stopped task ending), not less than its timeout-minutes 11',
    ]);
  });

  test("a header whose arithmetic is not the steps' sum, or names another job", async () => {
    const steps = `      - id: rollback
        uses: <org>/deploy/actions/auto-rollback@v1
        timeout-minutes: 6
        with:
          cluster: c
          service: s
          timeout: 5m
`;
    const stated = async (header: string) => {
      const workflow = await loadWorkflow(
        'budget.yml',
        `${header}\non: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    timeout-minutes: 20\n    steps:\n${steps}`,
      );
      const job = workflow.jobs[0];
      return headerStates(workflow, job, budgetOf(workflow, job));
    };
    expect(await stated("#   rollback 6 (timeout 5m) = 6 minutes < the deploy job's 20.")).toBe(true);
    expect(await stated("#   rollback 5 (timeout 5m) = 5 minutes < the deploy job's 20.")).toBe(false);
    expect(await stated("#   rollback 6 (timeout 5m) = 6 minutes < the staging job's 20.")).toBe(false);
  });
});

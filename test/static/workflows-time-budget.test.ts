import { beforeAll, describe, expect, test } from '@jest/globals';
import { parseDuration } from '../../packages/core/src/common/duration';
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
// action reports its verdict before the runner kills it), and the limits add up to less than the job's.

/** Jobs that change a service without step limits yet: ecs-deploy.yml is shown whole in README, which changes with it. */
const NOT_YET_BUDGETED = [
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
 * (build-push) or the limit is not known before the run (deploy-ecs's default depends on the service's bake).
 */
function actionLimitMinutes(step: WorkflowStep): { minutes?: number; why: string } {
  const action = suiteActionOf(step.uses ?? '');
  if (!action) return { why: 'not an action of this suite' };
  const timeout = minutes(input(action, step, 'timeout'));
  switch (action) {
    case 'deploy-ecs':
      return {
        minutes: timeout,
        why: timeout === undefined ? 'deploy-ecs needs an explicit timeout (its default adds the bake)' : 'timeout',
      };
    case 'verify-health': {
      const bake = minutes(input(action, step, 'bake')) ?? 0;
      if (timeout === undefined) return { why: 'verify-health timeout unknown' };
      // As a gate it first waits, within its timeout, for the PAUSE hook; the check's timeout and bake count from then.
      const gate = step.with['continue-deployment'] !== undefined;
      return { minutes: (gate ? 2 : 1) * timeout + bake, why: gate ? 'wait for the hook + timeout + bake' : 'timeout + bake' };
    }
    case 'auto-rollback':
    case 'run-migration':
      return { minutes: timeout, why: 'timeout' };
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
    if (suiteActionOf(step.uses ?? '') && own.minutes === undefined && own.why.includes('needs'))
      problems.push(`step ${label(step, index)}: ${own.why}`);
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

const jobsChangingServices = () => workflows.flatMap((workflow) => workflow.jobs.filter(changesService).map((job) => ({ workflow, job })));
const budgeted = () => jobsChangingServices().filter(({ job }) => job.steps.some((step) => stepLimit(step) !== undefined));

describe('time budgets of the starter workflows', () => {
  test('every job that changes a service has step limits, but for those listed as not yet budgeted', () => {
    const without = jobsChangingServices()
      .filter(({ job }) => !job.steps.some((step) => stepLimit(step) !== undefined))
      .map(({ workflow, job }) => `${workflow.file.split('/').pop()}/${job.id}`)
      .sort();
    expect(without).toEqual(NOT_YET_BUDGETED);
  });

  test('in a budgeted job every step has a limit above its action own, and the limits add up to less than the job limit', () => {
    const budgets = budgeted().map(({ workflow, job }) => budgetOf(workflow, job));
    expect(budgets.map((budget) => budget.job)).toContain('ecs-deploy-blue-green.yml/deploy');
    expect(budgets.map(({ job, problems }) => ({ job, problems }))).toEqual(budgets.map(({ job }) => ({ job, problems: [] })));
  });

  test("the blue/green template's header states the arithmetic its steps really add up to", () => {
    const workflow = workflows.find((w) => w.file.endsWith('ecs-deploy-blue-green.yml')) as Workflow;
    const budget = budgetOf(workflow, workflow.jobs.find((job) => job.id === 'deploy') as WorkflowJob);
    expect(workflow.text).toContain(`= ${budget.sum} minutes < the job's ${budget.jobLimit}`);
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

  test('deploy-ecs with no explicit timeout: its default depends on the service, so no budget can hold it', async () => {
    const workflow = await parse(`      - uses: <org>/deploy/actions/deploy-ecs@v1
        timeout-minutes: 11
        with:
          cluster: c
          service: s
`);
    expect(budgetOf(workflow, workflow.jobs[0]).problems).toEqual([
      'step <org>/deploy/actions/deploy-ecs@v1: deploy-ecs needs an explicit timeout (its default adds the bake)',
    ]);
  });
});

import { beforeAll, describe, expect, test } from '@jest/globals';
import { condition, type JobStatus } from '../support/workflow-expressions';
import { templateFiles } from '../support/workflow-files';
import { loadWorkflow, suiteActionOf, type Workflow, type WorkflowJob, type WorkflowStep } from '../support/workflow-model';

// The automatic rollback of a deploy job runs when a step failed and when the run was cancelled: a deploy cancelled half
// way leaves ECS rolling out a release no step verifies (README, "Rollback on cancellation"). It never runs after a
// success, nor before deploy-ecs named a previous revision. Evaluated with GitHub's expression engine.

const actionOf = (step: WorkflowStep) => suiteActionOf(step.uses ?? '');
const rollbackSteps = (job: WorkflowJob) =>
  job.steps.some((step) => actionOf(step) === 'deploy-ecs') ? job.steps.filter((step) => actionOf(step) === 'auto-rollback') : [];

/** Whether the step runs, after the job came to `status`, with deploy-ecs's previous revision `previous` ('' for none). */
function runs(step: WorkflowStep, status: JobStatus, previous: string): boolean {
  const steps = { deploy: { outputs: { 'previous-task-definition-arn': previous }, outcome: 'success', conclusion: 'success' } };
  return condition(step.if, { github: {}, env: {}, steps, needs: {}, matrix: {}, inputs: {}, vars: {} }, status);
}

const verdicts = (step: WorkflowStep) => ({
  failed: runs(step, { failed: true }, 'web:1'),
  cancelled: runs(step, { failed: false, cancelled: true }, 'web:1'),
  succeeded: runs(step, { failed: false }, 'web:1'),
  'failed before a previous revision was known': runs(step, { failed: true }, ''),
});
const EXPECTED = { failed: true, cancelled: true, succeeded: false, 'failed before a previous revision was known': false };

let workflows: Workflow[];
beforeAll(async () => {
  workflows = await Promise.all(templateFiles().map((file) => loadWorkflow(file)));
});

describe('the rollback step of every deploy job', () => {
  test('runs on failure and on cancellation, once deploy-ecs named the previous revision, and never after a success', () => {
    const found = workflows.flatMap((workflow) =>
      workflow.jobs.flatMap((job) => rollbackSteps(job).map((step) => ({ job: `${workflow.file.split('/').pop()}/${job.id}`, step }))),
    );
    expect(found.map(({ job }) => job).sort()).toEqual([
      'ecs-deploy-blue-green.yml/deploy',
      'ecs-deploy-codedeploy.yml/deploy',
      'ecs-deploy-services.yml/deploy',
      'ecs-deploy.yml/production',
      'ecs-deploy.yml/staging',
    ]);
    expect(found.map(({ job, step }) => ({ job, ...verdicts(step) }))).toEqual(found.map(({ job }) => ({ job, ...EXPECTED })));
  });
});

describe('the rollback-condition check does fail', () => {
  const stepWith = async (expression: string) => {
    const workflow = await loadWorkflow(
      'condition.yml',
      `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - id: rollback
        if: ${expression}
        uses: <org>/deploy/actions/auto-rollback@v1
`,
    );
    return workflow.jobs[0].steps[0];
  };

  test('if: failure() alone skips the rollback of a cancelled run', async () => {
    const step = await stepWith("failure() && steps.deploy.outputs.previous-task-definition-arn != ''");
    expect(verdicts(step)).toEqual({ ...EXPECTED, cancelled: false });
  });

  test('if: always() would roll back a release that succeeded', async () => {
    const step = await stepWith("always() && steps.deploy.outputs.previous-task-definition-arn != ''");
    expect(verdicts(step)).toEqual({ ...EXPECTED, succeeded: true });
  });
});

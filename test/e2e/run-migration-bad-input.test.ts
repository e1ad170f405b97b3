import { beforeAll, describe as group, expect, test } from '@jest/globals';
import { ListTaskDefinitionsCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { runBundledAction } from '../support/run-action';
import { createService, ecsClient, REGISTRY } from '../support/ecs-fixtures';
import { expectRefused } from '../support/bad-input';
import { useSandbox } from '../support/use-sandbox';
import { endToEnd } from './bad-input/case';
import { runMigrationBadInputs } from './bad-input/run-migration.cases';

// A sandbox of its own: nothing else moves in it, so any change to its state is the action's doing.
const sandbox = useSandbox({ timeScale: 0.2 });

async function startedAnything(): Promise<{ tasks: number; revisions: number }> {
  const ecs = ecsClient(sandbox);
  const running = await ecs.send(new ListTasksCommand({ cluster: 'prod', family: 'orders', desiredStatus: 'RUNNING' }));
  const stopped = await ecs.send(new ListTasksCommand({ cluster: 'prod', family: 'orders', desiredStatus: 'STOPPED' }));
  const revisions = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'orders' }));
  return {
    tasks: (running.taskArns ?? []).length + (stopped.taskArns ?? []).length,
    revisions: (revisions.taskDefinitionArns ?? []).length,
  };
}

group('run-migration refuses bad input before starting anything', () => {
  beforeAll(async () => {
    await createService(sandbox, { service: 'orders', image: `${REGISTRY}/orders:v1`, desiredCount: 1 });
  });

  // The matrix's rows only a run can refuse, and a few the parser refuses, through the bundled action.
  test.each(endToEnd(runMigrationBadInputs).map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const before = JSON.stringify(sandbox.snapshot());
    const counts = await startedAnything();
    const callsBefore = sandbox.calls.length;
    const run = await runBundledAction('run-migration', row.inputs, { env: { ...sandbox.env(), ...row.env } });
    expectRefused(run, row, sandbox.calls.slice(callsBefore));
    expect(await startedAnything()).toEqual(counts);
    expect(JSON.stringify(sandbox.snapshot())).toBe(before);
    expect(run.outputs['task-arn']).toBeUndefined();
    expect(run.outputs['task-definition-arn']).toBeUndefined();
  });
});

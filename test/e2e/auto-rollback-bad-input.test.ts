import { beforeAll, describe as group, expect, test } from '@jest/globals';
import { DeregisterTaskDefinitionCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { runBundledAction } from '../support/run-action';
import { createService, ecsClient, REGISTRY } from '../support/ecs-fixtures';
import { expectRefused } from '../support/bad-input';
import { useSandbox } from '../support/use-sandbox';
import { endToEnd } from './bad-input/case';
import { autoRollbackBadInputs } from './bad-input/auto-rollback.cases';

// A sandbox of its own: nothing else moves in it, so any change to its state is the action's doing.
const sandbox = useSandbox({ timeScale: 0.2 });

group('auto-rollback refuses bad input before changing anything', () => {
  beforeAll(async () => {
    await createService(sandbox, { service: 'api', image: `${REGISTRY}/api:v1` });
    await createService(sandbox, { service: 'cart', image: `${REGISTRY}/cart:v1` });
    await createService(sandbox, { service: 'legacy', image: `${REGISTRY}/legacy:v1`, controller: 'CODE_DEPLOY' });
    const ecs = ecsClient(sandbox);
    const retired = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'api',
        containerDefinitions: [{ name: 'api', image: `${REGISTRY}/api:v0`, memory: 128 }],
      }),
    );
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: retired.taskDefinition?.taskDefinitionArn }));
  });

  // The matrix's rows only a run can refuse, and a few the parser refuses, through the bundled action.
  test.each(endToEnd(autoRollbackBadInputs).map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const before = JSON.stringify(sandbox.snapshot());
    const callsBefore = sandbox.calls.length;
    const run = await runBundledAction('auto-rollback', row.inputs, { env: { ...sandbox.env(), ...row.env } });
    expectRefused(run, row, sandbox.calls.slice(callsBefore));
    expect(JSON.stringify(sandbox.snapshot())).toBe(before);
    expect(run.outputs['rolled-back']).not.toBe('true');
  });
});

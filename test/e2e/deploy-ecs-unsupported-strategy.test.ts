import { afterAll, beforeAll, describe as group, expect, test } from '@jest/globals';
import { start, type Sandbox } from '@ecs-deploy/sandbox';
import { errorsOf, runBundledAction } from '../support/run-action';
import { createService, describe, REGISTRY } from '../support/ecs-fixtures';

// A sandbox of its own: nothing else moves in it, so any change to its state is the action's doing.
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await start({ timeScale: 0.2 });
});
afterAll(async () => {
  await sandbox?.stop();
});

const CHANGES = /^(RegisterTaskDefinition|UpdateService|StopServiceDeployment)$/;
const REFUSAL =
  /^Service "external" uses the EXTERNAL deployment controller, which this action does not support yet: only deployments of the ECS controller \(rolling, blue\/green, linear and canary\) and of CODE_DEPLOY \(CodeDeploy blue\/green\) are deployed and watched\. Nothing was changed\.$/;

group('a service whose deployment controller has no mechanism yet is refused before any change', () => {
  let cluster: string;
  let service: string;
  let taskDefinitionArn: string;

  beforeAll(async () => {
    ({ cluster, service, taskDefinitionArn } = await createService(sandbox, {
      service: 'external',
      image: `${REGISTRY}/external:v1`,
      controller: 'EXTERNAL',
    }));
    // The refusal below is only evidence if the sandbox kept the controller, as ECS does.
    expect((await describe(sandbox, cluster, service)).deploymentController?.type).toBe('EXTERNAL');
  });

  test.each<[string, () => Record<string, string>]>([
    ['deploy-ecs', () => ({ cluster, service, image: `${REGISTRY}/external:v2` })],
    ['auto-rollback', () => ({ cluster, service, 'task-definition': taskDefinitionArn })],
  ])('%s', async (action, inputs) => {
    const before = JSON.stringify(sandbox.snapshot());
    const changes = sandbox.calls.filter((call) => CHANGES.test(call.operation)).length;
    const run = await runBundledAction(action, inputs(), { env: sandbox.env() });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([expect.stringMatching(REFUSAL)]);
    expect(sandbox.calls.filter((call) => CHANGES.test(call.operation)).length).toBe(changes);
    expect(JSON.stringify(sandbox.snapshot())).toBe(before);
  });
});

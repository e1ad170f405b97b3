import { beforeAll, describe as group, expect, test } from '@jest/globals';
import { DeregisterTaskDefinitionCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { errorsOf, runBundledAction } from '../support/run-action';
import { createService, ecsClient, REGISTRY } from '../support/ecs-fixtures';
import { useSandbox } from '../support/use-sandbox';

// A sandbox of its own: nothing else moves in it, so any change to its state is the action's doing.
const sandbox = useSandbox({ timeScale: 0.2 });

group('auto-rollback refuses bad input before changing anything', () => {
  let cluster: string;
  let service: string;
  let retiredArn: string;

  beforeAll(async () => {
    ({ cluster, service } = await createService(sandbox, { service: 'api', image: `${REGISTRY}/api:v1` }));
    const ecs = ecsClient(sandbox);
    const retired = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'api',
        containerDefinitions: [{ name: 'api', image: `${REGISTRY}/api:v0`, memory: 128 }],
      }),
    );
    retiredArn = retired.taskDefinition?.taskDefinitionArn as string;
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: retiredArn }));
  });

  const cases: [string, () => Record<string, string>, RegExp][] = [
    ['no cluster', () => ({ service, 'task-definition': 'api:1' }), /^Input 'cluster' is required but was not given\.$/],
    [
      'a malformed timeout',
      () => ({ cluster, service, 'task-definition': 'api:1', timeout: 'ten minutes' }),
      /^Input 'timeout' must be a duration such as 90s, 15m, 1h or a number of seconds; got "ten minutes"\.$/,
    ],
    ['a malformed wait', () => ({ cluster, service, wait: 'maybe' }), /^Input 'wait' must be true or false; got "maybe"\.$/],
    [
      'a bare family',
      () => ({ cluster, service, 'task-definition': 'api' }),
      /^Input 'task-definition' must name one revision, as family:revision \(web:12\) or its ARN .*got "api"\. A family without a revision/,
    ],
    [
      'an unknown revision',
      () => ({ cluster, service, 'task-definition': 'api:99' }),
      /^Input 'task-definition': there is no task definition "api:99" in us-east-1 .*Nothing was changed\.$/,
    ],
    [
      'a deregistered revision',
      () => ({ cluster, service, 'task-definition': retiredArn }),
      /^Input 'task-definition': .*api:2 is INACTIVE, and ECS does not update a service to a revision that is not ACTIVE\./,
    ],
    [
      'a service that does not exist',
      () => ({ cluster, service: 'ghost', 'task-definition': 'api:1' }),
      /^Input 'service': there is no active service "ghost" in cluster "prod"/,
    ],
    [
      'a cluster that does not exist',
      () => ({ cluster: 'nowhere', service, 'task-definition': 'api:1' }),
      /^Input 'cluster': there is no cluster "nowhere"/,
    ],
    [
      'no input and no history to find a target in',
      () => ({ cluster, service }),
      /^Input 'task-definition' is needed: neither the service's deployment history \(ECS keeps 90 days of it, none from before 25 October 2024\) nor the deployments DescribeServices lists holds a revision that completed a deployment before the current one\./,
    ],
  ];

  test.each(cases)('%s', async (_name, inputs, expected) => {
    const before = JSON.stringify(sandbox.snapshot());
    const updates = sandbox.calls.filter((call) => /^(UpdateService|StopServiceDeployment)$/.test(call.operation)).length;
    const run = await runBundledAction('auto-rollback', inputs(), { env: sandbox.env() });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([expect.stringMatching(expected)]);
    expect(JSON.stringify(sandbox.snapshot())).toBe(before);
    expect(sandbox.calls.filter((call) => /^(UpdateService|StopServiceDeployment)$/.test(call.operation)).length).toBe(updates);
    expect(run.outputs['rolled-back']).not.toBe('true');
  });
});

import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createService } from '../support/ecs-fixtures';
import { errorsOf, runBundledAction } from '../support/run-action';
import { startSandbox, type SandboxHandle } from '../support/sandbox-harness';

// deploy-ecs in a region of another partition, against a sandbox of that region (whose ARNs carry the partition,
// as AWS's do): its outputs are the partition's ARNs, and its console links the partition's console, or none where
// the suite knows no console (the European Sovereign Cloud).

describe.each([
  [
    'cn-north-1',
    'aws-cn',
    'amazonaws.com.cn',
    'https://console.amazonaws.cn/ecs/v2/clusters/prod/services/shop/deployments?region=cn-north-1',
  ],
  [
    'us-gov-west-1',
    'aws-us-gov',
    'amazonaws.com',
    'https://console.amazonaws-us-gov.com/ecs/v2/clusters/prod/services/shop/deployments?region=us-gov-west-1',
  ],
  ['eusc-de-east-1', 'aws-eusc', 'amazonaws.eu', undefined],
])('deploy-ecs in %s (%s)', (region, partition, dnsSuffix, consoleLink) => {
  let sandbox: SandboxHandle;
  beforeAll(async () => {
    sandbox = await startSandbox({ timeScale: 0.2, region });
  });
  afterAll(() => sandbox?.stop());

  test("deploys, with the partition's ARNs and console", async () => {
    // Another account's registry in the partition, which the sandbox answers for as it does in us-east-1.
    const registry = `123456789012.dkr.ecr.${region}.${dnsSuffix}`;
    const { taskDefinitionArn } = await createService(sandbox, { service: 'shop', image: `${registry}/shop:v1` });
    expect(taskDefinitionArn).toBe(`arn:${partition}:ecs:${region}:${sandbox.accountId}:task-definition/shop:1`);
    sandbox.script(`${registry}/shop:v2`, { kind: 'healthy', startMs: 1000 });

    const run = await runBundledAction(
      'deploy-ecs',
      { cluster: 'prod', service: `arn:${partition}:ecs:${region}:${sandbox.accountId}:service/prod/shop`, image: `${registry}/shop:v2` },
      { env: sandbox.env() },
    );

    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs.status).toBe('succeeded');
    // Found by digest in ECR: asked as some other registry over HTTPS, the host would not have resolved (a warning).
    expect(run.log).toMatch(new RegExp(`pass {2}Images exist +container "shop" runs ${registry.replace(/\./g, '\\.')}/shop:v2 \\(sha256:`));
    expect(run.outputs['task-definition-arn']).toBe(`arn:${partition}:ecs:${region}:${sandbox.accountId}:task-definition/shop:2`);
    // The job summary ends on the service's deployments in the console: the partition's, or no link at all.
    if (consoleLink) expect(run.summary).toContain(`[Service deployments in the console](${consoleLink})`);
    else expect(run.summary).not.toMatch(/in the console|console\.aws\.amazon\.com/);
  });

  test("an ECS ARN of another partition is refused before any call, naming the region's prefix", async () => {
    const callsBefore = sandbox.calls.length;
    const run = await runBundledAction(
      'deploy-ecs',
      { cluster: `arn:aws-iso:ecs:${region}:${sandbox.accountId}:cluster/prod`, service: 'shop', image: 'web:2' },
      { env: sandbox.env() },
    );
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      `Input 'cluster' is an ARN of the aws-iso partition, but ${region} is in ${partition}, whose ARNs start arn:${partition}: give the cluster's name or its ARN, arn:${partition}:ecs:<region>:<account>:cluster/<name>; got "arn:aws-iso:ecs:${region}:${sandbox.accountId}:cluster/prod".`,
    ]);
    expect(sandbox.calls.slice(callsBefore)).toEqual([]);
  });
});

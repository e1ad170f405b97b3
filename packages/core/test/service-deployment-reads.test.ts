import { describe, expect, test } from '@jest/globals';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  ECSClient,
  type DescribeServiceDeploymentsCommandInput,
  type DescribeServicesCommandInput,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchedServiceDeploymentReads } from '../src/ecs/service-deployment-reads';
import { BatchedServiceReads } from '../src/ecs/service-reads';

const arnOf = (name: string) => `arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/${name}/AbCdEfGhIjKlMnOpQrStU`;
const arns = (count: number) => Array.from({ length: count }, (_, index) => arnOf(`svc-${index + 1}`));
const refused = () =>
  Object.assign(new Error('not authorized to perform: ecs:DescribeServiceDeployments'), { name: 'AccessDeniedException' });

/** An ECS that describes each ARN asked for, except those `missing`; a call naming any of `forbidden` is refused whole, as IAM refuses it. */
function ecsAnswering(options: { missing?: string[]; forbidden?: string[] } = {}) {
  const ecs = mockClient(ECSClient);
  ecs.on(DescribeServiceDeploymentsCommand).callsFake((input: DescribeServiceDeploymentsCommandInput) => {
    const asked = input.serviceDeploymentArns ?? [];
    if (asked.some((arn) => options.forbidden?.includes(arn))) throw refused();
    return {
      serviceDeployments: asked
        .filter((arn) => !options.missing?.includes(arn))
        .map((arn) => ({ serviceDeploymentArn: arn, status: 'IN_PROGRESS' })),
      failures: asked.filter((arn) => options.missing?.includes(arn)).map((arn) => ({ arn, reason: 'MISSING' })),
    };
  });
  return ecs;
}

const askedPerCall = (ecs: ReturnType<typeof mockClient>) =>
  ecs
    .commandCalls(DescribeServiceDeploymentsCommand)
    .map((call) => (call.args[0].input as DescribeServiceDeploymentsCommandInput).serviceDeploymentArns?.length);

describe('BatchedServiceDeploymentReads', () => {
  test('a round in which every watch asks is one call per 20 ARNs', async () => {
    const ecs = ecsAnswering();
    const reads = new BatchedServiceDeploymentReads(ecs as unknown as ECSClient, 60_000);

    const answers = await Promise.all(arns(25).map((arn) => reads.read(arn)));

    expect(answers.map((answer) => 'serviceDeployment' in answer && answer.serviceDeployment.serviceDeploymentArn)).toEqual(arns(25));
    expect(askedPerCall(ecs)).toEqual([20, 5]);
    expect(reads).toMatchObject({ reads: 25, calls: 2 });
  });

  test("a service deployment ECS does not know answers ECS's failure for it, the others their deployments", async () => {
    const [known, gone] = arns(2) as [string, string];
    const ecs = ecsAnswering({ missing: [gone] });
    const reads = new BatchedServiceDeploymentReads(ecs as unknown as ECSClient, 60_000);

    const [first, second] = await Promise.all([reads.read(known), reads.read(gone)]);

    expect(first).toEqual({ serviceDeployment: expect.objectContaining({ serviceDeploymentArn: known }) });
    expect(second).toEqual({ failure: { arn: gone, reason: 'MISSING' } });
  });

  test('a shared call IAM refuses is sent again one ARN a call: only the watch whose ARN is refused gets the refusal', async () => {
    const [allowed, forbidden] = arns(2) as [string, string];
    const ecs = ecsAnswering({ forbidden: [forbidden] });
    const reads = new BatchedServiceDeploymentReads(ecs as unknown as ECSClient, 60_000);

    const [first, second] = await Promise.all([reads.read(allowed), reads.read(forbidden)]);

    expect(first).toEqual({ serviceDeployment: expect.objectContaining({ serviceDeploymentArn: allowed }) });
    expect(second).toEqual({ error: expect.objectContaining({ name: 'AccessDeniedException' }) });
    expect(askedPerCall(ecs)).toEqual([2, 1, 1]);
  });

  test('a throttled shared call fails every read it carried, for each watch to skip the round', async () => {
    const ecs = mockClient(ECSClient);
    ecs.on(DescribeServiceDeploymentsCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const reads = new BatchedServiceDeploymentReads(ecs as unknown as ECSClient, 60_000);

    await expect(Promise.all(arns(2).map((arn) => reads.read(arn)))).rejects.toThrow('Rate exceeded');
    expect(ecs.commandCalls(DescribeServiceDeploymentsCommand)).toHaveLength(1);
  });

  test('a round waits for every watch joined, and no longer for one whose watch ended', async () => {
    const ecs = ecsAnswering();
    const reads = new BatchedServiceDeploymentReads(ecs as unknown as ECSClient, 60_000);
    const [web, worker, cron] = arns(3) as [string, string, string];
    for (const arn of [web, worker, cron]) reads.join(arn);

    const answers = Promise.all([reads.read(web), reads.read(worker)]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(ecs.commandCalls(DescribeServiceDeploymentsCommand)).toHaveLength(0);
    reads.done(cron);

    await answers;
    expect(askedPerCall(ecs)).toEqual([2]);
  });

  test("the DescribeServices round does not wait for a watch waiting in this round: each round's reads still go in one call", async () => {
    const ecs = ecsAnswering();
    ecs.on(DescribeServicesCommand).callsFake((input: DescribeServicesCommandInput) => ({
      services: (input.services ?? []).map((serviceName) => ({ serviceName, status: 'ACTIVE' })),
    }));
    // Gather timers longer than the test: only "everyone asked" can send a round.
    const serviceReads = new BatchedServiceReads(ecs as unknown as ECSClient, 60_000);
    const reads = new BatchedServiceDeploymentReads(ecs as unknown as ECSClient, 60_000, serviceReads);
    const [webArn, apiArn] = arns(2) as [string, string];
    reads.join(webArn, { cluster: 'prod', service: 'web' });
    reads.join(apiArn, { cluster: 'prod', service: 'api' });

    // web's poll reads its service alone (api's watch, started later, has not read yet), then waits here for api's.
    await serviceReads.read('prod', 'web');
    const webDeployment = reads.read(webArn);
    // api's poll reads its service: that round waits for web, which waits here for api, unless it does not wait.
    const apiService = await Promise.race([
      serviceReads.read('prod', 'api'),
      new Promise((resolve) => setTimeout(() => resolve('held'), 200)),
    ]);
    expect(apiService).toEqual(expect.objectContaining({ serviceName: 'api' }));
    await Promise.all([webDeployment, reads.read(apiArn)]);

    expect(askedPerCall(ecs)).toEqual([2]);
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(2);
  });
});

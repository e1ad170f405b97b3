import { describe, expect, test } from '@jest/globals';
import { DescribeServicesCommand, ECSClient, type DescribeServicesCommandInput } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchedServiceReads, describeServicesInChunks } from '../src/ecs/service-reads';

const ARN = 'arn:aws:ecs:us-east-1:123456789012:service/prod';

/** An ECS that answers each DescribeServices with the services asked for, except those named `missing`. */
function ecsAnswering(missing: string[] = []) {
  const ecs = mockClient(ECSClient);
  ecs.on(DescribeServicesCommand).callsFake((input: DescribeServicesCommandInput) => {
    const asked = (input.services ?? []).map((name) => name.split('/').pop() as string);
    return {
      services: asked
        .filter((name) => !missing.includes(name))
        .map((name) => ({ serviceName: name, serviceArn: `${ARN}/${name}`, status: 'ACTIVE' })),
      failures: asked.filter((name) => missing.includes(name)).map((name) => ({ arn: `${ARN}/${name}`, reason: 'MISSING' })),
    };
  });
  return ecs;
}

const names = (count: number) => Array.from({ length: count }, (_, index) => `svc-${index + 1}`);
const askedPerCall = (ecs: ReturnType<typeof mockClient>) =>
  ecs.commandCalls(DescribeServicesCommand).map((call) => (call.args[0].input as DescribeServicesCommandInput).services?.length);

describe('describeServicesInChunks', () => {
  test('describes 25 services in three calls of at most 10', async () => {
    const ecs = ecsAnswering();

    const answers = await describeServicesInChunks(ecs as unknown as ECSClient, 'prod', names(25));

    expect(askedPerCall(ecs)).toEqual([10, 10, 5]);
    expect([...answers.keys()]).toHaveLength(25);
  });

  test("keys each answer by the name or ARN it was asked by, and a missing service by ECS's failure", async () => {
    const ecs = ecsAnswering(['ghost']);

    const answers = await describeServicesInChunks(ecs as unknown as ECSClient, 'prod', [`${ARN}/web`, 'ghost']);

    expect(answers.get(`${ARN}/web`)).toEqual({ service: expect.objectContaining({ serviceName: 'web' }) });
    expect(answers.get('ghost')).toEqual({ failure: { arn: `${ARN}/ghost`, reason: 'MISSING' } });
  });
});

describe('BatchedServiceReads', () => {
  test('a round in which every watched service asks is one call per 10 services', async () => {
    const ecs = ecsAnswering();
    const reads = new BatchedServiceReads(ecs as unknown as ECSClient, 60_000);

    const services = await Promise.all(names(23).map((name) => reads.read('prod', name)));

    expect(services.map((service) => service?.serviceName)).toEqual(names(23));
    expect(askedPerCall(ecs)).toEqual([10, 10, 3]);
    expect(reads).toMatchObject({ reads: 23, calls: 3 });
  });

  test('a round waits for every service still watched, and no longer for one whose watch ended', async () => {
    const ecs = ecsAnswering();
    const reads = new BatchedServiceReads(ecs as unknown as ECSClient, 60_000);
    await Promise.all(['web', 'worker', 'cron'].map((name) => reads.read('prod', name)));

    const web = reads.read('prod', 'web');
    const worker = reads.read('prod', 'worker');
    await Promise.resolve();
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(1);
    reads.done('prod', 'cron');

    expect((await web)?.serviceName).toBe('web');
    expect((await worker)?.serviceName).toBe('worker');
    expect(askedPerCall(ecs)).toEqual([3, 2]);
  });

  test('a service joined before its watch began is waited for in the first round', async () => {
    const ecs = ecsAnswering();
    const reads = new BatchedServiceReads(ecs as unknown as ECSClient, 60_000);
    reads.join('prod', 'web');
    reads.join('prod', 'worker');

    const web = reads.read('prod', 'web');
    await new Promise((resolve) => setImmediate(resolve));
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(0);
    const worker = reads.read('prod', 'worker');

    await Promise.all([web, worker]);
    expect(askedPerCall(ecs)).toEqual([2]);
  });

  test('a service busy elsewhere holds the round up for the gather time only', async () => {
    const ecs = ecsAnswering();
    const reads = new BatchedServiceReads(ecs as unknown as ECSClient, 20);
    await Promise.all(['web', 'worker'].map((name) => reads.read('prod', name)));

    // worker is reading its stopped tasks: web's read goes alone once the gather time has passed.
    expect((await reads.read('prod', 'web'))?.serviceName).toBe('web');
    expect(askedPerCall(ecs)).toEqual([2, 1]);
  });

  test('a failed call fails the reads it carried, for each loop to skip the round', async () => {
    const ecs = mockClient(ECSClient);
    ecs.on(DescribeServicesCommand).rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const reads = new BatchedServiceReads(ecs as unknown as ECSClient, 60_000);

    await expect(Promise.all([reads.read('prod', 'web'), reads.read('prod', 'worker')])).rejects.toThrow('Rate exceeded');
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(1);
  });

  test('a service ECS no longer has reads as undefined', async () => {
    const ecs = ecsAnswering(['web']);
    const reads = new BatchedServiceReads(ecs as unknown as ECSClient, 60_000);

    expect(await reads.read('prod', 'web')).toBeUndefined();
  });

  test('services of two clusters are described in a call each', async () => {
    const ecs = ecsAnswering();
    const reads = new BatchedServiceReads(ecs as unknown as ECSClient, 10);

    await Promise.all([reads.read('prod', 'web'), reads.read('staging', 'web')]);

    expect(
      ecs
        .commandCalls(DescribeServicesCommand)
        .map((call) => call.args[0].input.cluster)
        .sort(),
    ).toEqual(['prod', 'staging']);
  });
});

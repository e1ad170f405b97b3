import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import {
  AccessDeniedException,
  ClusterNotFoundException,
  CreateClusterCommand,
  DescribeClustersCommand,
  DescribeTasksCommand,
  ListClustersCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  ServerException,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { DescribeTargetGroupsCommand, TargetGroupNotFoundException } from '@aws-sdk/client-elastic-load-balancing-v2';
import { start, type Sandbox } from '../src/index';
import type { FaultOptions } from '../src/types';
import { container, ecsClient, elbClient, network, register } from './support/harness';

let sandbox: Sandbox;
let ecs: ECSClient;
beforeAll(async () => {
  sandbox = await start({ timeScale: 0.05 });
  ecs = ecsClient(sandbox, 1);
});
afterAll(async () => {
  await sandbox.stop();
});
afterEach(() => sandbox.setFaults(undefined));

/** Which of `n` ListClusters calls (no SDK retry) were answered with an error. */
async function pattern(n: number): Promise<boolean[]> {
  const hits: boolean[] = [];
  for (let i = 0; i < n; i++)
    hits.push(
      await ecs.send(new ListClustersCommand({})).then(
        () => false,
        () => true,
      ),
    );
  return hits;
}

const throttle = { kind: 'error', code: 'ThrottlingException' } as const;

describe('seeded rules', () => {
  const rules: FaultOptions['rules'] = [{ operation: 'ListClusters', probability: 0.3, effect: throttle }];

  test('the same seed gives the same fault pattern over 50 calls; another seed another one', async () => {
    sandbox.setFaults({ seed: 7, rules });
    const first = await pattern(50);
    sandbox.setFaults({ seed: 7, rules });
    const again = await pattern(50);
    sandbox.setFaults({ seed: 8, rules });
    const other = await pattern(50);

    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    // About 30% of the calls, not none nor all.
    const hits = first.filter(Boolean).length;
    expect(hits).toBeGreaterThan(5);
    expect(hits).toBeLessThan(30);
  });

  test('a rule counts only the calls it selects, so other calls in between do not move its pattern', async () => {
    sandbox.setFaults({ seed: 3, rules });
    const alone = await pattern(20);
    sandbox.setFaults({ seed: 3, rules });
    const interleaved: boolean[] = [];
    for (let i = 0; i < 20; i++) {
      await ecs.send(new DescribeClustersCommand({ clusters: ['default'] }));
      interleaved.push(...(await pattern(1)));
    }
    expect(interleaved).toEqual(alone);
  });
});

describe('which calls a rule hits', () => {
  test('after skips the first N selected calls, count then hits the next N', async () => {
    sandbox.setFaults({ rules: [{ operation: 'ListClusters', after: 2, count: 3, effect: throttle }] });
    expect(await pattern(8)).toEqual([false, false, true, true, true, false, false, false]);
  });

  test('match hits only calls whose input holds the given values', async () => {
    sandbox.setFaults({
      rules: [{ operation: ['DescribeClusters', 'DeleteCluster'], match: { clusters: ['prod'] }, effect: { kind: 'refuse' } }],
    });
    await expect(ecs.send(new DescribeClustersCommand({ clusters: ['prod'] }))).rejects.toBeInstanceOf(AccessDeniedException);
    await expect(ecs.send(new DescribeClustersCommand({ clusters: ['staging', 'prod'] }))).rejects.toBeInstanceOf(AccessDeniedException);
    await expect(ecs.send(new DescribeClustersCommand({ clusters: ['staging'] }))).resolves.toBeDefined();
  });

  test('service limits a rule to one service', async () => {
    sandbox.setFaults({ rules: [{ service: 'elbv2', effect: throttle }] });
    await expect(ecs.send(new ListClustersCommand({}))).resolves.toBeDefined();
    await expect(elbClient(sandbox, 1).send(new DescribeTargetGroupsCommand({}))).rejects.toMatchObject({ name: 'Throttling' });
  });

  test('a rule that cannot apply is refused when set, saying what is wrong', () => {
    expect(() => sandbox.setFaults({ rules: [{ probability: 1.5, effect: throttle }] })).toThrow(
      'fault rule 0: probability must be between 0 and 1, got 1.5',
    );
    expect(() => sandbox.setFaults({ rules: [{ effect: { kind: 'explode' } as never }] })).toThrow(
      /effect.kind must be one of error, refuse, latency, drop/,
    );
  });
});

describe("error effects answer in the service's own shape", () => {
  test('JSON (ECS): the given code, message and status; without a code, the service server error', async () => {
    sandbox.setFaults({
      rules: [
        {
          operation: 'DescribeClusters',
          count: 1,
          effect: { kind: 'error', code: 'ClusterNotFoundException', message: 'Cluster not found.' },
        },
      ],
    });
    const notFound = (await ecs
      .send(new DescribeClustersCommand({ clusters: ['default'] }))
      .catch((e: unknown) => e)) as ClusterNotFoundException;
    expect(notFound).toBeInstanceOf(ClusterNotFoundException);
    expect(notFound.message).toBe('Cluster not found.');
    expect(notFound.$metadata.httpStatusCode).toBe(400);

    sandbox.setFaults({ rules: [{ effect: { kind: 'error' } }] });
    const server = (await ecs.send(new ListClustersCommand({})).catch((e: unknown) => e)) as ServerException;
    expect(server).toBeInstanceOf(ServerException);
    expect(server.$metadata.httpStatusCode).toBe(500);
  });

  test('awsQuery (ELBv2): the given code as its exception, and its own throttle and server error', async () => {
    const elb = elbClient(sandbox, 1);
    sandbox.setFaults({
      rules: [{ count: 1, effect: { kind: 'error', code: 'TargetGroupNotFound', message: 'One or more target groups not found' } }],
    });
    const notFound = (await elb.send(new DescribeTargetGroupsCommand({})).catch((e: unknown) => e)) as TargetGroupNotFoundException;
    expect(notFound).toBeInstanceOf(TargetGroupNotFoundException);
    expect(notFound.message).toBe('One or more target groups not found');

    sandbox.setFaults({
      rules: [
        { count: 1, effect: throttle },
        { count: 1, after: 1, effect: { kind: 'error' } },
      ],
    });
    await expect(elb.send(new DescribeTargetGroupsCommand({}))).rejects.toMatchObject({
      name: 'Throttling',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(elb.send(new DescribeTargetGroupsCommand({}))).rejects.toMatchObject({
      name: 'ServiceUnavailable',
      $metadata: { httpStatusCode: 503 },
    });
  });
});

describe('dropped connections', () => {
  test('dropped after the call took effect: the SDK sees a network error, yet the cluster exists', async () => {
    sandbox.setFaults({ rules: [{ operation: 'CreateCluster', effect: { kind: 'drop', when: 'after' } }] });
    const error = (await ecs.send(new CreateClusterCommand({ clusterName: 'dropped-after' })).catch((e: unknown) => e)) as Error & {
      $metadata?: unknown;
    };
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toHaveProperty('$metadata.httpStatusCode');
    sandbox.setFaults(undefined);
    const { clusters } = await ecs.send(new DescribeClustersCommand({ clusters: ['dropped-after'] }));
    expect(clusters).toEqual([expect.objectContaining({ clusterName: 'dropped-after', status: 'ACTIVE' })]);
    expect(sandbox.calls.find((c) => c.operation === 'CreateCluster' && c.fault === 'dropped-after')).toBeDefined();
  });

  test('dropped before: nothing changed', async () => {
    sandbox.setFaults({ rules: [{ operation: 'CreateCluster', effect: { kind: 'drop', when: 'before' } }] });
    await expect(ecs.send(new CreateClusterCommand({ clusterName: 'dropped-before' }))).rejects.toBeInstanceOf(Error);
    sandbox.setFaults(undefined);
    const { clusters, failures } = await ecs.send(new DescribeClustersCommand({ clusters: ['dropped-before'] }));
    expect(clusters).toEqual([]);
    expect(failures).toEqual([expect.objectContaining({ reason: 'MISSING' })]);
  });

  test("the SDK's own retry of a call dropped after it took effect registers a second revision", async () => {
    sandbox.setFaults({ rules: [{ operation: 'RegisterTaskDefinition', count: 1, effect: { kind: 'drop', when: 'after' } }] });
    const { taskDefinition } = await ecsClient(sandbox, 2).send(
      new RegisterTaskDefinitionCommand({ family: 'retried', containerDefinitions: [container('app', 'app:1')] }),
    );
    expect(taskDefinition?.revision).toBe(2);
  });
});

describe('latency and the call log', () => {
  test('a latency effect delays the answer in real time', async () => {
    sandbox.setFaults({ rules: [{ operation: 'ListClusters', effect: { kind: 'latency', ms: 300 } }] });
    const started = Date.now();
    await ecs.send(new ListClustersCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  test('each applied fault is recorded on the call: rule, call index and effect; latencies add to the answering one', async () => {
    sandbox.setFaults({
      rules: [
        { operation: 'ListClusters', effect: { kind: 'latency', ms: 20 } },
        { operation: 'ListClusters', after: 1, effect: throttle },
        { operation: 'ListClusters', effect: { kind: 'error' } },
      ],
    });
    const from = sandbox.calls.length;
    await pattern(2);
    const [first, second] = sandbox.calls.slice(from);
    expect(first).toMatchObject({
      fault: 'server-error',
      faults: [
        { rule: 0, callIndex: 0, effect: { kind: 'latency', ms: 20 } },
        { rule: 2, callIndex: 0, effect: { kind: 'error' } },
      ],
    });
    // The first error rule that hits answers; the later one is not applied.
    expect(second).toMatchObject({
      fault: 'throttle',
      faults: [
        { rule: 0, callIndex: 1, effect: { kind: 'latency', ms: 20 } },
        { rule: 1, callIndex: 1, effect: throttle },
      ],
    });
  });
});

describe('shorthand options', () => {
  test('are rules placed before the given ones, and answer as before', async () => {
    sandbox.setFaults({
      throttleRate: 1,
      operations: ['ListClusters'],
      rules: [{ operation: 'DescribeClusters', effect: { kind: 'refuse' } }],
    });
    await expect(ecs.send(new ListClustersCommand({}))).rejects.toMatchObject({
      name: 'ThrottlingException',
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: 400 },
    });
    expect(sandbox.calls.at(-1)).toMatchObject({ fault: 'throttle', faults: [{ rule: 0, effect: throttle }] });
    await expect(ecs.send(new DescribeClustersCommand({ clusters: ['default'] }))).rejects.toBeInstanceOf(AccessDeniedException);
    expect(sandbox.calls.at(-1)).toMatchObject({ fault: 'refused', faults: [{ rule: 1 }] });
  });
});

describe('the control endpoint', () => {
  const url = () => `${sandbox.endpoint}/_sandbox/faults`;
  const send = async (method: string, body?: unknown) => {
    const response = await fetch(url(), { method, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  test('POST sets rules and a seed, GET shows them, DELETE clears them', async () => {
    const options = { seed: 11, rules: [{ operation: 'ListClusters', effect: throttle }] };
    expect(await send('POST', options)).toEqual({ status: 200, body: options });
    expect(await send('GET')).toEqual({ status: 200, body: options });
    await expect(ecs.send(new ListClustersCommand({}))).rejects.toMatchObject({ name: 'ThrottlingException' });

    expect(await send('DELETE')).toEqual({ status: 200, body: {} });
    expect(await send('GET')).toEqual({ status: 200, body: {} });
    await expect(ecs.send(new ListClustersCommand({}))).resolves.toBeDefined();
  });

  test('PATCH adds rules after those in force', async () => {
    await send('POST', { seed: 5, rules: [{ operation: 'ListClusters', effect: throttle }] });
    expect(await send('PATCH', { rules: [{ operation: 'DescribeClusters', effect: { kind: 'refuse' } }] })).toEqual({
      status: 200,
      body: {
        seed: 5,
        rules: [
          { operation: 'ListClusters', effect: throttle },
          { operation: 'DescribeClusters', effect: { kind: 'refuse' } },
        ],
      },
    });
    await expect(ecs.send(new ListClustersCommand({}))).rejects.toMatchObject({ name: 'ThrottlingException' });
    await expect(ecs.send(new DescribeClustersCommand({ clusters: ['default'] }))).rejects.toBeInstanceOf(AccessDeniedException);
  });

  test('a rule that cannot apply is answered 400 with the reason, and the rules in force stay', async () => {
    await send('POST', { rules: [{ operation: 'ListClusters', effect: throttle }] });
    expect(await send('POST', { rules: [{ count: -1, effect: throttle }] })).toEqual({
      status: 400,
      body: { message: 'fault rule 0: count must be a whole number of calls, got -1' },
    });
    await expect(ecs.send(new ListClustersCommand({}))).rejects.toMatchObject({ name: 'ThrottlingException' });
  });

  test('GET /_sandbox/calls lists the call log with the faults applied', async () => {
    sandbox.setFaults({ rules: [{ operation: 'ListClusters', effect: throttle }] });
    await pattern(1);
    const calls = (await (await fetch(`${sandbox.endpoint}/_sandbox/calls`)).json()) as unknown[];
    expect(calls.at(-1)).toMatchObject({
      service: 'ecs',
      operation: 'ListClusters',
      fault: 'throttle',
      faults: [{ rule: 0, effect: throttle }],
    });
  });
});

describe('control-plane effects', () => {
  test("task-fails-to-start: the call runs, and the next task of the call's family fails to start", async () => {
    const manual = await start({ clock: 'manual' });
    try {
      const client = ecsClient(manual, 1);
      await client.send(new CreateClusterCommand({ clusterName: 'jobs' }));
      await register(client, 'migrate', [container('migrate', 'migrate:1')]);
      manual.setFaults({
        rules: [{ operation: 'RunTask', count: 1, effect: { kind: 'task-fails-to-start', reason: 'CannotPullContainerError: injected' } }],
      });
      const run = () =>
        client.send(
          new RunTaskCommand({ cluster: 'jobs', taskDefinition: 'migrate', launchType: 'FARGATE', networkConfiguration: network }),
        );
      const failing = (await run()).tasks?.[0]?.taskArn as string;
      const healthy = (await run()).tasks?.[0]?.taskArn as string;
      await manual.advance(5_000);
      const { tasks } = await client.send(new DescribeTasksCommand({ cluster: 'jobs', tasks: [failing, healthy] }));
      expect(tasks?.find((t) => t.taskArn === failing)).toMatchObject({
        lastStatus: 'STOPPED',
        stopCode: 'TaskFailedToStart',
        stoppedReason: 'CannotPullContainerError: injected',
      });
      expect(tasks?.find((t) => t.taskArn === healthy)).toMatchObject({ lastStatus: 'RUNNING' });
    } finally {
      await manual.stop();
    }
  });
});

import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  AccessDeniedException,
  ClientException,
  ClusterNotFoundException,
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  ECSClient,
  InvalidParameterException,
  ListClustersCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  ServerException,
  ServiceNotFoundException,
  UnsupportedFeatureException,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { DescribeLogGroupsCommand, ServiceUnavailableException } from '@aws-sdk/client-cloudwatch-logs';
import { start, type Sandbox } from '../src/index';
import { container, createSteadyService, ecsClient, logsClient } from './support/harness';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start({ timeScale: 0.05 });
});
afterAll(async () => {
  await sandbox.stop();
});

async function post(target: string, body = '{}') {
  const response = await fetch(sandbox.endpoint, {
    method: 'POST',
    headers: { 'X-Amz-Target': target, 'Content-Type': 'application/x-amz-json-1.1' },
    body,
  });
  return {
    status: response.status,
    errorType: response.headers.get('x-amzn-errortype'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe('awsJson1_1 wire protocol', () => {
  test('errors carry __type and x-amzn-ErrorType, so the SDK throws its own exception classes', async () => {
    const ecs = ecsClient(sandbox);
    await expect(ecs.send(new DescribeServicesCommand({ cluster: 'absent', services: ['x'] }))).rejects.toBeInstanceOf(
      ClusterNotFoundException,
    );
    await ecs.send(new CreateClusterCommand({ clusterName: 'errors' }));
    await expect(ecs.send(new UpdateServiceCommand({ cluster: 'errors', service: 'absent', desiredCount: 1 }))).rejects.toBeInstanceOf(
      ServiceNotFoundException,
    );
    await expect(ecs.send(new RegisterTaskDefinitionCommand({ family: 'empty', containerDefinitions: [] }))).rejects.toBeInstanceOf(
      ClientException,
    );
    const arn = (
      await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'vpc',
          networkMode: 'awsvpc',
          containerDefinitions: [{ name: 'app', image: 'app:1' }],
        }),
      )
    ).taskDefinition?.taskDefinitionArn;
    const missingNetwork = ecs.send(
      new CreateServiceCommand({ cluster: 'errors', serviceName: 'vpc', taskDefinition: arn, desiredCount: 1 }),
    );
    await expect(missingNetwork).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(missingNetwork).rejects.toThrow("Network Configuration must be provided when networkMode 'awsvpc' is specified.");

    const raw = await post('AmazonEC2ContainerServiceV20141113.DescribeClusters', '{"clusters":[]}');
    expect(raw.status).toBe(200);
    const error = await post('AmazonEC2ContainerServiceV20141113.DescribeServices', '{"cluster":"absent","services":["x"]}');
    expect(error).toEqual({
      status: 400,
      errorType: 'ClusterNotFoundException',
      body: { __type: 'ClusterNotFoundException', message: 'Cluster not found.' },
    });
  });

  test('an unknown operation or target prefix is answered as AWS does', async () => {
    const unknownOperation = await post('AmazonEC2ContainerServiceV20141113.LaunchRocket');
    expect(unknownOperation.status).toBe(400);
    expect(unknownOperation.body.__type).toBe('com.amazon.coral.service#UnknownOperationException');
    expect(unknownOperation.errorType).toBe('UnknownOperationException');
    const unknownPrefix = await post('DynamoDB_20120810.ListTables');
    expect(unknownPrefix.body.__type).toBe('com.amazon.coral.service#UnknownOperationException');
    const malformed = await post('AmazonEC2ContainerServiceV20141113.ListClusters', '{not json');
    expect(malformed.status).toBe(400);
    expect(malformed.body.__type).toBe('com.amazon.coral.service#SerializationException');
  });

  test('every request is recorded in calls', async () => {
    const before = sandbox.calls.length;
    await ecsClient(sandbox).send(new ListClustersCommand({}));
    await logsClient(sandbox).send(new DescribeLogGroupsCommand({}));
    expect(sandbox.calls.slice(before).map((c) => `${c.service}:${c.operation}`)).toEqual(['ecs:ListClusters', 'logs:DescribeLogGroups']);
    expect(sandbox.calls[before].at).toBeGreaterThan(Date.now() - 5000);
  });

  test('env() points an SDK client built from the environment alone at the sandbox', async () => {
    const env = sandbox.env();
    expect(Object.keys(env).sort()).toEqual([
      'AWS_ACCESS_KEY_ID',
      'AWS_DEFAULT_REGION',
      'AWS_ENDPOINT_URL',
      'AWS_REGION',
      'AWS_SECRET_ACCESS_KEY',
    ]);
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const before = sandbox.calls.length;
      const answer = await new ECSClient({}).send(new ListClustersCommand({}));
      expect(answer.clusterArns).toBeDefined();
      expect(sandbox.calls.length).toBe(before + 1);
    } finally {
      process.env = saved;
    }
  });
});

describe('fault injection', () => {
  test('throttling answers ThrottlingException (400) and is recorded', async () => {
    sandbox.setFaults({ throttleRate: 1 });
    try {
      const error = await ecsClient(sandbox, 1)
        .send(new ListClustersCommand({}))
        .catch((e: unknown) => e as Error & { $metadata: { httpStatusCode: number } });
      expect(error).toMatchObject({ name: 'ThrottlingException', message: 'Rate exceeded' });
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(sandbox.calls.at(-1)).toMatchObject({ operation: 'ListClusters', fault: 'throttle' });
    } finally {
      sandbox.setFaults(undefined);
    }
  });

  test("server errors answer 500 with each service's server exception", async () => {
    sandbox.setFaults({ serverErrorRate: 1 });
    try {
      const ecsError = await ecsClient(sandbox, 1)
        .send(new ListClustersCommand({}))
        .catch((e: unknown) => e as ServerException);
      expect(ecsError).toBeInstanceOf(ServerException);
      expect(ecsError.$metadata.httpStatusCode).toBe(500);
      const logsError = await logsClient(sandbox, 1)
        .send(new DescribeLogGroupsCommand({}))
        .catch((e: unknown) => e);
      expect(logsError).toBeInstanceOf(ServiceUnavailableException);
      expect(sandbox.calls.at(-1)?.fault).toBe('server-error');
    } finally {
      sandbox.setFaults(undefined);
    }
  });

  test('each SDK retry of a faulted operation is recorded; operations outside `operations` are spared', async () => {
    sandbox.setFaults({ throttleRate: 1, operations: ['DescribeClusters'] });
    const before = sandbox.calls.length;
    const slow = ecsClient(sandbox, 3)
      .send(new DescribeClustersCommand({ clusters: ['default'] }))
      .catch((e: unknown) => e as Error);
    await expect(slow).resolves.toMatchObject({ name: 'ThrottlingException' });
    expect(sandbox.calls.slice(before).filter((c) => c.operation === 'DescribeClusters' && c.fault === 'throttle')).toHaveLength(3);
    // Other operations are spared.
    await expect(ecsClient(sandbox, 1).send(new ListClustersCommand({}))).resolves.toBeDefined();
    expect(sandbox.calls.at(-1)?.fault).toBeUndefined();
    sandbox.setFaults(undefined);
  });

  test('refuseWith answers AccessDeniedException (400) for the listed operations only, without running them', async () => {
    sandbox.setFaults({ refuseWith: 'AccessDeniedException', operations: ['DescribeClusters'] });
    try {
      const error = (await ecsClient(sandbox, 3)
        .send(new DescribeClustersCommand({ clusters: ['default'] }))
        .catch((e: unknown) => e)) as Error & { $metadata: { httpStatusCode: number } };
      expect(error).toBeInstanceOf(AccessDeniedException);
      expect(error.message).toBe(
        'User is not authorized to perform: ecs:DescribeClusters because no identity-based policy allows the ecs:DescribeClusters action',
      );
      expect(error.$metadata.httpStatusCode).toBe(400);
      // Not retried by the SDK: a refusal is not transient.
      expect(sandbox.calls.filter((c) => c.operation === 'DescribeClusters' && c.fault === 'refused')).toHaveLength(1);
      await expect(ecsClient(sandbox, 1).send(new ListClustersCommand({}))).resolves.toBeDefined();
    } finally {
      sandbox.setFaults(undefined);
    }
  });

  test('refuseWith UnsupportedFeatureException, and nothing is refused without `operations`', async () => {
    sandbox.setFaults({ refuseWith: 'UnsupportedFeatureException', operations: ['ListClusters'] });
    try {
      await expect(ecsClient(sandbox, 1).send(new ListClustersCommand({}))).rejects.toBeInstanceOf(UnsupportedFeatureException);
      sandbox.setFaults({ refuseWith: 'AccessDeniedException' });
      await expect(ecsClient(sandbox, 1).send(new ListClustersCommand({}))).resolves.toBeDefined();
    } finally {
      sandbox.setFaults(undefined);
    }
  });

  test('latency delays every answer by latencyMs', async () => {
    sandbox.setFaults({ latencyMs: 300 });
    try {
      const started = Date.now();
      await ecsClient(sandbox).send(new ListClustersCommand({}));
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect(sandbox.calls.at(-1)?.fault).toBe('latency');
    } finally {
      sandbox.setFaults(undefined);
    }
    const started = Date.now();
    await ecsClient(sandbox).send(new ListClustersCommand({}));
    expect(Date.now() - started).toBeLessThan(250);
  });
});

describe('snapshot', () => {
  test('read-only calls leave the state unchanged, and a write changes it', async () => {
    const { ecs, cluster, service } = await createSteadyService(sandbox, { service: 'readonly', image: 'readonly:1', desiredCount: 1 });
    const before = sandbox.snapshot();
    await ecs.send(new DescribeServicesCommand({ cluster, services: [service, 'absent'] }));
    await ecs.send(new DescribeClustersCommand({ clusters: [cluster] }));
    await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'readonly' }));
    await logsClient(sandbox).send(new DescribeLogGroupsCommand({}));
    expect(sandbox.snapshot()).toEqual(before);
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'readonly',
        containerDefinitions: [container('readonly', 'readonly:2', { logConfiguration: undefined })],
      }),
    );
    expect(sandbox.snapshot()).not.toEqual(before);
  });
});

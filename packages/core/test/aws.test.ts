import { describe, expect, test } from '@jest/globals';
import { ListClustersCommand, ECSClient } from '@aws-sdk/client-ecs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  clientFactory,
  clientSettings,
  createClient,
  resolveRegion,
  retryingThrottlesOnly,
  sendingOnce,
  THROTTLE_ATTEMPTS,
  withoutSdkRetries,
} from '../src/common/aws';
import { ConfigurationError } from '../src/common/errors';
import { FailFastRetryStrategy } from '../src/common/sdk-retry';
import { SUITE_VERSION } from '../src/common/version';

describe('resolveRegion', () => {
  test.each<[string, string | undefined, NodeJS.ProcessEnv, string]>([
    ['the input wins over both variables', 'eu-west-1', { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-west-2' }, 'eu-west-1'],
    ['AWS_REGION without the input', undefined, { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-west-2' }, 'us-east-1'],
    ['AWS_DEFAULT_REGION last', undefined, { AWS_DEFAULT_REGION: 'us-west-2' }, 'us-west-2'],
    ['GovCloud', 'us-gov-west-1', {}, 'us-gov-west-1'],
    ['China', undefined, { AWS_REGION: 'cn-north-1' }, 'cn-north-1'],
    ['a three-part name', 'ap-southeast-2', {}, 'ap-southeast-2'],
  ])('%s', (_, input, env, expected) => {
    expect(resolveRegion(input, env)).toBe(expected);
  });

  test('no region anywhere is a ConfigurationError naming region and AWS_REGION', () => {
    let error: unknown;
    try {
      resolveRegion(undefined, {});
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).input).toBe('region');
    expect((error as ConfigurationError).message).toContain("'region'");
    expect((error as ConfigurationError).message).toContain('AWS_REGION');
  });

  test('reads process.env by default', () => {
    const saved = process.env.AWS_REGION;
    process.env.AWS_REGION = 'sa-east-1';
    try {
      expect(resolveRegion(undefined)).toBe('sa-east-1');
    } finally {
      if (saved === undefined) delete process.env.AWS_REGION;
      else process.env.AWS_REGION = saved;
    }
  });

  test.each([
    ['upper case', 'US-EAST-1', {}],
    ['missing number', 'us-east', {}],
    ['an availability zone', 'us-east-1a', {}],
    ['a display name', 'N. Virginia', {}],
    ['a malformed variable', undefined, { AWS_REGION: 'useast1' }],
    ['spaces', 'us east 1', {}],
  ])('rejects %s, naming region and an example', (_, input, env) => {
    let error: unknown;
    try {
      resolveRegion(input, env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).input).toBe('region');
    expect((error as ConfigurationError).message).toContain("'region'");
    expect((error as ConfigurationError).message).toContain('us-east-1');
    expect((error as ConfigurationError).message).toContain(`"${input ?? env.AWS_REGION}"`);
  });
});

/** The settings, with a retry strategy of their kind (each client gets its own: its retry capacity is its own). */
const settingsLike = (context: Parameters<typeof clientSettings>[0]) => ({
  ...clientSettings(context),
  retryStrategy: expect.any(FailFastRetryStrategy),
});

describe('clientSettings', () => {
  test('standard retry with a few attempts (not adaptive: its rate limiter slows every later call), the region, and a user agent naming the action and the suite version', () => {
    const settings = clientSettings({ region: 'eu-central-1', action: 'deploy-ecs' });
    expect(settings.region).toBe('eu-central-1');
    expect(settings.retryMode).toBe('standard');
    expect(settings.maxAttempts).toBe(8);
    const agent = settings.customUserAgent.flat().join('/');
    expect(agent).toContain('deploy-ecs');
    expect(agent).toContain(SUITE_VERSION);
    expect(settings.requestHandler.requestTimeout).toBeGreaterThan(settings.requestHandler.connectionTimeout);
  });

  test('different actions get different user agents', () => {
    const a = clientSettings({ region: 'us-east-1', action: 'deploy-ecs' }).customUserAgent;
    const b = clientSettings({ region: 'us-east-1', action: 'run-task' }).customUserAgent;
    expect(a).not.toEqual(b);
  });

  test('createClient hands the settings to the client class', () => {
    const seen: unknown[] = [];
    class FakeClient {
      constructor(config: unknown) {
        seen.push(config);
      }
    }
    const client = createClient(FakeClient, { region: 'us-east-1', action: 'deploy-ecs' });
    expect(client).toBeInstanceOf(FakeClient);
    expect(seen).toEqual([settingsLike({ region: 'us-east-1', action: 'deploy-ecs' })]);
  });

  test('clientFactory builds each client with the region asked for and the action it was made for', () => {
    const seen: unknown[] = [];
    class FakeClient {
      constructor(config: unknown) {
        seen.push(config);
      }
    }
    const clients = clientFactory('verify-health');
    expect(clients(FakeClient, 'eu-west-1')).toBeInstanceOf(FakeClient);
    expect(seen).toEqual([settingsLike({ region: 'eu-west-1', action: 'verify-health' })]);
  });

  test('a real SDK client built with them retries in standard mode and sends the user agent', async () => {
    const client = createClient(ECSClient, { region: 'eu-west-1', action: 'deploy-ecs' });
    // Credentials are only needed to get the request built; it never leaves the process.
    client.config.credentials = async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI' });
    expect(await client.config.region()).toBe('eu-west-1');
    expect(((await client.config.retryStrategy()) as { mode?: string }).mode).toBe('standard');

    let headers: Record<string, string> | undefined;
    client.middlewareStack.add(
      () => async (args) => {
        headers = (args.request as { headers: Record<string, string> }).headers;
        throw Object.assign(new Error('stopped before sending'), { name: 'StopForTest' });
      },
      { step: 'finalizeRequest', priority: 'low', name: 'captureHeadersForTest' },
    );
    await expect(client.send(new ListClustersCommand({}))).rejects.toThrow('stopped before sending');
    const userAgent = `${headers?.['user-agent'] ?? ''} ${headers?.['x-amz-user-agent'] ?? ''}`;
    // The SDK writes a [name, version] pair as `name#version` when the name holds a slash.
    expect(userAgent).toContain(`ecs-deploy-suite/deploy-ecs#${SUITE_VERSION}`);
  });
});

describe('withoutSdkRetries', () => {
  /** A real client against a local endpoint that answers every request with a 500, counting the requests. */
  async function failingEndpoint(): Promise<{ client: ECSClient; requests: () => number; close: () => Promise<void> }> {
    let requests = 0;
    const server = createServer((req, res) => {
      requests += 1;
      req.resume();
      req.on('end', () => {
        res.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'ServerException', message: 'We encountered an internal error.' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = new ECSClient({
      ...clientSettings({ region: 'us-east-1', action: 'deploy-ecs' }),
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI' },
    });
    return { client, requests: () => requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
  }

  test('a command sent through it is tried once, where the client would try it maxAttempts times', async () => {
    const endpoint = await failingEndpoint();
    try {
      await expect(endpoint.client.send(new ListClustersCommand({}))).rejects.toMatchObject({ name: 'ServerException' });
      expect(endpoint.requests()).toBe(8);

      await expect(endpoint.client.send(withoutSdkRetries(new ListClustersCommand({})))).rejects.toMatchObject({
        name: 'ServerException',
        $metadata: { httpStatusCode: 500 },
      });
      expect(endpoint.requests()).toBe(9);
    } finally {
      endpoint.client.destroy();
      await endpoint.close();
    }
  });

  test('a client seen through sendingOnce sends every command once', async () => {
    const endpoint = await failingEndpoint();
    try {
      await expect(sendingOnce(endpoint.client).send(new ListClustersCommand({}))).rejects.toMatchObject({ name: 'ServerException' });
      expect(endpoint.requests()).toBe(1);
    } finally {
      endpoint.client.destroy();
      await endpoint.close();
    }
  });
});

describe('retryingThrottlesOnly', () => {
  /** A real client against a local endpoint that answers `answer(n)` to its n-th request (1-based). */
  async function endpoint(answer: (n: number) => { status: number; body: object }) {
    let requests = 0;
    const server = createServer((req, res) => {
      requests += 1;
      const { status, body } = answer(requests);
      req.resume();
      req.on('end', () => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = new ECSClient({
      ...clientSettings({ region: 'us-east-1', action: 'deploy-ecs' }),
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI' },
    });
    return { client, requests: () => requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }
  const throttle = { status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } };
  const noDelay = () => 0;

  test('a throttled call (refused before it ran) is sent again by the SDK until it is answered', async () => {
    const server = await endpoint((n) =>
      n <= 2 ? throttle : { status: 200, body: { clusterArns: ['arn:aws:ecs:us-east-1:1:cluster/prod'] } },
    );
    try {
      const answer = await server.client.send(retryingThrottlesOnly(new ListClustersCommand({}), { random: noDelay }));
      expect(answer.clusterArns).toEqual(['arn:aws:ecs:us-east-1:1:cluster/prod']);
      expect(server.requests()).toBe(3);
    } finally {
      server.client.destroy();
      await server.close();
    }
  });

  test(`throttling that outlasts ${THROTTLE_ATTEMPTS} attempts is thrown to the caller`, async () => {
    const server = await endpoint(() => throttle);
    try {
      await expect(server.client.send(retryingThrottlesOnly(new ListClustersCommand({}), { random: noDelay }))).rejects.toMatchObject({
        name: 'ThrottlingException',
      });
      expect(server.requests()).toBe(THROTTLE_ATTEMPTS);
    } finally {
      server.client.destroy();
      await server.close();
    }
  });

  test('a cancellation during the throttle wait ends it at once and sends nothing more', async () => {
    const controller = new AbortController();
    const server = await endpoint(() => {
      controller.abort();
      return throttle;
    });
    try {
      // A full-length wait (random 1: 500 ms, then 1 s, ...) that the signal must cut short.
      const sent = server.client.send(retryingThrottlesOnly(new ListClustersCommand({}), { signal: controller.signal, random: () => 1 }));
      await expect(sent).rejects.toMatchObject({ name: 'WorkflowCancelled' });
      expect(server.requests()).toBe(1);
    } finally {
      server.client.destroy();
      await server.close();
    }
  });

  test('a 5xx (the call may have taken effect) is thrown at once: the caller looks before it tries again', async () => {
    const server = await endpoint(() => ({
      status: 500,
      body: { __type: 'ServerException', message: 'We encountered an internal error.' },
    }));
    try {
      await expect(server.client.send(retryingThrottlesOnly(new ListClustersCommand({}), { random: noDelay }))).rejects.toMatchObject({
        name: 'ServerException',
      });
      expect(server.requests()).toBe(1);
    } finally {
      server.client.destroy();
      await server.close();
    }
  });
});

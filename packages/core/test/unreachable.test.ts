import { afterEach, describe, expect, test } from '@jest/globals';
import { ListClustersCommand, ECSClient } from '@aws-sdk/client-ecs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clientSettings } from '../src/common/aws';
import { describeUnreachable, unreachableEndpoint } from '../src/common/unreachable';
import { describeFailure } from '../src/platform/run-action';
import { resultOfError } from '../src/preflight/check-errors';

const socketError = (code: string, fields: Record<string, unknown>) =>
  Object.assign(new Error(`${code} from the socket`), { code, ...fields });

describe('unreachableEndpoint', () => {
  test.each<[string, unknown, ReturnType<typeof unreachableEndpoint>]>([
    [
      'a refused connection',
      socketError('ECONNREFUSED', { address: '127.0.0.1', port: 9 }),
      { code: 'ECONNREFUSED', where: '127.0.0.1:9' },
    ],
    [
      'a host that does not resolve',
      socketError('ENOTFOUND', { hostname: 'ecs.eu-west-9.amazonaws.com' }),
      { code: 'ENOTFOUND', where: 'ecs.eu-west-9.amazonaws.com' },
    ],
    [
      'a DNS that does not answer',
      socketError('EAI_AGAIN', { hostname: 'ecs.us-east-1.amazonaws.com' }),
      { code: 'EAI_AGAIN', where: 'ecs.us-east-1.amazonaws.com' },
    ],
    [
      'a cause',
      new Error('wrapped', { cause: socketError('ENOTFOUND', { hostname: 'h.example' }) }),
      { code: 'ENOTFOUND', where: 'h.example' },
    ],
    [
      'an error of another realm, copied as its message',
      new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:1'),
      { code: 'ECONNREFUSED', where: '127.0.0.1:1' },
    ],
    ['a connection reset (the call may have reached AWS)', socketError('ECONNRESET', {}), undefined],
    ['a throttle', Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }), undefined],
  ])('%s', (_, error, expected) => {
    expect(unreachableEndpoint(error)).toEqual(expected);
  });
});

describe('describeUnreachable names the host and the setting to check', () => {
  test('an endpoint variable that refuses connections', () => {
    expect(
      describeUnreachable(
        { code: 'ECONNREFUSED', where: '127.0.0.1:9' },
        { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_REGION: 'us-east-1' },
      ),
    ).toBe(
      "Could not reach AWS: the connection to 127.0.0.1:9 was refused (ECONNREFUSED): nothing listens there. The call was not retried. AWS_ENDPOINT_URL is http://127.0.0.1:9: check it, or unset it to use AWS's own endpoint for the region.",
    );
  });

  test('a service endpoint variable is named as such', () => {
    expect(describeUnreachable({ code: 'ECONNREFUSED', where: '127.0.0.1:9' }, { AWS_ENDPOINT_URL_ECS: 'http://127.0.0.1:9' })).toContain(
      'AWS_ENDPOINT_URL_ECS is http://127.0.0.1:9',
    );
  });

  test("a region's host that does not resolve", () => {
    expect(describeUnreachable({ code: 'ENOTFOUND', where: 'ecs.eu-west-9.amazonaws.com' }, { AWS_REGION: 'eu-west-9' })).toBe(
      "Could not reach AWS: the host ecs.eu-west-9.amazonaws.com does not resolve (ENOTFOUND). The call was not retried. The endpoint comes from the region (eu-west-9): check the 'region' input or AWS_REGION, and the runner's network.",
    );
  });

  test('describeFailure, the one place errors become messages, uses it', () => {
    expect(describeFailure(socketError('ECONNREFUSED', { address: '127.0.0.1', port: 9 }))).toMatch(
      /^Could not reach AWS: the connection to 127\.0\.0\.1:9 was refused \(ECONNREFUSED\)/,
    );
  });
});

describe('the shared client settings do not retry an unreachable endpoint', () => {
  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
  }

  test('a refused connection fails on the first attempt, with no backoff', async () => {
    const client = new ECSClient({
      ...clientSettings({ region: 'us-east-1', action: 'deploy-ecs' }),
      endpoint: `http://127.0.0.1:${await closedPort()}`,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI' },
    });
    try {
      const error = await client.send(new ListClustersCommand({})).then(
        () => undefined,
        (caught: unknown) => caught as { $metadata?: { attempts?: number; totalRetryDelay?: number } },
      );
      expect(unreachableEndpoint(error)).toMatchObject({ code: 'ECONNREFUSED' });
      expect(error?.$metadata).toEqual({ attempts: 1, totalRetryDelay: 0 });
    } finally {
      client.destroy();
    }
  });
});

describe('a pre-flight check that could not reach AWS', () => {
  test('says so in the table in the same words', () => {
    const check = {
      id: 'service-exists',
      title: 'Service exists',
      protects: false,
      run: async () => ({ status: 'pass' as const, detail: '' }),
    };
    const saved = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
    try {
      expect(resultOfError(check, socketError('ECONNREFUSED', { address: '127.0.0.1', port: 9 }))).toEqual({
        status: 'fail',
        detail:
          'Pre-flight check "Service exists" could not run. Could not reach AWS: the connection to 127.0.0.1:9 was refused (ECONNREFUSED): nothing listens there. The call was not retried. AWS_ENDPOINT_URL is http://127.0.0.1:9: check it, or unset it to use AWS\'s own endpoint for the region.',
      });
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = saved;
    }
  });
});

describe('through a proxy, the proxy is what is named', () => {
  const PROXY_NAMES = ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY'];
  const saved = Object.fromEntries(PROXY_NAMES.map((name) => [name, process.env[name]]));
  afterEach(() => {
    for (const name of PROXY_NAMES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  async function send(endpoint: string) {
    const client = new ECSClient({
      ...clientSettings({ region: 'us-east-1', action: 'deploy-ecs' }),
      endpoint,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI' },
    });
    try {
      return await client.send(new ListClustersCommand({})).then(
        () => undefined,
        (caught: unknown) => caught as { $metadata?: { attempts?: number } },
      );
    } finally {
      client.destroy();
    }
  }

  test('a proxy that refuses connections fails on the first attempt, naming the proxy without its credentials', async () => {
    const port = await (async () => {
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      return port;
    })();
    process.env.HTTPS_PROXY = `http://ops:hunter2@127.0.0.1:${port}`;
    const error = await send('https://ecs.us-east-1.amazonaws.com');
    expect(error?.$metadata?.attempts).toBe(1);
    expect(describeFailure(error)).toBe(
      `Could not reach AWS through the proxy http://127.0.0.1:${port} (HTTPS_PROXY): the connection to the proxy 127.0.0.1:${port} was refused (ECONNREFUSED): nothing listens there. The call was not retried. Check HTTPS_PROXY, or list the endpoint's host in NO_PROXY to reach it without the proxy.`,
    );
  });

  test('a proxy that answers CONNECT with 403 fails on the first attempt, with its status and the host asked for', async () => {
    const proxy = createServer();
    let connects = 0;
    proxy.on('connect', (_request, socket) => {
      connects++;
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const { port } = proxy.address() as AddressInfo;
    process.env.HTTPS_PROXY = `http://127.0.0.1:${port}`;
    try {
      const error = await send('https://ecs.us-east-1.amazonaws.com');
      expect(error?.$metadata?.attempts).toBe(1);
      expect(connects).toBe(1);
      expect(describeFailure(error)).toBe(
        `Could not reach AWS through the proxy http://127.0.0.1:${port} (HTTPS_PROXY): it answered 403 to CONNECT ecs.us-east-1.amazonaws.com:443: allow the host on the proxy (407 means it wants credentials: user:password@ in the proxy URL). The call was not retried. Check HTTPS_PROXY, or list the endpoint's host in NO_PROXY to reach it without the proxy.`,
      );
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});

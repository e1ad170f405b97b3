import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { RegisterTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { start, type Sandbox } from '../src/index';
import { RateLimiter } from '../src/http/rate-limits';
import { ecsClient } from './support/harness';

describe('RateLimiter', () => {
  test('a bucket of 20 refilled at 1 a second: 20 at once, the 21st throttled, one more a second later', () => {
    let now = 0;
    const limiter = new RateLimiter({ 'ecs:RegisterTaskDefinition': { burst: 20, perSecond: 1 } }, () => now);

    const burst = Array.from({ length: 21 }, () => limiter.allows('ecs', 'RegisterTaskDefinition'));
    now = 999;
    const early = limiter.allows('ecs', 'RegisterTaskDefinition');
    now = 1000;
    const onTime = limiter.allows('ecs', 'RegisterTaskDefinition');

    expect(burst.filter(Boolean)).toHaveLength(20);
    expect(burst[20]).toBe(false);
    expect([early, onTime]).toEqual([false, true]);
    expect(limiter.allows('ecs', 'DescribeServices')).toBe(true);
  });
});

describe('the sandbox with rateLimits', () => {
  let sandbox: Sandbox;
  let ecs: ECSClient;
  beforeAll(async () => {
    sandbox = await start({ timeScale: 0.05, rateLimits: { 'ecs:RegisterTaskDefinition': { burst: 2, perSecond: 1 } } });
    ecs = ecsClient(sandbox, 1);
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  test('answers a registration over the rate ThrottlingException, as ECS does, and records it as a throttle', async () => {
    const register = (n: number) =>
      ecs.send(
        new RegisterTaskDefinitionCommand({ family: `rate-${n}`, containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }] }),
      );
    await register(1);
    await register(2);

    await expect(register(3)).rejects.toMatchObject({ name: 'ThrottlingException', message: 'Rate exceeded' });
    expect(sandbox.calls.at(-1)).toMatchObject({ operation: 'RegisterTaskDefinition', fault: 'throttle' });
  });
});

import { describe, expect, test } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StopServiceDeploymentCommand } from '@aws-sdk/client-ecs';
import { ecsClient } from './support/harness';
import { STEP_MS, atStage, ended, blueGreenWalk, useManualSandbox } from './support/blue-green-walk';

// AWS_LAMBDA lifecycle hooks of a BLUE_GREEN deployment, on the manual clock, and their HTTP registration.
const sandbox = useManualSandbox();
const { walk, share, steady, deploy } = blueGreenWalk(sandbox);

describe('AWS_LAMBDA hooks', () => {
  const FUNCTION = 'arn:aws:lambda:us-east-1:000000000000:function:check-green';
  const ROLE = 'arn:aws:iam::000000000000:role/ecs-hooks';
  const lambdaAt = (stages: string[], hookTargetArn = FUNCTION) => ({
    lifecycleHooks: [
      {
        targetType: 'AWS_LAMBDA' as const,
        hookTargetArn,
        roleArn: ROLE,
        lifecycleStages: stages as 'POST_SCALE_UP'[],
        hookDetails: { n: 0 },
      },
    ],
  });

  test('IN_PROGRESS is invoked again after callBackDelay (sandbox clock), with the hookDetails it returned, then SUCCEEDED goes on', async () => {
    const calls: Array<{ at: number; event: unknown }> = [];
    let clock = 0;
    const remove = sandbox.registerLambdaHook(FUNCTION, (event) => {
      calls.push({ at: clock, event });
      const n = (event.hookDetails as { n: number }).n;
      return n < 1 ? { hookStatus: 'IN_PROGRESS', callBackDelay: 60, hookDetails: { n: n + 1 } } : { hookStatus: 'SUCCEEDED' };
    });
    try {
      const { bg, v2 } = await steady('lambda', lambdaAt(['POST_SCALE_UP']));
      await deploy(bg, v2);
      await walk(bg, (sd) => {
        clock += STEP_MS;
        return calls.length > 0 || ended(sd);
      });
      const { sd } = await walk(bg, (s) => {
        clock += STEP_MS;
        return ended(s);
      });
      expect(sd.status).toBe('SUCCESSFUL');
      expect(calls).toHaveLength(2);
      expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(60_000);
      expect(calls.map((c) => (c.event as { hookDetails: unknown }).hookDetails)).toEqual([{ n: 0 }, { n: 1 }]);
      expect((calls[0].event as { executionDetails: unknown }).executionDetails).toEqual({
        serviceArn: bg.serviceArn,
        targetServiceRevisionArn: sd.targetServiceRevision?.arn,
        testTrafficWeights: { [sd.targetServiceRevision?.arn as string]: 0, [sd.sourceServiceRevisions?.[0].arn as string]: 100 },
        productionTrafficWeights: { [sd.targetServiceRevision?.arn as string]: 0, [sd.sourceServiceRevisions?.[0].arn as string]: 100 },
      });
    } finally {
      remove();
    }
  });

  test.each([
    ['FAILED', () => ({ hookStatus: 'FAILED' as const })],
    ['an invalid answer', () => ({ hookStatus: 'MAYBE' }) as never],
    ['a throw', () => Promise.reject(new Error('boom'))],
  ])('%s rolls back with "hook execution failure(s) detected"', async (_label, handler) => {
    const remove = sandbox.registerLambdaHook(FUNCTION, handler);
    try {
      const { bg, v2 } = await steady(`lambda-${_label.replace(/\W/g, '')}`.toLowerCase(), lambdaAt(['POST_TEST_TRAFFIC_SHIFT']));
      await deploy(bg, v2);
      const { sd } = await walk(bg, ended);
      expect(sd).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL', statusReason: 'deployment failed: hook execution failure(s) detected' });
      expect(await share(bg.testRuleArn, bg.alternateTargetGroupArn)).toBe(100);
    } finally {
      remove();
    }
  });

  test.each([
    ['ROLLBACK', 'ROLLBACK_SUCCESSFUL', ['TIMED_OUT']],
    ['CONTINUE', 'SUCCESSFUL', []],
  ] as const)('a hook still IN_PROGRESS at timeoutInMinutes times out; action %s ends %s', async (action, status, runs) => {
    let calls = 0;
    const remove = sandbox.registerLambdaHook(FUNCTION, () => (calls++, { hookStatus: 'IN_PROGRESS', callBackDelay: 60 }));
    try {
      const hooks = lambdaAt(['POST_SCALE_UP']).lifecycleHooks.map((hook) => ({
        ...hook,
        timeoutConfiguration: { timeoutInMinutes: 5, action },
      }));
      const { bg, v2 } = await steady(`lambda-timeout-${action.toLowerCase()}`, { lifecycleHooks: hooks });
      await deploy(bg, v2);
      const { sd, stages } = await walk(bg, ended);
      expect(sd.status).toBe(status);
      // Invoked every minute until the 5 minutes are up, then no more.
      expect(calls).toBeGreaterThanOrEqual(5);
      expect(calls).toBeLessThanOrEqual(6);
      expect(stages).toContain('POST_SCALE_UP');
      expect(sd.lifecycleHookDetails?.map((run) => run.status)).toEqual(runs);
    } finally {
      remove();
    }
  });

  test('a hook whose function has no handler fails like a missing Lambda function', async () => {
    const { bg, v2 } = await steady('lambda-missing', lambdaAt(['PRE_SCALE_UP'], `${FUNCTION}-absent`));
    await deploy(bg, v2);
    const { sd, stages } = await walk(bg, ended);
    expect(sd).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL', statusReason: 'deployment failed: hook execution failure(s) detected' });
    expect(stages).not.toContain('SCALE_UP');
  });

  test('hooks at TEST_TRAFFIC_SHIFT and PRODUCTION_TRAFFIC_SHIFT run again on a rollback', async () => {
    const FN = `${FUNCTION}-traffic`;
    const weightsSeen: unknown[] = [];
    const remove = sandbox.registerLambdaHook(FN, (event) => {
      weightsSeen.push(event.executionDetails.productionTrafficWeights);
      return { hookStatus: 'SUCCEEDED' };
    });
    try {
      const { bg, v2 } = await steady('lambda-rerun', {
        bakeTimeInMinutes: 10,
        ...lambdaAt(['TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT'], FN),
      });
      await deploy(bg, v2);
      const { sd } = await walk(bg, atStage('BAKE_TIME'));
      expect(weightsSeen).toHaveLength(2);
      await ecsClient(sandbox).send(
        new StopServiceDeploymentCommand({ serviceDeploymentArn: sd.serviceDeploymentArn, stopType: 'ROLLBACK' }),
      );
      await walk(bg, ended);
      expect(weightsSeen).toHaveLength(4);
      expect(weightsSeen[3]).toEqual({ [sd.targetServiceRevision?.arn as string]: 0, [sd.sourceServiceRevisions?.[0].arn as string]: 100 });
    } finally {
      remove();
    }
  });
});

describe('/_sandbox/lambda-hooks', () => {
  test('makes a hook function an HTTP endpoint that gets the event and answers the hook response', async () => {
    const events: unknown[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        events.push(JSON.parse(body));
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ hookStatus: 'SUCCEEDED' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const functionArn = 'arn:aws:lambda:us-east-1:000000000000:function:over-http';
    try {
      const registered = await fetch(`${sandbox.endpoint}/_sandbox/lambda-hooks`, {
        method: 'POST',
        body: JSON.stringify({ functionArn, url }),
      });
      expect(await registered.json()).toEqual({ [functionArn]: url });
      const { bg, v2 } = await steady('lambda-http', {
        lifecycleHooks: [
          {
            targetType: 'AWS_LAMBDA',
            hookTargetArn: functionArn,
            roleArn: 'arn:aws:iam::000000000000:role/hooks',
            lifecycleStages: ['POST_SCALE_UP'],
          },
        ],
      });
      await deploy(bg, v2);
      expect((await walk(bg, ended)).sd.status).toBe('SUCCESSFUL');
      expect(events).toEqual([{ executionDetails: expect.objectContaining({ serviceArn: bg.serviceArn }) }]);
      await fetch(`${sandbox.endpoint}/_sandbox/lambda-hooks?functionArn=${encodeURIComponent(functionArn)}`, { method: 'DELETE' });
      expect(await (await fetch(`${sandbox.endpoint}/_sandbox/lambda-hooks`)).json()).toEqual({});
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('refuses a registration without a function ARN', async () => {
    const refused = await fetch(`${sandbox.endpoint}/_sandbox/lambda-hooks`, {
      method: 'POST',
      body: JSON.stringify({ url: 'http://127.0.0.1:1/' }),
    });
    expect(refused.status).toBe(400);
    expect((await refused.json()) as { message: string }).toEqual({ message: expect.stringMatching(/functionArn must be/) });
  });
});

import { beforeEach, describe, expect, test } from '@jest/globals';
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  ECSClient,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { ActionFailure, ConfigurationError, silentLogger, type ClientFactory } from '../../../src/common';
import { parseServiceDeploymentArn } from '../../../src/ecs';
import { parseExpectedStatus, type Probe } from '../../../src/health';
import { runHealthCheck, type DeploymentAction, type HealthRequest } from '../../../src/use-cases/verify-health';
import { fakeClock } from '../../support/fake-clock';

const ecsMock = mockClient(ECSClient);
const ARN = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/sd-green';
const URL = 'http://test-listener.web.test/health';
const HOOK = 'ecs-pause-0123456789abcdef';
const plan: HealthRequest['plan'] = {
  urls: [URL],
  expectedStatus: parseExpectedStatus('200-299'),
  warmupMs: 0,
  intervalMs: 2_000,
  timeoutMs: 60_000,
  successThreshold: 3,
  failureThreshold: 3,
  bakeMs: 0,
};
const clients: ClientFactory = (Client, region) => new Client({ region } as never);

const pauseHook = { targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'], timeoutConfiguration: { timeoutInMinutes: 60 } };
function deployment(overrides: Partial<ServiceDeployment> = {}): ServiceDeployment {
  return {
    serviceDeploymentArn: ARN,
    status: 'IN_PROGRESS',
    lifecycleStage: 'SCALE_UP',
    deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5, lifecycleHooks: [pauseHook] },
    lifecycleHookDetails: [],
    ...overrides,
  } as ServiceDeployment;
}
const awaiting = (overrides: Partial<ServiceDeployment> = {}) =>
  deployment({
    lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
    lifecycleHookDetails: [
      {
        hookId: HOOK,
        targetType: 'PAUSE',
        status: 'AWAITING_ACTION',
        expiresAt: new Date(Date.UTC(2026, 0, 1, 1)),
        timeoutAction: 'ROLLBACK',
      },
    ],
    ...overrides,
  });
const timedOut = deployment({
  status: 'ROLLBACK_IN_PROGRESS',
  lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
  lifecycleHookDetails: [{ hookId: HOOK, targetType: 'PAUSE', status: 'TIMED_OUT', timeoutAction: 'ROLLBACK' }],
});

/** The deployment each DescribeServiceDeployments answers, in turn; past the end the last repeats. */
function describes(...answers: (ServiceDeployment | Error)[]) {
  let call = 0;
  ecsMock.on(DescribeServiceDeploymentsCommand).callsFake(async () => {
    const answer = answers[Math.min(call++, answers.length - 1)];
    if (answer instanceof Error) throw answer;
    return { serviceDeployments: [answer], failures: [] };
  });
}

const answering = (status: number) => {
  let probes = 0;
  const probe: Probe = async (url) => {
    probes += 1;
    return { url, status, body: 'ok', latencyMs: 10 };
  };
  return { probe, probes: () => probes };
};

function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });
}

async function run(probe: Probe, { signal, clock = fakeClock() }: { signal?: AbortSignal; clock?: ReturnType<typeof fakeClock> } = {}) {
  const log = silentLogger();
  const actions: DeploymentAction[] = [];
  const summaries: string[] = [];
  const outcome = await runHealthCheck(
    { plan, headers: [], requestTimeoutMs: 5_000, continueDeployment: parseServiceDeploymentArn(ARN, 'continue-deployment') },
    { aws: clients, probe },
    {
      log,
      clock,
      setSecret: () => {},
      writeSummary: async (markdown) => void summaries.push(markdown),
      setOutputs: () => {},
      setDeploymentAction: (action) => void actions.push(action),
      signal,
    },
  ).then(
    (report) => ({ report, error: undefined }),
    (error: unknown) => ({ report: undefined, error: error as Error }),
  );
  return {
    ...outcome,
    log,
    actions,
    summaries,
    continues: ecsMock.commandCalls(ContinueServiceDeploymentCommand).map((c) => c.args[0].input),
  };
}

beforeEach(() => {
  ecsMock.reset();
});

describe('continue-deployment answers the PAUSE hook by the verdict', () => {
  test('waits for the hook to await action before the first probe, then continues a healthy release', async () => {
    describes(deployment(), deployment({ lifecycleStage: 'TEST_TRAFFIC_SHIFT' }), awaiting());
    ecsMock.on(ContinueServiceDeploymentCommand).resolves({ serviceDeploymentArn: ARN });
    const http = answering(200);
    const clock = fakeClock();
    const started = clock.now();
    let probedAt: number | undefined;
    const probe: Probe = async (url) => {
      probedAt ??= clock.now();
      return http.probe(url);
    };

    const result = await run(probe, { clock });

    expect(result.error).toBeUndefined();
    // Two reads before the hook: two intervals waited before the first probe.
    expect((probedAt as number) - started).toBeGreaterThanOrEqual(2 * plan.intervalMs * 0.8);
    expect(result.continues).toEqual([{ serviceDeploymentArn: ARN, hookId: HOOK, action: 'CONTINUE' }]);
    expect(result.actions).toEqual(['continued']);
    expect(result.summaries[0]).toContain('Deployment continued');
  });

  test('an unhealthy release is rolled back at the hook, and the step fails', async () => {
    describes(awaiting());
    ecsMock.on(ContinueServiceDeploymentCommand).resolves({ serviceDeploymentArn: ARN });

    const result = await run(answering(500).probe);

    expect(result.error).toBeInstanceOf(ActionFailure);
    expect(result.error?.message).toMatch(
      /after 3 failing rounds in a row: .* Service deployment sd-green was rolled back at its PAUSE hook \(POST_TEST_TRAFFIC_SHIFT\)\.$/,
    );
    expect(result.continues).toEqual([{ serviceDeploymentArn: ARN, hookId: HOOK, action: 'ROLLBACK' }]);
    expect(result.actions).toEqual(['rolled-back']);
  });

  test.each([
    ['a finished deployment', deployment({ status: 'SUCCESSFUL', lifecycleStage: 'CLEAN_UP' }), 'it has finished (SUCCESSFUL)'],
    [
      'a rolling deployment (no lifecycleHooks at all)',
      deployment({ deploymentConfiguration: { strategy: 'ROLLING', maximumPercent: 200 } }),
      'its deployment configuration has no PAUSE lifecycle hook',
    ],
    [
      'a deployment without a PAUSE hook',
      deployment({ deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0, lifecycleHooks: [] } }),
      'its deployment configuration has no PAUSE lifecycle hook',
    ],
    [
      'a deployment past its hooks',
      deployment({ lifecycleStage: 'BAKE_TIME' }),
      'it is at BAKE_TIME, past every stage a PAUSE hook can wait at',
    ],
  ])('%s: none with a warning saying which, and the check still runs', async (_, state, why) => {
    describes(state);
    const http = answering(200);

    const result = await run(http.probe);

    expect(result.error).toBeUndefined();
    expect(result.actions).toEqual(['none']);
    expect(result.log.lines).toContainEqual(
      expect.stringMatching(new RegExp(`^warning: continue-deployment: .*no PAUSE hook awaiting action: ${why.replace(/[()]/g, '\\$&')}`)),
    );
    expect(result.continues).toEqual([]);
    expect(http.probes()).toBe(3);
  });

  test('no hook within the timeout fails the step before any probe', async () => {
    describes(deployment());
    const http = answering(200);

    const result = await run(http.probe);

    expect(result.error?.message).toMatch(/No PAUSE hook of service deployment sd-green awaited action within the timeout of 1m/);
    expect(http.probes()).toBe(0);
    expect(result.actions).toEqual(['none']);
  });
});

describe('when the hook cannot be answered', () => {
  test('the hook expired while probing: nothing is sent, the verdict stands, the warning names the timeout action ECS took', async () => {
    describes(awaiting(), timedOut);

    const result = await run(answering(200).probe);

    expect(result.error).toBeUndefined();
    expect(result.continues).toEqual([]);
    expect(result.actions).toEqual(['none']);
    expect(result.log.lines).toContainEqual(
      expect.stringMatching(
        /^warning: .*found healthy, but the PAUSE hook .* was not answered \(CONTINUE\): it expired at .* and ECS took its timeout action ROLLBACK/,
      ),
    );
  });

  test('ECS refuses the answer because the hook expired in between: said, the verdict stands', async () => {
    describes(awaiting(), awaiting(), timedOut);
    ecsMock.on(ContinueServiceDeploymentCommand).rejects(awsError('ConflictException', 'The hook is not awaiting action.'));

    const result = await run(answering(200).probe);

    expect(result.error).toBeUndefined();
    expect(result.actions).toEqual(['none']);
    expect(result.log.lines).toContainEqual(
      expect.stringMatching(/ECS refused the answer \(ConflictException: .*\): it expired .* timeout action ROLLBACK/),
    );
  });

  test('ECS rolled the deployment back meanwhile: an unhealthy verdict still fails the step, nothing is sent', async () => {
    describes(awaiting(), deployment({ status: 'ROLLBACK_SUCCESSFUL', rollback: { reason: 'alarm web-5xx' } }));

    const result = await run(answering(500).probe);

    expect(result.error).toBeInstanceOf(ActionFailure);
    expect(result.continues).toEqual([]);
    expect(result.actions).toEqual(['none']);
    expect(result.log.lines).toContainEqual(expect.stringMatching(/ECS rolled it back \(ROLLBACK_SUCCESSFUL\): alarm web-5xx/));
  });

  test('a throttled answer is sent again only after a re-read shows the hook still awaiting', async () => {
    describes(awaiting());
    ecsMock
      .on(ContinueServiceDeploymentCommand)
      .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'))
      .resolves({ serviceDeploymentArn: ARN });

    const result = await run(answering(200).probe);

    expect(result.actions).toEqual(['continued']);
    expect(result.continues).toHaveLength(2);
    // The calls in order: the last two reads frame the retry.
    const order = ecsMock.calls().map((c) => c.args[0].constructor.name);
    expect(order.slice(-3)).toEqual([
      'ContinueServiceDeploymentCommand',
      'DescribeServiceDeploymentsCommand',
      'ContinueServiceDeploymentCommand',
    ]);
  });

  test.each([
    [
      'the hook SUCCEEDED',
      deployment({
        lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
        lifecycleHookDetails: [{ hookId: HOOK, targetType: 'PAUSE', status: 'SUCCEEDED' }],
      }),
    ],
    [
      "the deployment gone on past its stage (ECS lists the current stage's hooks only)",
      deployment({ lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT', lifecycleHookDetails: [] }),
    ],
  ])('an answer lost in transit after ECS took it is not sent again: the re-read shows %s', async (_, continued) => {
    describes(awaiting(), awaiting(), continued);
    ecsMock.on(ContinueServiceDeploymentCommand).rejects(Object.assign(new Error('socket hang up'), { name: 'Error', code: 'ECONNRESET' }));

    const result = await run(answering(200).probe);

    expect(result.continues).toHaveLength(1);
    expect(result.actions).toEqual(['continued']);
  });

  test('a hook someone else answered before the verdict: none, saying the deployment went on without this step', async () => {
    describes(awaiting(), deployment({ lifecycleStage: 'BAKE_TIME', lifecycleHookDetails: [] }));

    const result = await run(answering(200).probe);

    expect(result.continues).toEqual([]);
    expect(result.actions).toEqual(['none']);
    expect(result.log.lines).toContainEqual(
      expect.stringMatching(
        /went on past POST_TEST_TRAFFIC_SHIFT without this step's answer \(now IN_PROGRESS at BAKE_TIME\): someone else answered it/,
      ),
    );
  });

  test('a throttled answer is not sent again when the re-read shows the hook expired', async () => {
    // The first read and the one before the answer see it awaiting; the one before the retry sees it timed out.
    let reads = 0;
    ecsMock.on(DescribeServiceDeploymentsCommand).callsFake(async () => {
      reads += 1;
      return { serviceDeployments: [reads <= 2 ? awaiting() : timedOut] };
    });
    ecsMock.on(ContinueServiceDeploymentCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));

    const result = await run(answering(200).probe);

    expect(result.continues).toHaveLength(1);
    expect(result.actions).toEqual(['none']);
    expect(result.log.lines).toContainEqual(expect.stringMatching(/was not answered \(CONTINUE\): it expired .* timeout action ROLLBACK/));
  });

  test('AccessDenied on ContinueServiceDeployment fails the step naming ecs:ContinueServiceDeployment', async () => {
    describes(awaiting());
    ecsMock
      .on(ContinueServiceDeploymentCommand)
      .rejects(awsError('AccessDeniedException', 'User is not authorized to perform: ecs:ContinueServiceDeployment'));

    const result = await run(answering(200).probe);

    expect(result.error).toBeInstanceOf(ActionFailure);
    expect(result.error?.message).toMatch(/grant the role ecs:ContinueServiceDeployment/);
    expect(result.error?.message).toMatch(
      `The PAUSE hook ${HOOK} still awaits action: ECS takes its timeout action ROLLBACK at 2026-01-01T01:00:00.000Z`,
    );
    expect(result.actions).toEqual(['none']);
  });

  test('AccessDenied on DescribeServiceDeployments fails at once naming ecs:DescribeServiceDeployments', async () => {
    describes(awsError('AccessDeniedException', 'not authorized'));
    const http = answering(200);

    const result = await run(http.probe);

    expect(result.error?.message).toMatch(/grant the role ecs:DescribeServiceDeployments/);
    expect(http.probes()).toBe(0);
  });

  test('a deployment ECS does not know is an error of the input', async () => {
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [], failures: [{ arn: ARN, reason: 'MISSING' }] });

    const result = await run(answering(200).probe);

    expect(result.error).toBeInstanceOf(ConfigurationError);
    expect(result.error?.message).toMatch(/^Input 'continue-deployment' names service deployment .* which ECS does not know/);
  });
});

describe('cancellation sends no answer', () => {
  test('mid-probe: the step says the hook still awaits action and what ECS will do', async () => {
    describes(awaiting());
    const controller = new AbortController();
    let probes = 0;
    const probe: Probe = async (url) => {
      probes += 1;
      if (probes === 2) controller.abort();
      return { url, status: 200, body: 'ok', latencyMs: 10 };
    };

    const result = await run(probe, { signal: controller.signal });

    expect(result.continues).toEqual([]);
    expect(result.actions).toEqual(['none']);
    expect(result.error?.message).toMatch(
      `No answer was sent to the deployment. The PAUSE hook ${HOOK} still awaits action: ECS takes its timeout action ROLLBACK`,
    );
  });

  test('while a throttled answer waits for its retry: no further attempt, and the step says the hook may still await', async () => {
    describes(awaiting());
    const controller = new AbortController();
    ecsMock.on(ContinueServiceDeploymentCommand).callsFake(async () => {
      controller.abort();
      throw awsError('ThrottlingException', 'Rate exceeded');
    });

    const result = await run(answering(200).probe, { signal: controller.signal });

    expect(result.continues).toHaveLength(1);
    expect(result.actions).toEqual(['none']);
    expect(result.error?.message).toMatch(/cancelled while the answer to the PAUSE hook was being retried: no further attempt was sent/);
    expect(result.error?.message).toContain(`The PAUSE hook ${HOOK} still awaits action`);
  });

  test('mid-wait: nothing probed, nothing answered', async () => {
    const controller = new AbortController();
    let reads = 0;
    ecsMock.on(DescribeServiceDeploymentsCommand).callsFake(async () => {
      if (++reads === 2) controller.abort();
      return { serviceDeployments: [deployment()] };
    });
    const http = answering(200);

    const result = await run(http.probe, { signal: controller.signal });

    expect(result.error?.message).toMatch(
      /cancelled while waiting for a PAUSE hook of service deployment sd-green: nothing was probed and no answer was sent/,
    );
    expect(http.probes()).toBe(0);
    expect(result.continues).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import {
  ContinueServiceDeploymentCommand,
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeTasksCommand,
  InvalidParameterException,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { DescribeRulesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { start, type Sandbox } from '../src/index';
import { createBlueGreenService, registerRevision, type BlueGreenOptions, type BlueGreenService } from '../../../test/support/blue-green';
import { cloudWatchClient, describeService, ecsClient, elbClient, network } from './support/harness';

// Blue/green services with scripted tasks on the manual clock: each test walks the deployment pass by pass.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start({ clock: 'manual' });
});
afterAll(async () => {
  await sandbox.stop();
});

const PASS_MS = 100;
/** Every stage lasts at least 1 s of sandbox time: a walk in half-second steps sees each one. */
const STEP_MS = 500;
const ENDED = ['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'];

async function latest(bg: BlueGreenService): Promise<ServiceDeployment> {
  const ecs = ecsClient(sandbox);
  const briefs = (await ecs.send(new ListServiceDeploymentsCommand({ cluster: bg.cluster, service: bg.service }))).serviceDeployments ?? [];
  const arn = briefs.sort((a, b) => Number(b.createdAt) - Number(a.createdAt))[0].serviceDeploymentArn as string;
  return (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] })))
    .serviceDeployments?.[0] as ServiceDeployment;
}

/** Advances pass by pass until `until` holds (or `maxMs` of sandbox time), collecting the stages seen. */
async function walk(bg: BlueGreenService, until: (sd: ServiceDeployment) => boolean, maxMs = 20 * 60_000) {
  const stages: string[] = [];
  for (let elapsed = 0; ; elapsed += STEP_MS) {
    const sd = await latest(bg);
    if (sd.lifecycleStage && stages[stages.length - 1] !== sd.lifecycleStage) stages.push(sd.lifecycleStage);
    if (until(sd)) return { sd, stages };
    if (elapsed > maxMs) throw new Error(`not reached in ${maxMs} ms: ${JSON.stringify(sd)}`);
    await sandbox.advance(STEP_MS);
  }
}

const ended = (sd: ServiceDeployment) => ENDED.includes(sd.status as string);
const atStage = (stage: string) => (sd: ServiceDeployment) => sd.lifecycleStage === stage || ended(sd);

/** The rule's forward weights by target group. */
async function weights(ruleArn: string): Promise<Record<string, number>> {
  const rules = (await elbClient(sandbox).send(new DescribeRulesCommand({ RuleArns: [ruleArn] }))).Rules ?? [];
  const groups = rules[0]?.Actions?.[0]?.ForwardConfig?.TargetGroups ?? [];
  return Object.fromEntries(groups.map((g) => [g.TargetGroupArn as string, g.Weight as number]));
}

/** Share of the rule's traffic going to `arn`, in percent. */
async function share(ruleArn: string, arn: string): Promise<number> {
  const w = await weights(ruleArn);
  const total = Object.values(w).reduce((a, b) => a + b, 0);
  return total === 0 ? 0 : Math.round(((w[arn] ?? 0) * 1000) / total) / 10;
}

/**
 * A blue/green service whose first deployment completed, and a second revision registered (not deployed).
 * Lifecycle hooks are added after the first deployment (an update that starts none), so they hold the second.
 */
async function steady(name: string, options: Partial<BlueGreenOptions> = {}) {
  const { lifecycleHooks, ...rest } = options;
  const bg = await createBlueGreenService(sandbox, { service: name, cluster: 'bg', waitForSteady: false, ...rest });
  await walk(bg, ended);
  if (lifecycleHooks)
    await ecsClient(sandbox).send(
      new UpdateServiceCommand({ cluster: bg.cluster, service: bg.service, deploymentConfiguration: { lifecycleHooks } }),
    );
  const v2 = await registerRevision(sandbox, bg, 'v2');
  return { bg, v2 };
}

async function deploy(bg: BlueGreenService, taskDefinition: string) {
  await ecsClient(sandbox).send(new UpdateServiceCommand({ cluster: bg.cluster, service: bg.service, taskDefinition }));
}

async function liveTasks(bg: BlueGreenService): Promise<number> {
  return ((await ecsClient(sandbox).send(new ListTasksCommand({ cluster: bg.cluster, serviceName: bg.service }))).taskArns ?? []).length;
}

describe('deploymentConfiguration for BLUE_GREEN, LINEAR and CANARY', () => {
  let bg: BlueGreenService;
  beforeAll(async () => {
    bg = await createBlueGreenService(sandbox, { service: 'checks', cluster: 'bg', waitForSteady: false });
  });

  const create = (name: string, deploymentConfiguration: object, advanced = true) =>
    ecsClient(sandbox).send(
      new CreateServiceCommand({
        cluster: 'bg',
        serviceName: name,
        taskDefinition: bg.taskDefinitionArn,
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: network,
        loadBalancers: [
          {
            targetGroupArn: bg.primaryTargetGroupArn,
            containerName: bg.containerName,
            containerPort: 8080,
            advancedConfiguration: advanced
              ? { alternateTargetGroupArn: bg.alternateTargetGroupArn, productionListenerRule: bg.productionRuleArn, roleArn: bg.roleArn }
              : undefined,
          },
        ],
        deploymentConfiguration,
      }),
    );

  test.each([
    [{ strategy: 'BLUE_GREEN' }, /bakeTimeInMinutes is required/],
    [{ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1441 }, /bakeTimeInMinutes must be an integer between 0 and 1440/],
    [{ strategy: 'LINEAR', linearConfiguration: { stepPercent: 2 } }, /stepPercent must be between 3 and 100/],
    [{ strategy: 'LINEAR', linearConfiguration: { stepPercent: 10.05 } }, /in steps of 0.1/],
    [{ strategy: 'CANARY', canaryConfiguration: { canaryPercent: 5, canaryBakeTimeInMinutes: -1 } }, /canaryBakeTimeInMinutes/],
    [{ strategy: 'SIDEWAYS' }, /strategy must be one of/],
    [
      { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0, lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['TEST_TRAFFIC_SHIFT'] }] },
      /PAUSE hook cannot be configured for the TEST_TRAFFIC_SHIFT stage/,
    ],
    [
      { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0, lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['SOMETIME'] }] },
      /"SOMETIME" is not one of/,
    ],
    [
      {
        strategy: 'BLUE_GREEN',
        bakeTimeInMinutes: 0,
        lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_SCALE_UP'], timeoutConfiguration: { timeoutInMinutes: 0 } }],
      },
      /timeoutInMinutes must be an integer between 1 and 20160/,
    ],
    [
      { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0, lifecycleHooks: [{ lifecycleStages: ['POST_SCALE_UP'] }] },
      /hookTargetArn must be the ARN of a Lambda function/,
    ],
  ])('%j is refused', async (configuration, message) => {
    const refused = create('refused', configuration);
    await expect(refused).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(refused).rejects.toThrow(message);
  });

  test('a blue/green service behind a load balancer needs advancedConfiguration', async () => {
    await expect(create('no-advanced', { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 }, false)).rejects.toThrow(
      /advancedConfiguration is required for the BLUE_GREEN deployment strategy/,
    );
  });

  test('the configuration is echoed by DescribeServices and DescribeServiceDeployments, with its defaults', async () => {
    const deploymentConfiguration = {
      strategy: 'LINEAR',
      bakeTimeInMinutes: 3,
      linearConfiguration: { stepPercent: 25 },
      lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }],
    };
    await create('echo', deploymentConfiguration);
    const expected = {
      strategy: 'LINEAR',
      bakeTimeInMinutes: 3,
      linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 6 },
      lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }],
    };
    const service = await describeService(sandbox, 'bg', 'echo');
    expect(service.deploymentConfiguration).toMatchObject(expected);
    expect(service.loadBalancers?.[0].advancedConfiguration).toEqual({
      alternateTargetGroupArn: bg.alternateTargetGroupArn,
      productionListenerRule: bg.productionRuleArn,
      roleArn: bg.roleArn,
    });
    const ecs = ecsClient(sandbox);
    const [brief] = (await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'bg', service: 'echo' }))).serviceDeployments ?? [];
    const sd = (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [brief.serviceDeploymentArn as string] })))
      .serviceDeployments?.[0];
    expect(sd?.deploymentConfiguration).toMatchObject(expected);
  });
});

/** A BLUE_GREEN deployment's stages after the first, written out as the developer guide lists them. */
const BLUE_GREEN_STAGES = [
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
];

describe('a BLUE_GREEN deployment', () => {
  test('walks the lifecycle stages in order and ends SUCCESSFUL with one COMPLETED deployment', async () => {
    const { bg, v2 } = await steady('order', { bakeTimeInMinutes: 2 });
    await deploy(bg, v2);
    const { sd, stages } = await walk(bg, ended);
    expect(stages).toEqual(BLUE_GREEN_STAGES);
    expect(sd.status).toBe('SUCCESSFUL');
    const service = await describeService(sandbox, 'bg', 'order');
    expect(service.deployments).toMatchObject([{ taskDefinition: v2, rolloutState: 'COMPLETED', status: 'PRIMARY', runningCount: 2 }]);
    expect(await liveTasks(bg)).toBe(2);
  });

  test('moves test, then production traffic to the group that did not serve production, and both run through the bake', async () => {
    const { bg, v2 } = await steady('weights', { bakeTimeInMinutes: 5 });
    // The first deployment moved production to the alternate group: it is blue now, the primary group green.
    const blue = bg.alternateTargetGroupArn;
    const green = bg.primaryTargetGroupArn;
    expect(await share(bg.productionRuleArn, blue)).toBe(100);
    await deploy(bg, v2);

    let { sd } = await walk(bg, atStage('POST_SCALE_UP'));
    expect(await share(bg.testRuleArn, green)).toBe(0);
    expect(sd.targetServiceRevision).toMatchObject({ requestedTaskCount: 2, runningTaskCount: 2, requestedTestTrafficWeight: 0 });

    ({ sd } = await walk(bg, atStage('POST_TEST_TRAFFIC_SHIFT')));
    expect(await share(bg.testRuleArn, green)).toBe(100);
    expect(await share(bg.productionRuleArn, blue)).toBe(100);
    expect(sd.targetServiceRevision).toMatchObject({ requestedTestTrafficWeight: 100, requestedProductionTrafficWeight: 0 });
    expect(sd.sourceServiceRevisions?.[0]).toMatchObject({ requestedProductionTrafficWeight: 100, runningTaskCount: 2 });

    ({ sd } = await walk(bg, atStage('BAKE_TIME')));
    expect(await share(bg.productionRuleArn, green)).toBe(100);
    expect(sd.targetServiceRevision).toMatchObject({ requestedProductionTrafficWeight: 100 });
    const baking = await describeService(sandbox, 'bg', 'weights');
    expect(baking.deployments?.map((d) => d.runningCount)).toEqual([2, 2]);
    expect(await liveTasks(bg)).toBe(4);

    const revisions = await ecsClient(sandbox).send(
      new DescribeServiceRevisionsCommand({
        serviceRevisionArns: [sd.targetServiceRevision?.arn as string, sd.sourceServiceRevisions?.[0].arn as string],
      }),
    );
    expect(revisions.serviceRevisions?.map((r) => r.resolvedConfiguration?.loadBalancers?.[0]?.targetGroupArn)).toEqual([green, blue]);

    // Still two deployments 4 minutes into a 5-minute bake; one after it.
    await sandbox.advance(4 * 60_000);
    expect((await latest(bg)).lifecycleStage).toBe('BAKE_TIME');
    ({ sd } = await walk(bg, ended));
    expect(sd.status).toBe('SUCCESSFUL');
    expect(await liveTasks(bg)).toBe(2);
  });

  test('a deploymentConfiguration-only update starts no service deployment', async () => {
    const { bg } = await steady('config-only');
    const before = (await ecsClient(sandbox).send(new ListServiceDeploymentsCommand({ cluster: 'bg', service: 'config-only' })))
      .serviceDeployments?.length;
    await ecsClient(sandbox).send(
      new UpdateServiceCommand({ cluster: 'bg', service: 'config-only', deploymentConfiguration: { bakeTimeInMinutes: 10 } }),
    );
    await sandbox.advance(60_000);
    const after = (await ecsClient(sandbox).send(new ListServiceDeploymentsCommand({ cluster: 'bg', service: 'config-only' })))
      .serviceDeployments?.length;
    expect(after).toBe(before);
    expect((await describeService(sandbox, 'bg', 'config-only')).deploymentConfiguration?.bakeTimeInMinutes).toBe(10);
    expect(bg.service).toBe('config-only');
  });
});

describe("the sandbox's history of a service deployment", () => {
  /** The status and stage changes recorded for `arn`, in the order recorded, each checked to be no earlier than the last. */
  function changesOf(arn: string): string[] {
    const events = sandbox.history.filter((e) => e.serviceDeploymentArn === arn);
    events.forEach((event, i) => expect(event.at).toBeGreaterThanOrEqual(events[i - 1]?.at ?? event.at));
    return events.map((e) => (e.kind === 'lifecycle-stage' ? `stage ${e.lifecycleStage}` : `status ${e.status}`));
  }

  test('records every status and stage change, in order, through SUCCESSFUL', async () => {
    const { bg, v2 } = await steady('history');
    await deploy(bg, v2);
    const { sd } = await walk(bg, ended);

    expect(changesOf(sd.serviceDeploymentArn as string)).toEqual([
      'status PENDING',
      'status IN_PROGRESS',
      ...BLUE_GREEN_STAGES.map((stage) => `stage ${stage}`),
      'status SUCCESSFUL',
    ]);
    expect(sandbox.history.filter((e) => e.serviceDeploymentArn === sd.serviceDeploymentArn)).toContainEqual(
      expect.objectContaining({ cluster: 'bg', serviceName: 'history', status: 'SUCCESSFUL' }),
    );
  });

  test('records a rollback asked for during the bake, and the stage it happened at', async () => {
    const { bg, v2 } = await steady('history-rollback', { bakeTimeInMinutes: 10 });
    await deploy(bg, v2);
    let { sd } = await walk(bg, atStage('BAKE_TIME'));
    await ecsClient(sandbox).send(new StopServiceDeploymentCommand({ serviceDeploymentArn: sd.serviceDeploymentArn }));
    ({ sd } = await walk(bg, ended));

    expect(changesOf(sd.serviceDeploymentArn as string).slice(-5)).toEqual([
      'stage POST_PRODUCTION_TRAFFIC_SHIFT',
      'stage BAKE_TIME',
      'status ROLLBACK_REQUESTED',
      'status ROLLBACK_IN_PROGRESS',
      'status ROLLBACK_SUCCESSFUL',
    ]);
  });
});

describe('rolling a BLUE_GREEN deployment back before CLEAN_UP', () => {
  test('StopServiceDeployment during the bake moves the traffic back and stops green, starting no task', async () => {
    const { bg, v2 } = await steady('stop', { bakeTimeInMinutes: 10 });
    const blueDeployment = (await describeService(sandbox, 'bg', 'stop')).deployments?.[0].id;
    const blue = bg.alternateTargetGroupArn;
    await deploy(bg, v2);
    let { sd } = await walk(bg, atStage('BAKE_TIME'));
    const started = (await ecsClient(sandbox).send(new ListTasksCommand({ cluster: 'bg', serviceName: 'stop' }))).taskArns ?? [];

    await ecsClient(sandbox).send(
      new StopServiceDeploymentCommand({ serviceDeploymentArn: sd.serviceDeploymentArn, stopType: 'ROLLBACK' }),
    );
    expect(await share(bg.productionRuleArn, blue)).toBe(100);
    expect(await share(bg.testRuleArn, blue)).toBe(100);
    const statuses: string[] = [];
    ({ sd } = await walk(bg, (s) => (statuses.push(s.status as string), ended(s))));
    expect([...new Set(statuses)]).toEqual(['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL']);
    expect(sd.rollback).toMatchObject({
      reason: 'Rollback requested with StopServiceDeployment.',
      serviceRevisionArn: sd.sourceServiceRevisions?.[0].arn,
    });
    expect(sd.statusReason).toBe('Rollback requested with StopServiceDeployment.');
    const service = await describeService(sandbox, 'bg', 'stop');
    expect(service.deployments).toMatchObject([{ id: blueDeployment, status: 'PRIMARY', rolloutState: 'COMPLETED', runningCount: 2 }]);
    // The blue tasks that run now were all there before the rollback.
    const running = (await ecsClient(sandbox).send(new ListTasksCommand({ cluster: 'bg', serviceName: 'stop' }))).taskArns ?? [];
    expect(running.every((arn) => started.includes(arn))).toBe(true);
    expect(running).toHaveLength(2);
  });

  test('after CLEAN_UP StopServiceDeployment is refused', async () => {
    const { bg, v2 } = await steady('late-stop');
    await deploy(bg, v2);
    const { sd } = await walk(bg, ended);
    await expect(
      ecsClient(sandbox).send(new StopServiceDeploymentCommand({ serviceDeploymentArn: sd.serviceDeploymentArn, stopType: 'ROLLBACK' })),
    ).rejects.toThrow(/SUCCESSFUL and cannot be stopped/);
  });

  test('the circuit breaker during scale-up rolls back with the traffic never moved', async () => {
    const { bg } = await steady('breaker', { deploymentCircuitBreaker: { enable: true, rollback: true } });
    const bad = await registerRevision(sandbox, bg, 'crash');
    sandbox.script(/:crash$/, { kind: 'exit', exitCode: 1, startMs: 100, afterMs: 100 });
    await deploy(bg, bad);
    const { sd, stages } = await walk(bg, ended);
    expect(stages[stages.length - 1]).toBe('SCALE_UP');
    expect(sd).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL', deploymentCircuitBreaker: { status: 'TRIGGERED' } });
    expect(sd.rollback?.reason).toMatch(/circuit breaker/);
    expect(await share(bg.productionRuleArn, bg.alternateTargetGroupArn)).toBe(100);
    expect(await liveTasks(bg)).toBe(2);
  });

  test('a deployment alarm in ALARM during the bake rolls back', async () => {
    await cloudWatchClient(sandbox).send(
      new PutMetricAlarmCommand({
        AlarmName: 'bake-5xx',
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'HTTPCode_Target_5XX_Count',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 5,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    );
    const { bg, v2 } = await steady('alarm', { bakeTimeInMinutes: 10, alarms: { alarmNames: ['bake-5xx'], enable: true, rollback: true } });
    await deploy(bg, v2);
    await walk(bg, atStage('BAKE_TIME'));
    await cloudWatchClient(sandbox).send(new SetAlarmStateCommand({ AlarmName: 'bake-5xx', StateValue: 'ALARM', StateReason: 'test' }));
    const { sd } = await walk(bg, ended);
    expect(sd).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL', alarms: { status: 'TRIGGERED', triggeredAlarmNames: ['bake-5xx'] } });
    expect(await share(bg.productionRuleArn, bg.alternateTargetGroupArn)).toBe(100);
    await cloudWatchClient(sandbox).send(new SetAlarmStateCommand({ AlarmName: 'bake-5xx', StateValue: 'OK', StateReason: 'test' }));
  });
});

describe('PAUSE hooks', () => {
  const pauseAt = (stage: string, timeoutConfiguration?: { timeoutInMinutes: number; action?: 'CONTINUE' | 'ROLLBACK' }) => ({
    lifecycleHooks: [{ targetType: 'PAUSE' as const, lifecycleStages: [stage as 'POST_TEST_TRAFFIC_SHIFT'], timeoutConfiguration }],
  });
  const paused = (sd: ServiceDeployment) => sd.lifecycleHookDetails?.[0]?.status === 'AWAITING_ACTION' || ended(sd);
  const cont = (sd: ServiceDeployment, action: 'CONTINUE' | 'ROLLBACK', hookId = sd.lifecycleHookDetails?.[0]?.hookId as string) =>
    ecsClient(sandbox).send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: sd.serviceDeploymentArn, hookId, action }));

  test('wait at their stage AWAITING_ACTION until ContinueServiceDeployment CONTINUE; a second answer is refused', async () => {
    const { bg, v2 } = await steady('pause', pauseAt('POST_TEST_TRAFFIC_SHIFT'));
    await deploy(bg, v2);
    let { sd } = await walk(bg, paused);
    const hookId = sd.lifecycleHookDetails?.[0]?.hookId as string;
    expect(sd.lifecycleStage).toBe('POST_TEST_TRAFFIC_SHIFT');
    expect(sd.lifecycleHookDetails).toEqual([
      {
        hookId: expect.stringMatching(/^ecs-pause-/),
        targetType: 'PAUSE',
        status: 'AWAITING_ACTION',
        expiresAt: expect.any(Date),
        timeoutAction: 'ROLLBACK',
      },
    ]);
    await sandbox.advance(10 * 60_000);
    expect((await latest(bg)).lifecycleStage).toBe('POST_TEST_TRAFFIC_SHIFT');

    await cont(sd, 'CONTINUE');
    const again = cont(sd, 'CONTINUE');
    await expect(again).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(again).rejects.toThrow(/is SUCCEEDED, not AWAITING_ACTION/);
    await expect(cont(sd, 'CONTINUE', 'ecs-pause-unknown')).rejects.toThrow(/has no lifecycle hook ecs-pause-unknown/);
    ({ sd } = await walk(bg, ended));
    expect(sd.status).toBe('SUCCESSFUL');
    await expect(cont(sd, 'CONTINUE', hookId)).rejects.toThrow(/is SUCCESSFUL: only an IN_PROGRESS deployment/);
  });

  test('ContinueServiceDeployment ROLLBACK rolls back by traffic', async () => {
    const { bg, v2 } = await steady('pause-rollback', pauseAt('POST_TEST_TRAFFIC_SHIFT'));
    await deploy(bg, v2);
    let { sd } = await walk(bg, paused);
    await cont(sd, 'ROLLBACK');
    expect(await share(bg.testRuleArn, bg.alternateTargetGroupArn)).toBe(100);
    ({ sd } = await walk(bg, ended));
    expect(sd).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL', rollback: { reason: 'Rollback requested with ContinueServiceDeployment.' } });
    expect(await liveTasks(bg)).toBe(2);
  });

  test('a pause that times out rolls back by default, on the sandbox clock', async () => {
    const { bg, v2 } = await steady('pause-timeout', pauseAt('POST_SCALE_UP', { timeoutInMinutes: 30 }));
    await deploy(bg, v2);
    const { sd: waiting } = await walk(bg, paused);
    // expiresAt: the stage's start (a few sandbox seconds after the deployment's) plus the timeout.
    const expiresIn = Number(waiting.lifecycleHookDetails?.[0]?.expiresAt) - Number(waiting.startedAt);
    expect(expiresIn).toBeGreaterThanOrEqual(30 * 60_000);
    expect(expiresIn).toBeLessThan(31 * 60_000);
    await sandbox.advance(29 * 60_000);
    expect((await latest(bg)).lifecycleHookDetails?.[0]?.status).toBe('AWAITING_ACTION');
    await sandbox.advance(60_000 + PASS_MS);
    const { sd } = await walk(bg, ended);
    expect(sd.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(sd.statusReason).toMatch(/timed out/);
    expect(sd.lifecycleHookDetails?.map((run) => run.status)).toEqual(['TIMED_OUT']);
  });

  test('a pause with timeout action CONTINUE goes on when it times out', async () => {
    const { bg, v2 } = await steady('pause-continue', pauseAt('PRE_SCALE_UP', { timeoutInMinutes: 1, action: 'CONTINUE' }));
    await deploy(bg, v2);
    await walk(bg, paused);
    const { sd } = await walk(bg, ended);
    expect(sd.status).toBe('SUCCESSFUL');
    expect(sd.lifecycleHookDetails).toEqual([]);
  });
});

describe('a new deployment while a BLUE_GREEN deployment is in progress', () => {
  const byArn = async (arn: string | undefined) =>
    (await ecsClient(sandbox).send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn as string] })))
      .serviceDeployments?.[0] as ServiceDeployment;
  /** Tasks of a deployment (ecs-svc id) that the scheduler still keeps running. */
  const keptTasks = async (bg: BlueGreenService, deploymentId: string | undefined) => {
    const arns = (await ecsClient(sandbox).send(new ListTasksCommand({ cluster: bg.cluster, serviceName: bg.service }))).taskArns ?? [];
    if (arns.length === 0) return 0;
    const tasks = (await ecsClient(sandbox).send(new DescribeTasksCommand({ cluster: bg.cluster, tasks: arns }))).tasks ?? [];
    return tasks.filter((t) => t.startedBy === deploymentId && t.desiredStatus === 'RUNNING').length;
  };

  test('during SCALE_UP: the old one ends STOPPED, its green tasks stop at once, the new one reconciles first and succeeds', async () => {
    const { bg, v2 } = await steady('superseded-scale-up');
    const v3 = await registerRevision(sandbox, bg, 'v3');
    await deploy(bg, v2);
    const { sd: first } = await walk(bg, atStage('SCALE_UP'));
    await sandbox.advance(STEP_MS);
    const green = (await describeService(sandbox, 'bg', 'superseded-scale-up')).deployments?.[0].id;
    await deploy(bg, v3);

    const old = await byArn(first.serviceDeploymentArn);
    expect(old).toMatchObject({ status: 'STOPPED', statusReason: 'A newer service deployment started.' });
    expect(old.finishedAt).toBeInstanceOf(Date);
    expect(await keptTasks(bg, green)).toBe(0);
    expect(await share(bg.productionRuleArn, bg.alternateTargetGroupArn)).toBe(100);

    const { sd, stages } = await walk(bg, ended);
    expect(stages[0]).toBe('RECONCILE_SERVICE');
    expect(sd.status).toBe('SUCCESSFUL');
    expect(sd.sourceServiceRevisions).toHaveLength(1);
    const service = await describeService(sandbox, 'bg', 'superseded-scale-up');
    expect(service.deployments).toMatchObject([{ taskDefinition: v3, rolloutState: 'COMPLETED', runningCount: 2 }]);
    expect(await liveTasks(bg)).toBe(2);
  });

  test('at a PAUSE hook awaiting action: the hook ends FAILED, cannot be answered, and test traffic is back on blue', async () => {
    const { bg, v2 } = await steady('superseded-pause', {
      lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }],
    });
    const v3 = await registerRevision(sandbox, bg, 'v3');
    const blue = bg.alternateTargetGroupArn;
    await deploy(bg, v2);
    const { sd: paused } = await walk(bg, (s) => s.lifecycleHookDetails?.[0]?.status === 'AWAITING_ACTION' || ended(s));
    expect(await share(bg.testRuleArn, blue)).toBe(0);
    await deploy(bg, v3);

    const old = await byArn(paused.serviceDeploymentArn);
    expect(old.status).toBe('STOPPED');
    expect(old.lifecycleHookDetails?.[0]?.status).toBe('FAILED');
    expect(await share(bg.testRuleArn, blue)).toBe(100);
    await expect(
      ecsClient(sandbox).send(
        new ContinueServiceDeploymentCommand({
          serviceDeploymentArn: paused.serviceDeploymentArn,
          hookId: paused.lifecycleHookDetails?.[0]?.hookId as string,
          action: 'CONTINUE',
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    // The new deployment pauses at the same stage, with a hook of its own.
    const { sd } = await walk(bg, (s) => s.lifecycleHookDetails?.[0]?.status === 'AWAITING_ACTION' || ended(s));
    expect(sd.serviceDeploymentArn).not.toBe(paused.serviceDeploymentArn);
    expect(sd.lifecycleHookDetails?.[0]?.hookId).not.toBe(paused.lifecycleHookDetails?.[0]?.hookId);
  });

  test('during BAKE_TIME (forceNewDeployment): production goes back to blue, whose tasks still run, green stops', async () => {
    const { bg, v2 } = await steady('superseded-bake', { bakeTimeInMinutes: 10 });
    const blueDeployment = (await describeService(sandbox, 'bg', 'superseded-bake')).deployments?.[0].id;
    const blue = bg.alternateTargetGroupArn;
    const greenGroup = bg.primaryTargetGroupArn;
    await deploy(bg, v2);
    const { sd: baking } = await walk(bg, atStage('BAKE_TIME'));
    expect(await share(bg.productionRuleArn, greenGroup)).toBe(100);
    const green = (await describeService(sandbox, 'bg', 'superseded-bake')).deployments?.[0].id;
    await ecsClient(sandbox).send(new UpdateServiceCommand({ cluster: 'bg', service: 'superseded-bake', forceNewDeployment: true }));

    expect((await byArn(baking.serviceDeploymentArn)).status).toBe('STOPPED');
    expect(await share(bg.productionRuleArn, blue)).toBe(100);
    expect(await share(bg.testRuleArn, blue)).toBe(100);
    expect(await keptTasks(bg, blueDeployment)).toBe(2);
    expect(await keptTasks(bg, green)).toBe(0);

    // The new deployment (the service's task definition: v2 again) deploys into the other group from blue.
    const { sd } = await walk(bg, atStage('BAKE_TIME'));
    expect(await share(bg.productionRuleArn, greenGroup)).toBe(100);
    expect(await keptTasks(bg, (await describeService(sandbox, 'bg', 'superseded-bake')).deployments?.[0].id)).toBe(2);
    expect(sd.sourceServiceRevisions?.map((r) => r.arn)).toEqual(baking.sourceServiceRevisions?.map((r) => r.arn));
  });

  test('in CLEAN_UP: the traffic stays on green, which the new deployment starts from', async () => {
    const { bg, v2 } = await steady('superseded-clean-up');
    const v3 = await registerRevision(sandbox, bg, 'v3');
    const greenGroup = bg.primaryTargetGroupArn;
    await deploy(bg, v2);
    const { sd: cleaning } = await walk(bg, atStage('CLEAN_UP'));
    await deploy(bg, v3);
    expect((await byArn(cleaning.serviceDeploymentArn)).status).toBe('STOPPED');
    expect(await share(bg.productionRuleArn, greenGroup)).toBe(100);
    const { sd } = await walk(bg, ended);
    expect(sd.status).toBe('SUCCESSFUL');
    expect(sd.sourceServiceRevisions?.map((r) => r.arn)).toEqual([cleaning.targetServiceRevision?.arn]);
    expect(await share(bg.productionRuleArn, bg.alternateTargetGroupArn)).toBe(100);
    expect(await liveTasks(bg)).toBe(2);
  });

  test('UpdateService with the same task definition and no forceNewDeployment starts nothing', async () => {
    const { bg, v2 } = await steady('rerun');
    await deploy(bg, v2);
    const { sd: first } = await walk(bg, atStage('POST_TEST_TRAFFIC_SHIFT'));
    await deploy(bg, v2);
    const briefs = (await ecsClient(sandbox).send(new ListServiceDeploymentsCommand({ cluster: 'bg', service: 'rerun' })))
      .serviceDeployments;
    expect(briefs).toHaveLength(2);
    const { sd } = await walk(bg, ended);
    expect(sd).toMatchObject({ serviceDeploymentArn: first.serviceDeploymentArn, status: 'SUCCESSFUL' });
  });
});

describe('deleting a service during a BLUE_GREEN deployment', () => {
  test('deletes its service deployments: DescribeServiceDeployments answers MISSING, none is left IN_PROGRESS', async () => {
    const { bg, v2 } = await steady('deleted', { bakeTimeInMinutes: 10 });
    await deploy(bg, v2);
    const { sd } = await walk(bg, atStage('BAKE_TIME'));
    await ecsClient(sandbox).send(new DeleteServiceCommand({ cluster: 'bg', service: 'deleted', force: true }));
    const after = await ecsClient(sandbox).send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [sd.serviceDeploymentArn as string] }),
    );
    expect(after.serviceDeployments).toEqual([]);
    expect(after.failures).toEqual([{ arn: sd.serviceDeploymentArn, reason: 'MISSING' }]);
    for (let elapsed = 0; elapsed < 60_000 && (await liveTasks(bg)) > 0; elapsed += STEP_MS) await sandbox.advance(STEP_MS);
    expect(await liveTasks(bg)).toBe(0);
  });
});

describe('LINEAR and CANARY', () => {
  test('LINEAR shifts production by stepPercent, a step bake between steps, then bakes', async () => {
    const { bg, v2 } = await steady('linear', {
      strategy: 'LINEAR',
      bakeTimeInMinutes: 1,
      linearConfiguration: { stepPercent: 40, stepBakeTimeInMinutes: 2 },
    });
    await deploy(bg, v2);
    const green = bg.primaryTargetGroupArn;
    const shares: number[] = [];
    const stages: string[] = [];
    let stepStarted = 0;
    const times: number[] = [];
    for (;;) {
      const sd = await latest(bg);
      if (stages[stages.length - 1] !== sd.lifecycleStage) {
        stages.push(sd.lifecycleStage as string);
        if (sd.lifecycleStage === 'PRODUCTION_TRAFFIC_SHIFT') times.push(stepStarted);
      }
      const now = await share(bg.productionRuleArn, green);
      if (shares[shares.length - 1] !== now) shares.push(now);
      if (ended(sd)) break;
      await sandbox.advance(STEP_MS);
      stepStarted += STEP_MS;
    }
    expect(shares).toEqual([0, 40, 80, 100]);
    expect(stages.slice(stages.indexOf('POST_TEST_TRAFFIC_SHIFT') + 1)).toEqual([
      'PRE_PRODUCTION_TRAFFIC_SHIFT',
      'PRODUCTION_TRAFFIC_SHIFT',
      'PRE_PRODUCTION_TRAFFIC_SHIFT',
      'PRODUCTION_TRAFFIC_SHIFT',
      'PRE_PRODUCTION_TRAFFIC_SHIFT',
      'PRODUCTION_TRAFFIC_SHIFT',
      'POST_PRODUCTION_TRAFFIC_SHIFT',
      'BAKE_TIME',
      'CLEAN_UP',
    ]);
    // Each step after the first waits out the 2-minute step bake.
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(2 * 60_000);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(2 * 60_000);
  });

  test('CANARY sends canaryPercent to green for the canary bake, then everything', async () => {
    const { bg, v2 } = await steady('canary', {
      strategy: 'CANARY',
      canaryConfiguration: { canaryPercent: 12.5, canaryBakeTimeInMinutes: 3 },
    });
    await deploy(bg, v2);
    let { sd } = await walk(bg, atStage('PRODUCTION_TRAFFIC_SHIFT'));
    expect(await share(bg.productionRuleArn, bg.primaryTargetGroupArn)).toBe(12.5);
    expect(sd.targetServiceRevision?.requestedProductionTrafficWeight).toBe(12.5);
    await sandbox.advance(2 * 60_000);
    expect(await share(bg.productionRuleArn, bg.primaryTargetGroupArn)).toBe(12.5);
    await walk(bg, atStage('POST_PRODUCTION_TRAFFIC_SHIFT'));
    expect(await share(bg.productionRuleArn, bg.primaryTargetGroupArn)).toBe(100);
    ({ sd } = await walk(bg, ended));
    expect(sd.status).toBe('SUCCESSFUL');
  });

  test('a rollback during the canary bake moves production back to blue', async () => {
    const { bg, v2 } = await steady('canary-stop', { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 10 } });
    await deploy(bg, v2);
    const { sd } = await walk(bg, atStage('PRODUCTION_TRAFFIC_SHIFT'));
    await ecsClient(sandbox).send(
      new StopServiceDeploymentCommand({ serviceDeploymentArn: sd.serviceDeploymentArn, stopType: 'ROLLBACK' }),
    );
    expect(await share(bg.productionRuleArn, bg.alternateTargetGroupArn)).toBe(100);
    expect((await walk(bg, ended)).sd.status).toBe('ROLLBACK_SUCCESSFUL');
  });

  test('a new deployment during the canary bake moves production back to blue before deploying', async () => {
    const { bg, v2 } = await steady('canary-superseded', { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 10 } });
    const v3 = await registerRevision(sandbox, bg, 'v3');
    const blue = bg.alternateTargetGroupArn;
    await deploy(bg, v2);
    const { sd: canary } = await walk(bg, atStage('PRODUCTION_TRAFFIC_SHIFT'));
    expect(await share(bg.productionRuleArn, blue)).toBe(90);
    await deploy(bg, v3);
    expect(await share(bg.productionRuleArn, blue)).toBe(100);
    expect(await share(bg.testRuleArn, blue)).toBe(100);
    const { sd, stages } = await walk(bg, atStage('PRODUCTION_TRAFFIC_SHIFT'));
    expect(sd.serviceDeploymentArn).not.toBe(canary.serviceDeploymentArn);
    expect(stages.slice(0, 2)).toEqual(['RECONCILE_SERVICE', 'PRE_SCALE_UP']);
    expect(await share(bg.productionRuleArn, blue)).toBe(90);
    expect((await walk(bg, ended)).sd.status).toBe('SUCCESSFUL');
  });
});

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

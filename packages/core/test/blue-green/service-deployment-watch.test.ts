import { beforeEach, describe, expect, test } from '@jest/globals';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  type DescribeServiceDeploymentsCommandInput,
  type DescribeServicesCommandInput,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { silentLogger } from '../../src/common/logger';
import { watchServiceDeployment } from '../../src/ecs/service-deployment-watch';
import { BatchedServiceDeploymentReads } from '../../src/ecs/service-deployment-reads';
import { BatchedServiceReads } from '../../src/ecs/service-reads';
import { NEW, NEW_ID, OLD, OLD_ID, crashedTask, deployment, service } from '../fixtures/ecs';
import { SD_ARN, SOURCE_REVISION, serviceDeployment } from '../fixtures/service-deployments';
import { fakeClock } from '../support/fake-clock';

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: 'us-east-1' });

const stage = (lifecycleStage: string, production: number, test: number, overrides: Partial<ServiceDeployment> = {}) =>
  serviceDeployment({
    lifecycleStage: lifecycleStage as ServiceDeployment['lifecycleStage'],
    targetServiceRevision: { arn: 'target', requestedProductionTrafficWeight: production, requestedTestTrafficWeight: test },
    ...overrides,
  });

/** Each poll answers the next service deployment of the list; the last one is repeated. */
function polls(...answers: ServiceDeployment[]) {
  let at = 0;
  ecsMock.on(DescribeServiceDeploymentsCommand).callsFake(() => ({ serviceDeployments: [answers[Math.min(at++, answers.length - 1)]] }));
}

let clock: ReturnType<typeof fakeClock>;
beforeEach(() => {
  ecsMock.reset();
  clock = fakeClock();
  // ECS lists both revisions until clean-up.
  ecsMock.on(DescribeServicesCommand).resolves({
    services: [
      service([deployment({ id: NEW_ID, taskDefinition: NEW }), deployment({ id: OLD_ID, status: 'ACTIVE', taskDefinition: OLD })]),
    ],
  });
  ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
  ecsMock
    .on(DescribeServiceRevisionsCommand)
    .resolves({ serviceRevisions: [{ serviceRevisionArn: SOURCE_REVISION, taskDefinition: OLD }] });
});

const watch = (goal = {}, log = silentLogger(), timeoutMs = 600_000) =>
  watchServiceDeployment(
    { cluster: 'prod', service: 'web', startedAt: clock.now(), timeoutMs, serviceDeploymentArn: SD_ARN, deploymentId: NEW_ID, goal },
    { ecs, log, clock },
  );

describe('watchServiceDeployment', () => {
  test('logs each stage as it begins, with the traffic weights, and succeeds at SUCCESSFUL', async () => {
    polls(
      stage('SCALE_UP', 0, 0),
      stage('SCALE_UP', 0, 0),
      stage('TEST_TRAFFIC_SHIFT', 0, 100),
      stage('PRODUCTION_TRAFFIC_SHIFT', 100, 100),
      stage('BAKE_TIME', 100, 100),
      stage('CLEAN_UP', 100, 100, { status: 'SUCCESSFUL' }),
    );
    const log = silentLogger();

    const outcome = await watch({}, log);

    expect(outcome).toMatchObject({ status: 'succeeded', stage: 'CLEAN_UP', productionTrafficWeight: 100, serviceDeploymentArn: SD_ARN });
    expect(log.lines.filter((line) => line.startsWith('Stage '))).toEqual([
      'Stage SCALE_UP (IN_PROGRESS): production 0%, test 0% on the new revision',
      'Stage TEST_TRAFFIC_SHIFT (IN_PROGRESS): production 0%, test 100% on the new revision',
      'Stage PRODUCTION_TRAFFIC_SHIFT (IN_PROGRESS): production 100%, test 100% on the new revision',
      'Stage BAKE_TIME (IN_PROGRESS): production 100%, test 100% on the new revision',
      'Stage CLEAN_UP (SUCCESSFUL): production 100%, test 100% on the new revision',
    ]);
    expect(outcome.stages?.map((seen) => seen.stage)).toEqual([
      'SCALE_UP',
      'TEST_TRAFFIC_SHIFT',
      'PRODUCTION_TRAFFIC_SHIFT',
      'BAKE_TIME',
      'CLEAN_UP',
    ]);
  });

  test('each step of a linear shift is logged with its weight', async () => {
    polls(
      stage('PRODUCTION_TRAFFIC_SHIFT', 25, 100),
      stage('PRODUCTION_TRAFFIC_SHIFT', 50, 100),
      stage('PRODUCTION_TRAFFIC_SHIFT', 100, 100),
      stage('CLEAN_UP', 100, 100, { status: 'SUCCESSFUL' }),
    );
    const log = silentLogger();

    await watch({}, log);

    expect(log.lines.filter((line) => line.startsWith('Stage PRODUCTION'))).toEqual([
      'Stage PRODUCTION_TRAFFIC_SHIFT (IN_PROGRESS): production 25%, test 100% on the new revision',
      'Stage PRODUCTION_TRAFFIC_SHIFT (IN_PROGRESS): production 50%, test 100% on the new revision',
      'Stage PRODUCTION_TRAFFIC_SHIFT (IN_PROGRESS): production 100%, test 100% on the new revision',
    ]);
  });

  test('wait-until bake returns baking at BAKE_TIME, without waiting for the bake to end', async () => {
    polls(stage('PRODUCTION_TRAFFIC_SHIFT', 100, 100), stage('BAKE_TIME', 100, 100));

    const outcome = await watch({ waitUntil: 'bake' });

    expect(outcome).toMatchObject({ status: 'baking', stage: 'BAKE_TIME', productionTrafficWeight: 100 });
    expect(ecsMock.commandCalls(DescribeServiceDeploymentsCommand)).toHaveLength(2);
  });

  test('wait-until paused returns paused with the hook id, and logs the hook', async () => {
    const hook = {
      hookId: 'ecs-pause-1',
      targetType: 'PAUSE' as const,
      status: 'AWAITING_ACTION' as const,
      timeoutAction: 'ROLLBACK' as const,
    };
    polls(stage('TEST_TRAFFIC_SHIFT', 0, 100), stage('POST_TEST_TRAFFIC_SHIFT', 0, 100, { lifecycleHookDetails: [hook] }));
    const log = silentLogger();

    const outcome = await watch({ waitUntil: 'paused' }, log);

    expect(outcome).toMatchObject({ status: 'paused', hookId: 'ecs-pause-1', stage: 'POST_TEST_TRAFFIC_SHIFT' });
    expect(log.lines).toContain('PAUSE hook ecs-pause-1: AWAITING_ACTION');
  });

  test('an unknown stage and status are shown as ECS wrote them, and the watch goes on', async () => {
    polls(
      stage('WARM_UP', 0, 0, { status: 'WARMING' as ServiceDeployment['status'] }),
      stage('CLEAN_UP', 100, 100, { status: 'SUCCESSFUL' }),
    );
    const log = silentLogger();

    const outcome = await watch({}, log);

    expect(outcome.status).toBe('succeeded');
    expect(log.lines).toContain(
      'Stage WARM_UP (WARMING; a stage and a status this action does not know, shown as ECS reports it): production 0%, test 0% on the new revision',
    );
  });

  test('a rollback ends rolled-back with the cause and the revision ECS returns to', async () => {
    polls(
      stage('BAKE_TIME', 100, 100),
      stage('BAKE_TIME', 0, 0, {
        status: 'ROLLBACK_IN_PROGRESS',
        alarms: { status: 'TRIGGERED', triggeredAlarmNames: ['web-5xx'] },
        rollback: { reason: 'alarm', serviceRevisionArn: SOURCE_REVISION },
      }),
    );

    const log = silentLogger();
    const outcome = await watch({}, log);

    expect(log.lines).toContain('Deployment alarms TRIGGERED: web-5xx');
    expect(outcome).toMatchObject({
      status: 'rolled-back',
      cause: 'alarm',
      reason: 'CloudWatch alarm "web-5xx" went into ALARM',
      rolledBackTo: OLD,
    });
  });

  test('a pause that outlasts the timeout times out, naming the hook', async () => {
    const hook = { hookId: 'ecs-pause-1', targetType: 'PAUSE' as const, status: 'AWAITING_ACTION' as const };
    polls(stage('POST_TEST_TRAFFIC_SHIFT', 0, 100, { lifecycleHookDetails: [hook] }));

    const outcome = await watch({}, silentLogger(), 10_000);

    expect(outcome).toMatchObject({
      status: 'timed-out',
      reason: 'the deployment did not finish within the timeout (at POST_TEST_TRAFFIC_SHIFT, PAUSE hook ecs-pause-1 awaiting action)',
    });
  });

  test('a throttled read skips a round instead of deciding', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    ecsMock
      .on(DescribeServiceDeploymentsCommand)
      .rejectsOnce(throttled)
      .resolves({ serviceDeployments: [stage('CLEAN_UP', 100, 100, { status: 'SUCCESSFUL' })] });

    const outcome = await watch();

    expect(outcome).toMatchObject({ status: 'succeeded', skippedPolls: 1 });
  });

  test("the circuit breaker's count is logged as it grows", async () => {
    const breaker = (failureCount: number, status: 'MONITORING' | 'TRIGGERED') => ({ status, failureCount, threshold: 3 });
    polls(
      stage('SCALE_UP', 0, 0, { deploymentCircuitBreaker: breaker(0, 'MONITORING') }),
      stage('SCALE_UP', 0, 0, { deploymentCircuitBreaker: breaker(1, 'MONITORING') }),
      stage('SCALE_UP', 0, 0, { deploymentCircuitBreaker: breaker(1, 'MONITORING') }),
      stage('SCALE_UP', 0, 0, { status: 'ROLLBACK_REQUESTED', deploymentCircuitBreaker: breaker(3, 'TRIGGERED') }),
    );
    const log = silentLogger();

    await watch({}, log);

    expect(log.lines.filter((line) => line.startsWith('Circuit breaker'))).toEqual([
      'Circuit breaker: 1 failed tasks of its threshold 3 (MONITORING)',
      'Circuit breaker: 3 failed tasks of its threshold 3 (TRIGGERED)',
    ]);
  });

  describe('the backstop for a crash loop ECS does not stop', () => {
    const crashed = [1, 2, 3].map((n) => crashedTask(n));
    const withBackstop = () =>
      watchServiceDeployment(
        {
          cluster: 'prod',
          service: 'web',
          startedAt: clock.now(),
          timeoutMs: 600_000,
          serviceDeploymentArn: SD_ARN,
          deploymentId: NEW_ID,
          failedTasksThreshold: 3,
        },
        { ecs, log: silentLogger(), clock },
      );

    beforeEach(() => {
      // ECS replaces each crashed green task: the target deployment changes every poll, its stopped tasks pile up.
      let poll = 0;
      ecsMock.on(DescribeServicesCommand).callsFake(() => ({
        services: [
          service([
            deployment({ id: NEW_ID, taskDefinition: NEW, updatedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, ++poll)) }),
            deployment({ id: OLD_ID, status: 'ACTIVE', taskDefinition: OLD }),
          ]),
        ],
      }));
      ecsMock.on(ListTasksCommand).resolves({ taskArns: crashed.map((task) => task.taskArn as string) });
      ecsMock.on(DescribeTasksCommand).resolves({ tasks: crashed });
      ecsMock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: { containerDefinitions: [{ name: 'web', essential: true }] } });
    });

    test('with the breaker off, failed-tasks-threshold failed tasks fail the deployment at its stage', async () => {
      polls(stage('SCALE_UP', 0, 0, { deploymentConfiguration: { deploymentCircuitBreaker: { enable: false, rollback: false } } }));

      const outcome = await withBackstop();

      expect(outcome).toMatchObject({
        status: 'failed',
        cause: 'failed-tasks-threshold',
        stage: 'SCALE_UP',
        reason:
          "3 tasks of the new revision stopped while the service deployment was at SCALE_UP (failed-tasks-threshold is 3): ECS's circuit breaker is off, so ECS keeps replacing them until the deployment is stopped",
      });
      expect(outcome.failedTasks).toHaveLength(3);
    });

    test('green tasks stopped by health checks: the outcome carries when a running green task was first seen healthy', async () => {
      const killed = [1, 2, 3].map((n) =>
        crashedTask(n, 143, {
          stopCode: 'ServiceSchedulerInitiated',
          stoppedReason: 'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/green/1)',
        }),
      );
      const running = { taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/running', startedBy: NEW_ID, lastStatus: 'RUNNING' };
      const startedAt = new Date(clock.now() - 20_000);
      // The stopped tasks for the service's stopped listing, the running one for the deployment's (startedBy).
      ecsMock
        .on(ListTasksCommand)
        .callsFake((input: { startedBy?: string }) => ({ taskArns: input.startedBy ? [running.taskArn] : killed.map((t) => t.taskArn) }));
      ecsMock.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => ({
        tasks: [...killed, { ...running, startedAt, healthStatus: 'HEALTHY' }].filter((t) => input.tasks.includes(t.taskArn as string)),
      }));
      polls(stage('SCALE_UP', 0, 0, { deploymentConfiguration: { deploymentCircuitBreaker: { enable: false, rollback: false } } }));

      const outcome = await withBackstop();

      expect(outcome.status).toBe('failed');
      expect(ecsMock.commandCalls(ListTasksCommand).some((call) => call.args[0].input.startedBy === NEW_ID)).toBe(true);
      const seenAfter = outcome.startupHealth?.healthyAfterMs[running.taskArn] ?? 0;
      expect(seenAfter).toBeGreaterThanOrEqual(20_000);
    });

    test("with the breaker on, the backstop fails it while ECS's count stays below its threshold, saying why", async () => {
      polls(stage('SCALE_UP', 0, 0));

      const outcome = await withBackstop();

      expect(outcome).toMatchObject({ status: 'failed', cause: 'breaker-did-not-trip', stage: 'SCALE_UP' });
      expect(outcome.reason).toMatch(
        /^3 tasks of the new revision stopped while the service deployment was at SCALE_UP, but ECS's circuit breaker did not trip \(it counts 0 of its threshold 3\): .+\. This step's backstop, the larger of ECS's threshold and failed-tasks-threshold \(3\), is 3$/,
      );
    });

    test('leaves the verdict to ECS once its breaker counted up to its threshold', async () => {
      const breaker = { status: 'MONITORING' as const, failureCount: 3, threshold: 3 };
      polls(
        stage('SCALE_UP', 0, 0, { deploymentCircuitBreaker: breaker }),
        stage('SCALE_UP', 0, 0, { deploymentCircuitBreaker: breaker }),
        stage('SCALE_UP', 0, 0, { deploymentCircuitBreaker: breaker }),
        stage('SCALE_UP', 0, 0, { deploymentCircuitBreaker: breaker }),
        stage('SCALE_UP', 0, 0, { deploymentCircuitBreaker: breaker }),
        stage('SCALE_UP', 0, 0, { status: 'ROLLBACK_REQUESTED', deploymentCircuitBreaker: { ...breaker, status: 'TRIGGERED' } }),
      );

      const outcome = await withBackstop();

      expect(outcome).toMatchObject({ status: 'rolled-back', cause: 'circuit-breaker' });
    });

    test('a healthy deployment with no stopped task succeeds', async () => {
      ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
      polls(stage('SCALE_UP', 0, 0), stage('SCALE_UP', 0, 0), stage('CLEAN_UP', 100, 100, { status: 'SUCCESSFUL' }));

      expect(await withBackstop()).toMatchObject({ status: 'succeeded', failedTasks: [] });
    });
  });
});

describe('watchServiceDeployment, several watches in one step', () => {
  test('three watches sharing the reads make one DescribeServiceDeployments call a round, and keep their own verdicts', async () => {
    const names = ['web', 'worker', 'scheduler'];
    const arnOf = (name: string) => SD_ARN.replace('/web/', `/${name}/`);
    ecsMock.on(DescribeServicesCommand).callsFake((input: DescribeServicesCommandInput) => ({
      services: (input.services ?? []).map((name) => service([deployment({ id: NEW_ID, taskDefinition: NEW })], { serviceName: name })),
    }));
    // Each service deployment succeeds on its third read; worker's ECS rolls back.
    const readsOf = new Map<string, number>();
    ecsMock.on(DescribeServiceDeploymentsCommand).callsFake((input: DescribeServiceDeploymentsCommandInput) => ({
      serviceDeployments: (input.serviceDeploymentArns ?? []).map((arn) => {
        const read = (readsOf.get(arn) ?? 0) + 1;
        readsOf.set(arn, read);
        if (read < 3) return stage('PRODUCTION_TRAFFIC_SHIFT', 50, 100, { serviceDeploymentArn: arn });
        const ended = arn === arnOf('worker') ? 'ROLLBACK_SUCCESSFUL' : 'SUCCESSFUL';
        return stage('CLEAN_UP', 100, 100, { serviceDeploymentArn: arn, status: ended });
      }),
    }));
    const shared = {
      serviceReads: new BatchedServiceReads(ecs, 60_000),
      serviceDeploymentReads: new BatchedServiceDeploymentReads(ecs, 60_000),
    };

    const outcomes = await Promise.all(
      names.map((name) =>
        watchServiceDeployment(
          { cluster: 'prod', service: name, startedAt: 0, timeoutMs: 600_000, serviceDeploymentArn: arnOf(name), deploymentId: NEW_ID },
          { ecs, log: silentLogger(), clock: fakeClock(), ...shared },
        ),
      ),
    );

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['succeeded', 'rolled-back', 'succeeded']);
    const perCall = ecsMock
      .commandCalls(DescribeServiceDeploymentsCommand)
      .map((call) => (call.args[0].input as DescribeServiceDeploymentsCommandInput).serviceDeploymentArns?.length);
    expect(perCall).toEqual([3, 3, 3]);
    expect(shared.serviceDeploymentReads).toMatchObject({ reads: 9, calls: 3 });
  });
});

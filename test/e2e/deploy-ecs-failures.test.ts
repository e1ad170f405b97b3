import { describe as group, expect, test } from '@jest/globals';
import { CloudWatchClient, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { putErrorRateAlarm } from '../support/alarms';
import { DescribeServiceDeploymentsCommand } from '@aws-sdk/client-ecs';
import { errorsOf, runBundledAction } from '../support/run-action';
import { CONTAINER_HEALTH_CHECK, createService, describe, ecsClient, REGISTRY, scaleToZero, waitForSteady } from '../support/ecs-fixtures';
import { useSandbox } from '../support/use-sandbox';

// deploy-ecs's rollouts that fail: rolled back by ECS (circuit breaker, alarm), failed by its own backstop or
// failed-tasks threshold, timed out; each reported with its cause. Its successes are in deploy-ecs.test.ts.
const sandbox = useSandbox({ timeScale: 0.2 });

const deploy = (inputs: Record<string, string>) => runBundledAction('deploy-ecs', inputs, { env: sandbox.env() });
const breakerWithRollback = { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: true } };

group('deploy-ecs against the sandbox, when the rollout fails', () => {
  test("a crash loop that ECS's circuit breaker rolls back is reported as rolled-back with the exit code and last log line", async () => {
    const { cluster, service, taskDefinitionArn } = await createService(sandbox, {
      service: 'cart',
      image: `${REGISTRY}/cart:v1`,
      // ECS's breaker counts a crash after RUNNING only for a task with a health check it had not yet passed.
      healthCheck: CONTAINER_HEALTH_CHECK,
      deploymentConfiguration: breakerWithRollback,
    });
    const broken = `${REGISTRY}/cart:v2`;
    sandbox.script(broken, { kind: 'exit', exitCode: 1, afterMs: 300, logs: ['starting cart v2', 'Error: DATABASE_URL is required'] });

    const run = await deploy({ cluster, service, image: broken });

    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    expect(run.outputs['previous-task-definition-arn']).toBe(taskDefinitionArn);
    const [message] = errorsOf(run).slice(-1);
    expect(message).toContain('circuit breaker');
    expect(message).toContain('exited with code 1');
    expect(message).toContain('Error: DATABASE_URL is required');
    expect(run.summary).toContain('EssentialContainerExited');
    expect(run.summary).toContain('Error: DATABASE_URL is required');
    // ECS (the sandbox) puts the service back on the old revision by itself.
    const settled = await waitForSteady(sandbox, cluster, service);
    expect(settled.taskDefinition).toBe(taskDefinitionArn);
  });

  test("the same crash loop without any health check, which ECS's breaker never counts, fails at the backstop within seconds", async () => {
    const { cluster, service } = await createService(sandbox, {
      service: 'basket',
      image: `${REGISTRY}/basket:v1`,
      deploymentConfiguration: breakerWithRollback,
    });
    const broken = `${REGISTRY}/basket:v2`;
    sandbox.script(broken, { kind: 'exit', exitCode: 1, afterMs: 300, logs: ['starting basket v2', 'Error: DATABASE_URL is required'] });

    const run = await deploy({ cluster, service, image: broken });

    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('failed');
    const [message] = errorsOf(run).slice(-1);
    expect(message).toContain("ECS's circuit breaker did not trip (it counts 0 of its threshold 3)");
    expect(message).toContain('the task definition defines no container health check and the service has no load balancer');
    expect(message).toContain('Error: DATABASE_URL is required');
    // Not the 30-minute timeout: the backstop's three crashes, then a few seconds for ECS to have counted them.
    expect(run.finishedAt - run.startedAt).toBeLessThan(30_000);
    // ECS never tripped: the deployment is still IN_PROGRESS and the old tasks keep serving.
    const live = await describe(sandbox, cluster, service);
    expect(live.deployments?.find((d) => d.id === run.outputs['deployment-id'])?.rolloutState).toBe('IN_PROGRESS');
    expect(live.runningCount).toBeGreaterThanOrEqual(2);
    await scaleToZero(sandbox, cluster, service);
  });

  test('the breaker trips with nothing completed to roll back to: failed, not rolled-back', async () => {
    // A service whose first deployment never completed: ECS has no COMPLETED deployment to return to.
    const { cluster, service } = await createService(sandbox, {
      service: 'wishlist',
      image: `${REGISTRY}/wishlist:v1`,
      healthCheck: CONTAINER_HEALTH_CHECK,
      deploymentConfiguration: breakerWithRollback,
      waitForSteady: false,
    });
    sandbox.script(`${REGISTRY}/wishlist:v1`, { kind: 'exit', exitCode: 1, afterMs: 300, logs: ['v1 never worked'] });
    const broken = `${REGISTRY}/wishlist:v2`;
    sandbox.script(broken, { kind: 'exit', exitCode: 4, afterMs: 300, logs: ['v2 does not work either'] });

    const run = await deploy({ cluster, service, image: broken });

    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('failed');
    const [message] = errorsOf(run).slice(-1);
    expect(message).toContain('ECS did not roll back: it found no completed deployment to roll back to');
    expect(message).toContain('exited with code 4');
    const live = await describe(sandbox, cluster, service);
    const answer = await ecsClient(sandbox).send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [live.currentServiceDeployment as string] }),
    );
    expect(answer.serviceDeployments?.[0]?.status).toBe('STOPPED');
    expect(answer.serviceDeployments?.[0]?.rollback).toBeUndefined();
    await scaleToZero(sandbox, cluster, service);
  });

  test('a deployment alarm set to ALARM during the deploy, with rollback: rolled-back, naming the alarm', async () => {
    const cloudwatch = new CloudWatchClient({
      region: sandbox.region,
      endpoint: sandbox.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const alarm = 'orders-5xx';
    // The bake time ECS waits after the rollout follows the alarm's Period x EvaluationPeriods.
    await putErrorRateAlarm(cloudwatch, alarm, { periodSeconds: 10 });
    const { cluster, service, taskDefinitionArn } = await createService(sandbox, {
      service: 'orders',
      image: `${REGISTRY}/orders:v1`,
      deploymentConfiguration: {
        minimumHealthyPercent: 100,
        maximumPercent: 200,
        alarms: { alarmNames: [alarm], enable: true, rollback: true },
      },
    });
    const next = `${REGISTRY}/orders:v2`;
    sandbox.script(next, { kind: 'healthy', startMs: 5000 });

    let alarmed = false;
    const run = await runBundledAction(
      'deploy-ecs',
      { cluster, service, image: next },
      {
        env: sandbox.env(),
        onLine: (line) => {
          if (alarmed || !line.text.startsWith('UpdateService started deployment')) return;
          alarmed = true;
          void cloudwatch.send(
            new SetAlarmStateCommand({ AlarmName: alarm, StateValue: 'ALARM', StateReason: 'Threshold Crossed: 9 errors in 10 seconds' }),
          );
        },
      },
    );

    expect(alarmed).toBe(true);
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    const [message] = errorsOf(run).slice(-1);
    expect(message).toContain(`CloudWatch alarm "${alarm}" went into ALARM, and ECS is rolling the service back to orders:1`);
    expect(message).not.toContain('circuit breaker');
    await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: alarm, StateValue: 'OK', StateReason: 'recovered' }));
    expect((await waitForSteady(sandbox, cluster, service)).taskDefinition).toBe(taskDefinitionArn);
  });

  test('without a circuit breaker, the failed-tasks threshold fails the deploy with the cause', async () => {
    const { cluster, service } = await createService(sandbox, { service: 'search', image: `${REGISTRY}/search:v1` });
    const broken = `${REGISTRY}/search:v2`;
    sandbox.script(broken, { kind: 'exit', exitCode: 3, afterMs: 200, logs: ['panic: index missing'] });

    const run = await deploy({ cluster, service, image: broken, 'failed-tasks-threshold': '2' });

    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('failed');
    const [message] = errorsOf(run).slice(-1);
    expect(message).toContain('failed-tasks-threshold is 2');
    expect(message).toContain('exited with code 3');
    expect(message).toContain('panic: index missing');
    expect(run.log).toContain('Stopped tasks of the new revision:');
    // The evidence is in collapsible groups after the paragraph: each opened and closed in turn.
    const texts = run.lines.map((line) => line.text);
    const opened = texts.findIndex((text) => /^::group::Stopped tasks of the new revision: (\d+|the last \d+ of \d+)$/.test(text));
    expect(opened).toBeGreaterThan(texts.findIndex((text) => text.startsWith('❌ ')));
    expect(texts.slice(opened + 1).find((text) => text.startsWith('::'))).toBe('::endgroup::');
    expect(texts).toContainEqual(expect.stringMatching(/^::group::Last log lines of container "search"/));
    // The old tasks keep serving: this action does not roll back by itself.
    const live = await describe(sandbox, cluster, service);
    expect(live.runningCount).toBeGreaterThanOrEqual(2);
    await scaleToZero(sandbox, cluster, service);
  });

  test('a rollout that never settles times out at the timeout input', async () => {
    const { cluster, service } = await createService(sandbox, { service: 'queue', image: `${REGISTRY}/queue:v1` });
    const stuck = `${REGISTRY}/queue:v2`;
    sandbox.script(stuck, { kind: 'pending-forever' });

    const run = await deploy({ cluster, service, image: stuck, timeout: '4s' });

    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('timed-out');
    expect(errorsOf(run).slice(-1)[0]).toContain('did not finish within 4s');
    expect(run.finishedAt - run.startedAt).toBeLessThan(20_000);
    await scaleToZero(sandbox, cluster, service);
  });
});

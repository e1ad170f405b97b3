import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeServiceDeploymentsCommand,
  ListServiceDeploymentsCommand,
  UpdateServiceCommand,
  type DeploymentConfiguration,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { start, type Sandbox } from '../src/index';
import { cloudWatchClient, container, createSteadyService, describeService, register, waitFor, waitForService } from './support/harness';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start({ timeScale: 0.025 });
});
afterAll(async () => {
  await sandbox.stop();
});

/** A 60 s × 3 alarm: its bake time is 3 minutes of ECS time, 4.5 s here. */
async function putAlarm(name: string): Promise<void> {
  await cloudWatchClient(sandbox).send(
    new PutMetricAlarmCommand({
      AlarmName: name,
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'HTTPCode_Target_5XX_Count',
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 3,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    }),
  );
}

async function setAlarm(name: string, state: 'ALARM' | 'OK'): Promise<void> {
  await cloudWatchClient(sandbox).send(new SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: 'test' }));
}

async function latestServiceDeployment(ecs: ECSClient, cluster: string, service: string) {
  const [latest] = (await ecs.send(new ListServiceDeploymentsCommand({ cluster, service }))).serviceDeployments ?? [];
  return (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [latest.serviceDeploymentArn as string] })))
    .serviceDeployments?.[0];
}

const withAlarms = (alarmNames: string[], rollback: boolean): DeploymentConfiguration => ({
  minimumHealthyPercent: 100,
  maximumPercent: 200,
  alarms: { alarmNames, enable: true, rollback },
});

describe('deploymentConfiguration.alarms', () => {
  test('an alarm in ALARM during the deployment fails it and, with rollback, rolls back to the last COMPLETED deployment', async () => {
    await putAlarm('shop-5xx');
    const { ecs, cluster, service, taskDefinitionArn: good } = await createSteadyService(sandbox, { service: 'shop', image: 'shop:1' });
    const goodDeployment = (await describeService(sandbox, cluster, service)).deployments?.[0].id as string;
    const next = await register(ecs, 'shop', [container('shop', 'shop:2')]);
    const update = await ecs.send(
      new UpdateServiceCommand({ cluster, service, taskDefinition: next, deploymentConfiguration: withAlarms(['shop-5xx'], true) }),
    );
    const id = update.service?.deployments?.find((d) => d.status === 'PRIMARY')?.id as string;
    // The new tasks serve (and errors start): the alarm goes off.
    await waitForService(sandbox, cluster, service, (s) => s.deployments?.find((d) => d.id === id)?.runningCount === 2);
    await setAlarm('shop-5xx', 'ALARM');

    const rolling = await waitForService(
      sandbox,
      cluster,
      service,
      (s) => s.deployments?.find((d) => d.id === id)?.rolloutState === 'FAILED',
    );
    expect(rolling.deployments?.find((d) => d.id === id)).toMatchObject({
      status: 'ACTIVE',
      rolloutStateReason: 'ECS deployment alarms: shop-5xx in ALARM state.',
    });
    expect(rolling.deployments?.find((d) => d.status === 'PRIMARY')).toMatchObject({
      taskDefinition: good,
      rolloutStateReason: `ECS deployment alarms: rolling back to deploymentId ${goodDeployment}.`,
    });
    expect(rolling.events?.map((e) => e.message)).toContain(`(service shop) (deployment ${id}) deployment failed: alarm detected.`);
    const sd = await latestServiceDeployment(ecs, cluster, service);
    expect(sd?.alarms).toEqual({ status: 'TRIGGERED', alarmNames: ['shop-5xx'], triggeredAlarmNames: ['shop-5xx'] });
    expect(sd?.rollback?.reason).toBe('ECS deployment alarms: shop-5xx in ALARM state.');
    expect(sd?.deploymentCircuitBreaker?.status).toBe('DISABLED');
    // The same rollback as the circuit breaker's: the old revision back, steady, with the alarm still in ALARM.
    const settled = await waitForService(
      sandbox,
      cluster,
      service,
      (s) => s.deployments?.length === 1 && s.deployments[0].rolloutState === 'COMPLETED',
    );
    expect(settled.taskDefinition).toBe(good);
    expect((await latestServiceDeployment(ecs, cluster, service))?.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(sandbox.history.find((e) => e.kind === 'rollback-started' && e.serviceName === 'shop')).toMatchObject({ deploymentId: id });
    await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 0 }));
  });

  test('without rollback the deployment fails and stays: no rollback, the old tasks keep serving', async () => {
    await putAlarm('desk-latency');
    const { ecs, cluster, service } = await createSteadyService(sandbox, { service: 'desk', image: 'desk:1' });
    const next = await register(ecs, 'desk', [container('desk', 'desk:2')]);
    sandbox.script('desk:2', { kind: 'pending-forever' });
    const update = await ecs.send(
      new UpdateServiceCommand({ cluster, service, taskDefinition: next, deploymentConfiguration: withAlarms(['desk-latency'], false) }),
    );
    const id = update.service?.deployments?.find((d) => d.status === 'PRIMARY')?.id as string;
    await setAlarm('desk-latency', 'ALARM');
    const failed = await waitForService(
      sandbox,
      cluster,
      service,
      (s) => s.deployments?.find((d) => d.id === id)?.rolloutState === 'FAILED',
    );
    expect(failed.deployments?.find((d) => d.id === id)).toMatchObject({
      status: 'PRIMARY',
      rolloutStateReason: 'ECS deployment alarms: desk-latency in ALARM state.',
    });
    expect(failed.deployments?.find((d) => d.status === 'ACTIVE')?.runningCount).toBe(2);
    const sd = await latestServiceDeployment(ecs, cluster, service);
    expect(sd).toMatchObject({ status: 'STOPPED', statusReason: 'ECS deployment alarms: desk-latency in ALARM state.' });
    expect(sd?.alarms).toEqual({ status: 'TRIGGERED', alarmNames: ['desk-latency'], triggeredAlarmNames: ['desk-latency'] });
    expect(sd?.rollback).toBeUndefined();
    expect(sandbox.history.some((e) => e.kind === 'rollback-started' && e.serviceName === 'desk')).toBe(false);
    await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 0 }));
  });

  test('the deployment stays IN_PROGRESS through the bake time after it is steady, then completes; an unknown alarm name never fires', async () => {
    await putAlarm('mill-errors');
    const { ecs, cluster, service } = await createSteadyService(sandbox, { service: 'mill', image: 'mill:1' });
    const next = await register(ecs, 'mill', [container('mill', 'mill:2')]);
    const update = await ecs.send(
      new UpdateServiceCommand({
        cluster,
        service,
        taskDefinition: next,
        deploymentConfiguration: withAlarms(['mill-errors', 'no-such-alarm'], true),
      }),
    );
    const id = update.service?.deployments?.find((d) => d.status === 'PRIMARY')?.id as string;
    // Scaled out and scaled in: ECS keeps the old deployment, and the rollout IN_PROGRESS, until the bake ends.
    const baking = await waitForService(
      sandbox,
      cluster,
      service,
      (s) => s.runningCount === 2 && s.deployments?.find((d) => d.id === id)?.runningCount === 2,
    );
    await waitFor('the new revision to be steady', async () =>
      sandbox.history.some((e) => e.kind === 'task-healthy' && e.deploymentId === id) ? true : undefined,
    );
    expect(baking.deployments?.find((d) => d.id === id)?.rolloutState).toBe('IN_PROGRESS');
    expect(baking.deployments).toHaveLength(2);
    expect((await latestServiceDeployment(ecs, cluster, service))?.alarms?.status).toBe('MONITORING');
    const done = await waitForService(
      sandbox,
      cluster,
      service,
      (s) => s.deployments?.length === 1 && s.deployments[0].rolloutState === 'COMPLETED',
    );
    expect(done.deployments?.[0].id).toBe(id);
    const sd = await latestServiceDeployment(ecs, cluster, service);
    expect(sd).toMatchObject({ status: 'SUCCESSFUL', alarms: { status: 'MONITORING_COMPLETE' } });
    const steadyAt = sandbox.history.filter((e) => e.kind === 'task-healthy' && e.deploymentId === id).map((e) => e.at);
    const completedAt = (sd?.finishedAt as Date).getTime();
    // At least most of the 3-minute bake (4.5 s at this scale) passed between steady and COMPLETED.
    expect(completedAt - Math.max(...steadyAt)).toBeGreaterThanOrEqual(4000);
    await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 0 }));
  });
});

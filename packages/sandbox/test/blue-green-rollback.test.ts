import { describe, expect, test } from '@jest/globals';
import { PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { ListTasksCommand, StopServiceDeploymentCommand } from '@aws-sdk/client-ecs';
import { registerRevision } from '../../../test/support/blue-green';
import { cloudWatchClient, describeService, ecsClient } from './support/harness';
import { atStage, ended, blueGreenWalk, useManualSandbox } from './support/blue-green-walk';

// Rolling a BLUE_GREEN deployment back before CLEAN_UP, on the manual clock: asked for, by the circuit breaker, by an alarm.
const sandbox = useManualSandbox();
const { walk, share, steady, deploy, liveTasks } = blueGreenWalk(sandbox);

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

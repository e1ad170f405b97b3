import { describe, expect, test } from '@jest/globals';
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeTasksCommand,
  InvalidParameterException,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  UpdateServiceCommand,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { registerRevision, type BlueGreenService } from '../../../test/support/blue-green';
import { describeService, ecsClient } from './support/harness';
import { STEP_MS, atStage, ended, blueGreenWalk, useManualSandbox } from './support/blue-green-walk';

// A new deployment while a BLUE_GREEN deployment is in progress, on the manual clock: at each stage it can come in.
const sandbox = useManualSandbox();
const { walk, share, steady, deploy, liveTasks } = blueGreenWalk(sandbox);

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

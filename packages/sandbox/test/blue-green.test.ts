import { describe, expect, test } from '@jest/globals';
import {
  DeleteServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  ListServiceDeploymentsCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { describeService, ecsClient } from './support/harness';
import { BLUE_GREEN_STAGES, STEP_MS, atStage, ended, blueGreenWalk, useManualSandbox } from './support/blue-green-walk';

// Blue/green services with scripted tasks on the manual clock: each test walks the deployment pass by pass.
// Here: a deployment's stages, its traffic, its history, and a service deleted during one.
const sandbox = useManualSandbox();
const { latest, walk, share, steady, deploy, liveTasks } = blueGreenWalk(sandbox);

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

import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import {
  DeleteListenerCommand,
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  DescribeRulesCommand,
  ModifyRuleCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeServiceDeploymentsCommand, ListServiceDeploymentsCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { start, type Sandbox } from '../src/index';
import {
  answers,
  blueGreenCatalog,
  createBlueGreenService,
  registerRevision,
  type BlueGreenService,
} from '../../../test/support/blue-green';
import { codeDeployClient, createCodeDeployDeployment, createCodeDeployService } from '../../../test/support/codedeploy';
import { ecsClient, elbClient, waitFor } from './support/harness';

// What ECS and CodeDeploy do with a release whose traffic resources were deleted after the service (or the deployment
// group) was created: the release starts, and fails part-way. deploy-ecs's pre-flight checks exist to refuse it first.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start({ timeScale: 0.05, catalog: blueGreenCatalog() });
});
afterAll(async () => {
  await sandbox.stop();
});

const ENDED = ['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'];

/** Starts a deployment of v2 and answers its service deployment once it has ended. */
async function releaseV2(bg: BlueGreenService) {
  const ecs = ecsClient(sandbox);
  const v2 = await registerRevision(sandbox, bg, 'v2');
  const before = Date.now();
  await ecs.send(new UpdateServiceCommand({ cluster: bg.cluster, service: bg.service, taskDefinition: v2 }));
  return waitFor('the service deployment to end', async () => {
    const briefs =
      (await ecs.send(new ListServiceDeploymentsCommand({ cluster: bg.cluster, service: bg.service }))).serviceDeployments ?? [];
    const latest = briefs.find((brief) => Number(brief.createdAt) >= before - 1000 && brief.targetServiceRevisionArn);
    if (!latest) return undefined;
    const sd = (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [latest.serviceDeploymentArn as string] })))
      .serviceDeployments?.[0];
    return sd && ENDED.includes(sd.status ?? '') ? sd : undefined;
  });
}

/** The production and test rules forward only to `arn`: what ELBv2 requires before the other group can be deleted. */
async function forwardOnlyTo(bg: BlueGreenService, arn: string) {
  for (const rule of [bg.productionRuleArn, bg.testRuleArn])
    await elbClient(sandbox).send(new ModifyRuleCommand({ RuleArn: rule, Actions: [{ Type: 'forward', TargetGroupArn: arn }] }));
}

describe('an ECS-native blue/green release whose traffic resources are gone', () => {
  test('with the alternate target group deleted, the deployment starts and is rolled back for invalid networking', async () => {
    const bg = await createBlueGreenService(sandbox, { service: 'gone-alternate', desiredCount: 1 });
    // The rules weigh both groups after the first deployment: ELBv2 deletes a group only once no rule forwards to it.
    const rule = (await elbClient(sandbox).send(new DescribeRulesCommand({ RuleArns: [bg.productionRuleArn] }))).Rules?.[0];
    expect(rule?.Actions?.[0]?.ForwardConfig?.TargetGroups?.map((group) => group.TargetGroupArn).sort()).toEqual(
      [bg.primaryTargetGroupArn, bg.alternateTargetGroupArn].sort(),
    );
    await forwardOnlyTo(bg, bg.primaryTargetGroupArn);
    await elbClient(sandbox).send(new DeleteTargetGroupCommand({ TargetGroupArn: bg.alternateTargetGroupArn }));

    const sd = await releaseV2(bg);

    expect(sd.status).toMatch(/^ROLLBACK_/);
    expect(sd.statusReason).toBe(
      `Service deployment rolled back because of invalid networking configuration: Target group ${bg.alternateTargetGroupArn} does not exist.`,
    );
  });

  test('with the test listener rule deleted, the deployment is rolled back, naming the rule', async () => {
    const bg = await createBlueGreenService(sandbox, { service: 'gone-test-rule', desiredCount: 1 });
    await elbClient(sandbox).send(new DeleteRuleCommand({ RuleArn: bg.testRuleArn }));

    const sd = await releaseV2(bg);

    expect(sd.status).toMatch(/^ROLLBACK_/);
    expect(sd.statusReason).toBe(
      `Service deployment rolled back because of invalid networking configuration: testListenerRule ${bg.testRuleArn} does not exist.`,
    );
    // Production stayed on the revision serving before.
    expect(await answers(bg.productionUrl, 2)).toEqual(['v1', 'v1']);
  });
});

describe('a CodeDeploy blue/green release whose target group pair is gone', () => {
  test.each([
    ['the target group nothing forwards to', 'green'],
    ['the test listener', 'test'],
  ] as const)('with %s deleted, CreateDeployment answers and the deployment fails, changing no traffic', async (_what, gone) => {
    const cd = await createCodeDeployService(sandbox, { service: `gone-${gone}`, desiredCount: 1 });
    await waitFor('v1 in production', async () => ((await answers(cd.productionUrl, 1))[0] === 'v1' ? true : undefined));
    if (gone === 'green') await elbClient(sandbox).send(new DeleteTargetGroupCommand({ TargetGroupArn: cd.greenTargetGroupArn }));
    else await elbClient(sandbox).send(new DeleteListenerCommand({ ListenerArn: cd.testListenerArn }));
    const codedeploy = codeDeployClient(sandbox);
    const v2 = await registerRevision(sandbox, cd, 'v2');

    const deploymentId = await createCodeDeployDeployment(sandbox, cd, v2);
    const info = await waitFor('the deployment to fail', async () => {
      const deployment = (await codedeploy.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo;
      return deployment?.status === 'Failed' ? deployment : undefined;
    });

    expect(info.errorInformation).toEqual({
      code: 'ELASTIC_LOAD_BALANCING_INVALID',
      message:
        gone === 'green'
          ? `The target group ${cd.greenTargetGroupName} of the deployment group's target group pair does not exist.`
          : `The listener ${cd.testListenerArn} of the deployment group's target group pair does not exist.`,
    });
    expect(await answers(cd.productionUrl, 2)).toEqual(['v1', 'v1']);
  });
});

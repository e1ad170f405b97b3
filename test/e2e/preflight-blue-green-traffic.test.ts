import { beforeEach, describe as group, expect, test } from '@jest/globals';
import {
  DeleteListenerCommand,
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  ModifyRuleCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { mutatingCalls } from '../support/bad-input';
import { BLUE_GREEN_REPOSITORY, createBlueGreenService, type BlueGreenService } from '../support/blue-green';
import { createCodeDeployService, type CodeDeployService } from '../support/codedeploy';
import { ecsClient, waitForTaskSetSteady } from '../support/ecs-fixtures';
import { elbClient } from '../support/load-balancer';
import { errorsOf, runBundledAction, type ActionRun } from '../support/run-action';
import { useSandbox } from '../support/use-sandbox';

// The traffic-resources pre-flight checks through the bundled deploy-ecs: a blue/green service whose alternate target
// group or listener rule was deleted, or a CodeDeploy deployment group whose target group or listener was, is refused
// before any revision is registered. Without the check ECS (and the sandbox) would start the release and roll it back
// part-way, CodeDeploy would fail it once started (packages/sandbox/test/blue-green-missing-resources.test.ts).

const sandbox = useSandbox({ timeScale: 0.05 });
const elb = () => elbClient(sandbox);

let names = 0;
const revisions = async (family: string) =>
  (await ecsClient(sandbox).send(new ListTaskDefinitionsCommand({ familyPrefix: family }))).taskDefinitionArns ?? [];
const lines = (run: ActionRun) => run.lines.map((line) => line.text);

/** deploy-ecs of v2, and the calls it made. */
async function deploy(service: { cluster: string; service: string }, extra: Record<string, string> = {}) {
  const before = sandbox.calls.length;
  const run = await runBundledAction(
    'deploy-ecs',
    { cluster: service.cluster, service: service.service, image: `${BLUE_GREEN_REPOSITORY}:v2`, wait: 'false', ...extra },
    { env: sandbox.env() },
  );
  return { run, calls: sandbox.calls.slice(before) };
}

/** The run failed with exactly `message`, before anything changed. */
async function expectRefused(deployed: Awaited<ReturnType<typeof deploy>>, family: string, before: string[], message: string) {
  expect(deployed.run.exitCode).toBe(1);
  expect(errorsOf(deployed.run)).toEqual([message]);
  expect(mutatingCalls(deployed.calls)).toEqual([]);
  expect(await revisions(family)).toEqual(before);
}

const NATIVE_FIX =
  "Recreate what is missing, or point the service's loadBalancers at target groups and listener rules that exist " +
  '(UpdateService with loadBalancers and their advancedConfiguration): ECS would start the deployment and roll it back part-way. Nothing was changed.';

group('deploy-ecs: an ECS-native blue/green service has its alternate target group and listener rules', () => {
  let bg: BlueGreenService;
  let before: string[];
  beforeEach(async () => {
    bg = await createBlueGreenService(sandbox, { service: `bg-traffic-${++names}`, desiredCount: 1 });
    before = await revisions(bg.family);
  });

  test('a healthy service passes the check and is deployed', async () => {
    const { run } = await deploy(bg);

    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs.status).toBe('registered');
    expect(run.log).toMatch(
      new RegExp(
        `pass {2}Alternate target group and listener rules +target groups ${bg.service}-blue, ${bg.service}-green exist; the production and test listener rules exist and forward to them`,
      ),
    );
  });

  test('a deleted alternate target group is refused, naming it and the field that names it', async () => {
    // ELBv2 deletes a group only once no rule forwards to it: the rules are moved off it first, as a person would.
    for (const rule of [bg.productionRuleArn, bg.testRuleArn])
      await elb().send(new ModifyRuleCommand({ RuleArn: rule, Actions: [{ Type: 'forward', TargetGroupArn: bg.primaryTargetGroupArn }] }));
    await elb().send(new DeleteTargetGroupCommand({ TargetGroupArn: bg.alternateTargetGroupArn }));

    await expectRefused(
      await deploy(bg),
      bg.family,
      before,
      `The service's loadBalancers[0].advancedConfiguration.alternateTargetGroupArn names target group ${bg.alternateTargetGroupArn}, which does not exist. ${NATIVE_FIX}`,
    );
  });

  test.each([
    ['production', 'productionListenerRule'],
    ['test', 'testListenerRule'],
  ] as const)('a deleted %s listener rule is refused, naming it', async (which, field) => {
    const rule = which === 'production' ? bg.productionRuleArn : bg.testRuleArn;
    await elb().send(new DeleteRuleCommand({ RuleArn: rule }));

    await expectRefused(
      await deploy(bg),
      bg.family,
      before,
      `The service's loadBalancers[0].advancedConfiguration.${field} names listener rule ${rule}, which does not exist. ${NATIVE_FIX}`,
    );
  });

  test('DescribeRules refused is a warning naming elasticloadbalancing:DescribeRules, and the deploy goes on', async () => {
    sandbox.setFaults({ operations: ['DescribeRules'], refuseWith: 'AccessDeniedException' });
    try {
      const { run } = await deploy(bg);

      expect(run.exitCode).toBe(0);
      expect(run.outputs.status).toBe('registered');
      expect(lines(run)).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^::warning::Alternate target group and listener rules: listener rule ${bg.productionRuleArn} \\(loadBalancers\\[0\\]\\.advancedConfiguration\\.productionListenerRule\\) was not checked: the role may not call elasticloadbalancing:DescribeRules;.* Grant elasticloadbalancing:DescribeRules to have them checked\\.$`,
          ),
        ),
      );
    } finally {
      sandbox.setFaults(undefined);
    }
  });
});

const CODEDEPLOY_FIX =
  "Recreate what is missing, or name target groups and listeners that exist in the deployment group's target group pair " +
  '(aws deploy update-deployment-group --load-balancer-info ...): CodeDeploy would fail the deployment after it started. Nothing was changed.';

group("deploy-ecs: a CODE_DEPLOY service's deployment group has its target groups and listeners", () => {
  let cd: CodeDeployService;
  let before: string[];
  const where = () => `deployment group "${cd.deploymentGroupName}" of application "${cd.applicationName}"`;
  beforeEach(async () => {
    cd = await createCodeDeployService(sandbox, { service: `cd-traffic-${++names}`, desiredCount: 1 });
    await waitForTaskSetSteady(sandbox, cd.cluster, cd.service);
    before = await revisions(cd.family);
  });

  test('a healthy group passes the check and the deployment is created', async () => {
    const { run } = await deploy(cd);

    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs['codedeploy-deployment-id']).toMatch(/^d-/);
    expect(run.log).toMatch(
      new RegExp(
        `pass {2}Target groups and listeners +target groups ${cd.blueTargetGroupName}, ${cd.greenTargetGroupName} and the production and test listeners of the ${where()} exist`,
      ),
    );
  });

  test('a deleted target group of the pair is refused, naming it and where the group names it', async () => {
    // The green group: no listener forwards to it, so ELBv2 lets it go.
    await elb().send(new DeleteTargetGroupCommand({ TargetGroupArn: cd.greenTargetGroupArn }));

    await expectRefused(
      await deploy(cd),
      cd.family,
      before,
      `The ${where()} names target group ${cd.greenTargetGroupName} in loadBalancerInfo.targetGroupPairInfoList[0].targetGroups[1], which does not exist. ${CODEDEPLOY_FIX}`,
    );
  });

  test('a deleted listener of the pair is refused, naming its route', async () => {
    await elb().send(new DeleteListenerCommand({ ListenerArn: cd.testListenerArn }));

    await expectRefused(
      await deploy(cd),
      cd.family,
      before,
      `The ${where()} names listener ${cd.testListenerArn} in loadBalancerInfo.targetGroupPairInfoList[0].testTrafficRoute, which does not exist. ${CODEDEPLOY_FIX}`,
    );
  });

  test('DescribeListeners refused is a warning naming elasticloadbalancing:DescribeListeners, and the deploy goes on', async () => {
    sandbox.setFaults({ operations: ['DescribeListeners'], refuseWith: 'AccessDeniedException' });
    try {
      const { run } = await deploy(cd);

      expect(run.exitCode).toBe(0);
      expect(run.outputs['codedeploy-deployment-id']).toMatch(/^d-/);
      expect(lines(run)).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^::warning::Target groups and listeners: listener ${cd.productionListenerArn} \\(loadBalancerInfo\\.targetGroupPairInfoList\\[0\\]\\.prodTrafficRoute\\) was not checked: the role may not call elasticloadbalancing:DescribeListeners;.* Grant elasticloadbalancing:DescribeListeners to have them checked\\.$`,
          ),
        ),
      );
    } finally {
      sandbox.setFaults(undefined);
    }
  });
});

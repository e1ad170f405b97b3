import { describe as group, expect, test } from '@jest/globals';
import {
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  StopDeploymentCommand,
  type DeploymentInfo,
  type ECSTarget,
} from '@aws-sdk/client-codedeploy';
import { registerRevision } from '../support/blue-green';
import { codeDeployClient, createCodeDeployDeployment, createCodeDeployService, type CodeDeployService } from '../support/codedeploy';
import { errorsOf, runBundledAction } from '../support/run-action';
import { useSandbox } from '../support/use-sandbox';

// The manual clock: CodeDeploy's rollback stands still at its first lifecycle event until the test moves time, so
// auto-rollback meets it there every run, not by a race won two times in ten.
const sandbox = useSandbox({ clock: 'manual' });
const codedeploy = () => codeDeployClient(sandbox);
const calls = (operation: string, from = 0) => sandbox.calls.slice(from).filter((call) => call.operation === operation).length;
const STEP_MS = 500;

interface Observation {
  info: DeploymentInfo;
  target?: ECSTarget;
}

async function observe(cd: CodeDeployService, deploymentId: string): Promise<Observation> {
  const info = (await codedeploy().send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo as DeploymentInfo;
  const target = await codedeploy()
    .send(new GetDeploymentTargetCommand({ deploymentId, targetId: `${cd.cluster}:${cd.service}` }))
    .then((answer) => answer.deploymentTarget?.ecsTarget)
    .catch(() => undefined);
  return { info, target };
}

/** Moves the sandbox's time in steps until `until` holds for the deployment. */
async function walk(cd: CodeDeployService, deploymentId: string, until: (o: Observation) => boolean): Promise<Observation> {
  for (let elapsed = 0; ; elapsed += STEP_MS) {
    const o = await observe(cd, deploymentId);
    if (until(o)) return o;
    if (elapsed > 30 * 60_000) throw new Error(`not reached: ${JSON.stringify(o.info.status)}`);
    await sandbox.advance(STEP_MS);
  }
}

/** Waits (real time, the action's own) until the action has made `count` calls of `operation` since `from`. */
async function actionCalled(operation: string, from: number, count = 1): Promise<void> {
  for (const deadline = Date.now() + 60_000; calls(operation, from) < count;) {
    if (Date.now() > deadline) throw new Error(`auto-rollback did not call ${operation} within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A CODE_DEPLOY service born of CreateService (no CodeDeploy deployment ever succeeded in its group, so CodeDeploy
 * knows no earlier revision), a release of v2 stopped with rollback at Ready as verify-health's gate stops it, and
 * CodeDeploy's rollback deployment at its first lifecycle event.
 */
async function stoppedAtReady(name: string) {
  const cd = await createCodeDeployService(sandbox, {
    service: name,
    desiredCount: 1,
    group: {
      blueGreenDeploymentConfiguration: {
        deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: 120 },
        terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 120 },
      },
    },
  });
  await sandbox.advance(45_000);
  const v2 = await registerRevision(sandbox, cd, 'v2');
  const release = await createCodeDeployDeployment(sandbox, cd, v2);
  await walk(cd, release, (o) => o.info.status === 'Ready');
  await codedeploy().send(new StopDeploymentCommand({ deploymentId: release, autoRollbackEnabled: true }));
  const stopped = await walk(cd, release, (o) => Boolean(o.info.rollbackInfo?.rollbackDeploymentId));
  const rollback = stopped.info.rollbackInfo?.rollbackDeploymentId as string;
  await walk(cd, rollback, (o) => o.info.status === 'InProgress');
  return { cd, release, rollback };
}

const autoRollback = (cd: CodeDeployService) =>
  runBundledAction(
    'auto-rollback',
    { cluster: cd.cluster, service: cd.service, 'task-definition': cd.taskDefinitionArn },
    { env: sandbox.env() },
  );

group("auto-rollback on a CreateService-born CODE_DEPLOY service, CodeDeploy's rollback of the gate's stop under way", () => {
  test('follows the rollback already returning to the target: rolled-back false, no second deployment, nothing stopped', async () => {
    const { cd, release, rollback } = await stoppedAtReady('cdrace-flight');
    // CodeDeploy knows no earlier revision of this group: the rollback names none (the sandbox makes none up).
    expect((await observe(cd, rollback)).info.revision).toBeUndefined();
    const from = sandbox.calls.length;

    const run = autoRollback(cd);
    // The history is read while the rollback is at its first lifecycle event; then CodeDeploy carries on.
    await actionCalled('BatchGetDeployments', from);
    await actionCalled('GetDeployment', from);
    await walk(cd, rollback, (o) => o.info.status === 'Succeeded');
    const rolled = await run;

    expect(errorsOf(rolled)).toEqual([]);
    expect(rolled.outputs).toMatchObject({ 'rolled-back': 'false', 'task-definition-arn': cd.taskDefinitionArn });
    expect(rolled.log).toMatch(
      new RegExp(
        `Nothing to roll back: CodeDeploy already rolled cdrace-flight back .*\\(CodeDeploy rollback deployment ${rollback} of deployment ${release}\\)`,
      ),
    );
    expect({ create: calls('CreateDeployment', from), stop: calls('StopDeployment', from) }).toEqual({ create: 0, stop: 0 });
  });

  test('a rollback that ends between the service read and the deployments read is not taken for two task sets left behind', async () => {
    const { cd, rollback } = await stoppedAtReady('cdrace-ended');
    const from = sandbox.calls.length;
    // The action's first ListDeployments is held (network latency): the rollback ends after the action described the
    // service (the replacement still beside the original) and before CodeDeploy answers the listing.
    sandbox.setFaults({ rules: [{ operation: 'ListDeployments', count: 1, effect: { kind: 'latency', ms: 3_000 } }] });

    const run = autoRollback(cd);
    await actionCalled('ListDeployments', from);
    await walk(cd, rollback, (o) => o.info.status === 'Succeeded');
    const rolled = await run;
    sandbox.setFaults(undefined);

    expect(errorsOf(rolled)).toEqual([]);
    expect(rolled.outputs).toMatchObject({ 'rolled-back': 'false', 'task-definition-arn': cd.taskDefinitionArn });
    expect(rolled.log).toMatch(/Nothing to roll back: CodeDeploy already rolled cdrace-ended back/);
    expect({ create: calls('CreateDeployment', from), stop: calls('StopDeployment', from) }).toEqual({ create: 0, stop: 0 });
  });
});

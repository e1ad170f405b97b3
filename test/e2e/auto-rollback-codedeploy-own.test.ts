import { describe as group, expect, test } from '@jest/globals';
import { GetDeploymentCommand, StopDeploymentCommand, type DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { answers, blueGreenCatalog, registerRevision } from '../support/blue-green';
import { codeDeployClient, createCodeDeployDeployment, createCodeDeployService } from '../support/codedeploy';
import { errorsOf, runBundledAction } from '../support/run-action';
import { useSandbox } from '../support/use-sandbox';

// CodeDeploy's own time: its rollback deployment walks its lifecycle events a second each, long enough to be seen
// under way by the action started right after it.
const sandbox = useSandbox({ timeScale: 1, catalog: blueGreenCatalog() });
const codedeploy = () => codeDeployClient(sandbox);
const calls = (operation: string) => sandbox.calls.filter((call) => call.operation === operation).length;

async function until<T>(read: () => Promise<T | undefined>, what: string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const info = async (deploymentId: string) =>
  (await codedeploy().send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo as DeploymentInfo;

group('auto-rollback on a CODE_DEPLOY service CodeDeploy is rolling back already', () => {
  test('the rollback under way is watched to Succeeded, not stopped or deployed over, and rolled-back is false', async () => {
    const cd = await createCodeDeployService(sandbox, { service: 'cdrb-own', desiredCount: 1 });
    await until(async () => ((await answers(`${cd.productionUrl}/`, 1))[0] === 'v1' ? true : undefined), 'v1 answers');
    const v2 = await registerRevision(sandbox, cd, 'v2');
    const release = await createCodeDeployDeployment(sandbox, cd, v2);
    await until(async () => ((await info(release)).status === 'InProgress' ? true : undefined), 'the release is under way');
    // A person (or an alarm) stopped the release with rollback: CodeDeploy's rollback deployment is under way.
    await codedeploy().send(new StopDeploymentCommand({ deploymentId: release, autoRollbackEnabled: true }));
    const rollback = await until(async () => (await info(release)).rollbackInfo?.rollbackDeploymentId, 'the rollback deployment is named');
    const stops = calls('StopDeployment');
    const creates = calls('CreateDeployment');

    const rolled = await runBundledAction(
      'auto-rollback',
      { cluster: cd.cluster, service: cd.service, 'task-definition': cd.taskDefinitionArn },
      { env: sandbox.env() },
    );

    expect(errorsOf(rolled)).toEqual([]);
    expect(rolled.outputs).toMatchObject({ 'rolled-back': 'false', 'task-definition-arn': cd.taskDefinitionArn });
    expect(rolled.log).toMatch(new RegExp(`CodeDeploy already rolled cdrb-own back .* \\(CodeDeploy rollback deployment ${rollback}`));
    expect(rolled.log).toMatch(
      new RegExp(`CodeDeploy rollback deployment ${rollback} of deployment ${release} is still rolling it out: watching it`),
    );
    expect(calls('StopDeployment')).toBe(stops);
    expect(calls('CreateDeployment')).toBe(creates);
    expect((await info(rollback)).status).toBe('Succeeded');
    expect(await answers(`${cd.productionUrl}/`, 5)).toEqual(Array(5).fill('v1'));
  });
});

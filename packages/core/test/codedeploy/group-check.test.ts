import { beforeEach, describe, expect, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodeDeployClient, GetDeploymentGroupCommand, type DeploymentGroupInfo } from '@aws-sdk/client-codedeploy';
import type { Service } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { ConfigurationError } from '../../src/common/errors';
import { silentLogger } from '../../src/common/logger';
import { deploymentGroupCheck, type DeploymentGroupCheckOptions } from '../../src/deployment/codedeploy/group-check';
import { runPreflight } from '../../src/preflight/run';

const codedeployMock = mockClient(CodeDeployClient);
const codedeploy = new CodeDeployClient({ region: 'eu-west-1' });
const service: Service = { serviceName: 'web', loadBalancers: [{ containerName: 'app', containerPort: 8080 }] };
const group = (overrides: Partial<DeploymentGroupInfo> = {}): DeploymentGroupInfo => ({
  applicationName: 'AppECS-prod-web',
  deploymentGroupName: 'DgpECS-prod-web',
  computePlatform: 'ECS',
  deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
  ecsServices: [{ clusterName: 'prod', serviceName: 'web' }],
  blueGreenDeploymentConfiguration: {
    deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT', waitTimeInMinutes: 0 },
    terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 5 },
  },
  ...overrides,
});
const refusal = (name: string, message: string) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });

async function run(options: Partial<DeploymentGroupCheckOptions> = {}) {
  const check = deploymentGroupCheck({ codedeploy, cluster: 'prod', service, inputs: {}, waitUntil: 'complete', ...options });
  try {
    const report = await runPreflight([check], { log: silentLogger() });
    return { value: report.valueOf(check) };
  } catch (error) {
    return { error: error as ConfigurationError };
  }
}

beforeEach(() => {
  codedeployMock.reset();
  codedeployMock.on(GetDeploymentGroupCommand).resolves({ deploymentGroupInfo: group() });
});

describe('deploymentGroupCheck', () => {
  test("reads the console's default names and finds the waits by design: the termination wait for complete", async () => {
    const { value } = await run();
    expect(codedeployMock.commandCalls(GetDeploymentGroupCommand)[0].args[0].input).toEqual({
      applicationName: 'AppECS-prod-web',
      deploymentGroupName: 'DgpECS-prod-web',
    });
    expect(value).toMatchObject({ deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce', waitMs: 5 * 60_000 });
  });

  test('adds the ready wait and a canary interval; the deployment-config input wins over the group', async () => {
    codedeployMock.on(GetDeploymentGroupCommand).resolves({
      deploymentGroupInfo: group({
        blueGreenDeploymentConfiguration: {
          deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: 30 },
          terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 10 },
        },
      }),
    });
    const { value } = await run({ inputs: { deploymentConfig: 'CodeDeployDefault.ECSCanary10Percent15Minutes' }, waitUntil: 'bake' });
    expect(value).toMatchObject({ deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent15Minutes', waitMs: (30 + 15) * 60_000 });
  });

  test('a group that deploys another service is refused, naming the inputs', async () => {
    codedeployMock
      .on(GetDeploymentGroupCommand)
      .resolves({ deploymentGroupInfo: group({ ecsServices: [{ clusterName: 'prod', serviceName: 'api' }] }) });
    const { error } = await run();
    expect(error?.message).toBe(
      'The deployment group "DgpECS-prod-web" of application "AppECS-prod-web" deploys prod/api, not service "web" of cluster "prod". ' +
        "Give the application and deployment group that deploy this service in 'codedeploy-application' and 'codedeploy-deployment-group'. Nothing was changed.",
    );
    expect(error?.input).toBe('codedeploy-deployment-group');
  });

  test('a missing deployment group names the input and the default tried', async () => {
    codedeployMock.on(GetDeploymentGroupCommand).rejects(refusal('DeploymentGroupDoesNotExistException', 'No Deployment Group found'));
    const { error } = await run();
    expect(error?.input).toBe('codedeploy-deployment-group');
    expect(error?.message).toMatch(
      /^Input 'codedeploy-deployment-group': application "AppECS-prod-web" has no deployment group "DgpECS-prod-web" \(the input was not given, so the console's default DgpECS-<cluster>-<service> was tried\)/,
    );
  });

  test('a missing application given as input names it, without a default', async () => {
    codedeployMock
      .on(GetDeploymentGroupCommand)
      .rejects(refusal('ApplicationDoesNotExistException', 'No application found for name: shop'));
    const { error } = await run({ inputs: { application: 'shop' } });
    expect(error?.input).toBe('codedeploy-application');
    expect(error?.message).toMatch(/^Input 'codedeploy-application': there is no CodeDeploy application "shop"\. Give/);
  });

  test('wait-until paused is refused when the group reroutes without waiting at Ready', async () => {
    const { error } = await run({ waitUntil: 'paused' });
    expect(error?.input).toBe('wait-until');
    expect(error?.message).toMatch(
      /reroutes traffic without waiting \(deploymentReadyOption CONTINUE_DEPLOYMENT\): the deployment would never stop at Ready/,
    );
  });

  test('an appspec file without an ECS TargetService is refused before anything is created, naming the input', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'appspec-')), 'appspec.yaml');
    writeFileSync(path, 'version: 0.0\nResources: []\n');
    const { error } = await run({ inputs: { appSpecFile: path } });
    expect(error?.input).toBe('appspec');
    expect(error?.message).toMatch(/^Input 'appspec': the AppSpec file must have Resources with exactly one TargetService/);
  });

  test('an appspec file that does not exist is refused, naming the input', async () => {
    const { error } = await run({ inputs: { appSpecFile: '/nowhere/appspec.yaml' } });
    expect(error?.input).toBe('appspec');
    expect(error?.message).toMatch(/^Input 'appspec': cannot read the AppSpec file \/nowhere\/appspec.yaml/);
  });
});

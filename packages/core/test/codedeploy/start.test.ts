import { beforeEach, describe, expect, test } from '@jest/globals';
import {
  CodeDeployClient,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  ListDeploymentsCommand,
  type DeploymentGroupInfo,
} from '@aws-sdk/client-codedeploy';
import { DescribeServicesCommand, ECSClient, ListTasksCommand, type Service } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { ActionFailure } from '../../src/common/errors';
import { silentLogger } from '../../src/common/logger';
import { appSpecTaskDefinition } from '../../src/deployment/codedeploy/appspec';
import type { CodeDeployPlan } from '../../src/deployment/codedeploy/group-check';
import { codeDeployNames } from '../../src/deployment/codedeploy/settings';
import { startCodeDeployDeployment } from '../../src/deployment/codedeploy/start';

const ecsMock = mockClient(ECSClient);
const codedeployMock = mockClient(CodeDeployClient);
const TD = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:8';
const OTHER = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7';
const service: Service = {
  serviceName: 'web',
  desiredCount: 2,
  loadBalancers: [{ containerName: 'app', containerPort: 8080 }],
  deploymentController: { type: 'CODE_DEPLOY' },
};
const plan: CodeDeployPlan = {
  names: codeDeployNames('prod', 'web'),
  group: { ecsServices: [{ clusterName: 'prod', serviceName: 'web' }] } as DeploymentGroupInfo,
  deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
  waitMs: 0,
};
const context = () => ({
  ecs: new ECSClient({ region: 'eu-west-1' }),
  codedeploy: new CodeDeployClient({ region: 'eu-west-1' }),
  log: silentLogger(),
  clock: { now: () => 1_000, sleep: async () => undefined },
});
const request = { cluster: 'prod', service: 'web', taskDefinitionArn: TD, forceNewDeployment: false, watch: true, found: [plan] };

beforeEach(() => {
  ecsMock.reset();
  codedeployMock.reset();
  ecsMock.on(DescribeServicesCommand).resolves({ services: [service] });
  ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
});

describe('startCodeDeployDeployment', () => {
  test("creates the deployment in the pre-flight check's group with the AppSpec of the revision and its sha256", async () => {
    codedeployMock.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-NEW000001' });

    const started = await startCodeDeployDeployment(request, context());

    expect(started).toMatchObject({ deploymentId: 'd-NEW000001', codeDeployDeploymentId: 'd-NEW000001', startedWith: 'CreateDeployment' });
    const input = codedeployMock.commandCalls(CreateDeploymentCommand)[0].args[0].input;
    expect(input).toMatchObject({
      applicationName: 'AppECS-prod-web',
      deploymentGroupName: 'DgpECS-prod-web',
      deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
      revision: { revisionType: 'AppSpecContent', appSpecContent: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } },
    });
    expect(appSpecTaskDefinition(input.revision?.appSpecContent?.content)).toBe(TD);
  });

  test('a group with a deployment in flight is refused, naming that deployment and how to go on', async () => {
    codedeployMock.on(CreateDeploymentCommand).rejects(
      Object.assign(new Error("The Deployment Group 'DgpECS-prod-web' already has an active Deployment 'd-BUSY00001'"), {
        name: 'DeploymentLimitExceededException',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    codedeployMock.on(ListDeploymentsCommand).resolves({ deployments: ['d-BUSY00001'] });
    codedeployMock.on(GetDeploymentCommand).resolves({
      deploymentInfo: {
        deploymentId: 'd-BUSY00001',
        status: 'InProgress',
        revision: {
          revisionType: 'AppSpecContent',
          appSpecContent: { content: JSON.stringify({ Resources: [{ TargetService: { Properties: { TaskDefinition: OTHER } } }] }) },
        },
      },
    });

    const error = await startCodeDeployDeployment(request, context()).catch((e: Error) => e);

    expect(error).toBeInstanceOf(ActionFailure);
    expect((error as Error).message).toMatch(
      /deployment group "DgpECS-prod-web" already has deployment d-BUSY00001 \(InProgress, of web:7\) in flight, and CodeDeploy runs one deployment of a group at a time\. Wait for it to end and deploy again, follow it with deploy-ecs's codedeploy-deployment-id \(d-BUSY00001\), or stop it/,
    );
    expect(codedeployMock.commandCalls(ListDeploymentsCommand)[0].args[0].input.includeOnlyStatuses).toEqual(
      expect.arrayContaining(['InProgress', 'Ready']),
    );
  });

  test("when the in-flight list is refused, the id in CodeDeploy's message is named instead", async () => {
    codedeployMock
      .on(CreateDeploymentCommand)
      .rejects(Object.assign(new Error("already has an active Deployment 'd-BUSY00002'"), { name: 'DeploymentLimitExceededException' }));
    codedeployMock.on(ListDeploymentsCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));

    const error = await startCodeDeployDeployment(request, context()).catch((e: Error) => e);

    expect((error as Error).message).toMatch(/already has deployment d-BUSY00002 in flight/);
  });
});

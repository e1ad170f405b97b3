import { beforeEach, describe, expect, test } from '@jest/globals';
import { CodeDeployClient, GetDeploymentCommand, ListDeploymentsCommand, type DeploymentGroupInfo } from '@aws-sdk/client-codedeploy';
import { ECSClient, type Service, type TaskSet } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { silentLogger } from '../../src/common/logger';
import type { CodeDeployPlan } from '../../src/deployment/codedeploy/group-check';
import { codeDeployServingRevision } from '../../src/deployment/codedeploy/serving-revision';
import { codeDeployNames } from '../../src/deployment/codedeploy/settings';
import { codeDeployUnchanged } from '../../src/deployment/codedeploy/unchanged';

const codedeployMock = mockClient(CodeDeployClient);
const codedeploy = new CodeDeployClient({ region: 'eu-west-1' });
const td = (n: number) => `arn:aws:ecs:eu-west-1:123456789012:task-definition/web:${n}`;
const taskSet = (id: string, n: number, overrides: Partial<TaskSet> = {}): TaskSet => ({
  id,
  status: 'PRIMARY',
  taskDefinition: td(n),
  stabilityStatus: 'STEADY_STATE',
  computedDesiredCount: 2,
  runningCount: 2,
  createdAt: new Date('2026-12-01T10:00:00Z'),
  ...overrides,
});
const service = (...taskSets: TaskSet[]): Service => ({ serviceName: 'web', taskDefinition: taskSets[0]?.taskDefinition, taskSets });
const plan = (group: Partial<DeploymentGroupInfo> = {}): CodeDeployPlan => ({
  names: codeDeployNames('prod', 'web'),
  group: group as DeploymentGroupInfo,
  deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
  waitMs: 0,
});
const appSpecOf = (n: number) => ({
  revisionType: 'AppSpecContent' as const,
  appSpecContent: { content: JSON.stringify({ Resources: [{ TargetService: { Properties: { TaskDefinition: td(n) } } }] }) },
});

beforeEach(() => {
  codedeployMock.reset();
});

describe('codeDeployServingRevision', () => {
  test("the PRIMARY task set, steady, after the group's last deployment succeeded", async () => {
    const found = [plan({ lastAttemptedDeployment: { deploymentId: 'd-LAST00001', status: 'Succeeded' } })];
    const serving = await codeDeployServingRevision(service(taskSet('ecs-svc/1', 3)), { codedeploy }, found);
    expect(serving.taskDefinitionArn).toBe(td(3));
  });

  test('the original task set left in place by a failed deployment (created before it)', async () => {
    const found = [
      plan({ lastAttemptedDeployment: { deploymentId: 'd-FAILED001', status: 'Failed', createTime: new Date('2026-12-02T10:00:00Z') } }),
    ];
    const serving = await codeDeployServingRevision(service(taskSet('ecs-svc/1', 3)), { codedeploy }, found);
    expect(serving.taskDefinitionArn).toBe(td(3));
  });

  test("a replacement a failed deployment left PRIMARY is not it: the group's last successful deployment's revision is", async () => {
    codedeployMock.on(GetDeploymentCommand, { deploymentId: 'd-GOOD00001' }).resolves({ deploymentInfo: { revision: appSpecOf(2) } });
    const found = [
      plan({
        lastAttemptedDeployment: { deploymentId: 'd-FAILED001', status: 'Failed', createTime: new Date('2026-12-01T09:00:00Z') },
        lastSuccessfulDeployment: { deploymentId: 'd-GOOD00001', status: 'Succeeded' },
      }),
    ];
    const serving = await codeDeployServingRevision(service(taskSet('ecs-svc/2', 4)), { codedeploy }, found);
    expect(serving.taskDefinitionArn).toBe(td(2));
  });

  test('with a deployment in flight, the older (original) task set', async () => {
    const original = taskSet('ecs-svc/1', 3, { status: 'ACTIVE' });
    const replacement = taskSet('ecs-svc/2', 4, { createdAt: new Date('2026-12-02T10:00:00Z') });
    const serving = await codeDeployServingRevision(service(replacement, original), { codedeploy }, [plan()]);
    expect(serving.taskDefinitionArn).toBe(td(3));
  });

  test('none, with the reason, when the task set is not steady and no deployment succeeded', async () => {
    const serving = await codeDeployServingRevision(service(taskSet('ecs-svc/1', 3, { stabilityStatus: 'STABILIZING' })), { codedeploy }, [
      plan(),
    ]);
    expect(serving.taskDefinitionArn).toBeUndefined();
    expect(serving.evidence).toMatch(/task set ecs-svc\/1 of web:3 is STABILIZING/);
  });
});

describe('codeDeployUnchanged', () => {
  const context = () => ({
    ecs: new ECSClient({ region: 'eu-west-1' }),
    codedeploy,
    log: silentLogger(),
    clock: { now: () => 0, sleep: async () => undefined },
  });

  test('settled on a lone steady PRIMARY task set with nothing in flight', async () => {
    codedeployMock.on(ListDeploymentsCommand).resolves({ deployments: [] });
    const standing = await codeDeployUnchanged(service(taskSet('ecs-svc/1', 3)), context(), [plan()]);
    expect(standing).toMatchObject({
      state: 'settled',
      message: expect.stringMatching(/settled on web:3 \(PRIMARY task set ecs-svc\/1, STEADY_STATE, 2\/2 running\)/),
    });
  });

  test('a deployment of the revision in flight is watched', async () => {
    codedeployMock.on(ListDeploymentsCommand).resolves({ deployments: ['d-FLIGHT001'] });
    codedeployMock
      .on(GetDeploymentCommand)
      .resolves({ deploymentInfo: { deploymentId: 'd-FLIGHT001', status: 'InProgress', revision: appSpecOf(3) } });
    const standing = await codeDeployUnchanged(service(taskSet('ecs-svc/1', 3)), context(), [plan()]);
    expect(standing).toMatchObject({ state: 'in-progress', started: { codeDeployDeploymentId: 'd-FLIGHT001' } });
  });

  test('a deployment of another revision in flight fails the step, naming it', async () => {
    codedeployMock.on(ListDeploymentsCommand).resolves({ deployments: ['d-FLIGHT002'] });
    codedeployMock
      .on(GetDeploymentCommand)
      .resolves({ deploymentInfo: { deploymentId: 'd-FLIGHT002', status: 'Ready', revision: appSpecOf(4) } });
    const standing = await codeDeployUnchanged(service(taskSet('ecs-svc/1', 3)), context(), [plan()]);
    expect(standing).toMatchObject({
      state: 'failed',
      message: expect.stringMatching(/CodeDeploy deployment d-FLIGHT002 of web:4 is Ready/),
    });
  });

  test('a PRIMARY task set that is not steady, with nothing in flight, is not called settled', async () => {
    codedeployMock.on(ListDeploymentsCommand).resolves({ deployments: [] });
    const standing = await codeDeployUnchanged(
      service(taskSet('ecs-svc/1', 3, { stabilityStatus: 'STABILIZING', runningCount: 1 })),
      context(),
      [plan()],
    );
    expect(standing).toMatchObject({
      state: 'failed',
      message: expect.stringMatching(/is STABILIZING \(1\/2 running\).*force-new-deployment/),
    });
  });
});

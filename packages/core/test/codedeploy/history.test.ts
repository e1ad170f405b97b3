import { beforeEach, describe, expect, test } from '@jest/globals';
import {
  BatchGetDeploymentsCommand,
  CodeDeployClient,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentsCommand,
  type DeploymentInfo,
} from '@aws-sdk/client-codedeploy';
import type { Service } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { readCodeDeployHistory } from '../../src/deployment/codedeploy/history';
import { codeDeployNames } from '../../src/deployment/codedeploy/settings';
import { chooseTarget } from '../../src/use-cases/roll-back/target';

const cdMock = mockClient(CodeDeployClient);
const codedeploy = new CodeDeployClient({ region: 'us-east-1' });
const group = codeDeployNames('prod', 'web');

const td = (revision: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${revision}`;
const appSpec = (revision: number) => ({
  revisionType: 'AppSpecContent' as const,
  appSpecContent: {
    content: JSON.stringify({
      version: 0.0,
      Resources: [{ TargetService: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: td(revision) } } }],
    }),
  },
});
const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));

function deployment(
  id: string,
  revision: number,
  status: DeploymentInfo['status'],
  minute: number,
  extra: Partial<DeploymentInfo> = {},
): DeploymentInfo {
  return {
    deploymentId: id,
    status,
    creator: 'user',
    revision: appSpec(revision),
    createTime: at(minute),
    completeTime: at(minute + 1),
    ...extra,
  };
}

/** The group's deployments, listed in no particular order (ListDeployments documents none). */
function groupHas(...deployments: DeploymentInfo[]) {
  cdMock.on(ListDeploymentsCommand).callsFake((input: { includeOnlyStatuses?: string[] }) => ({
    deployments: deployments
      .filter((d) => !input.includeOnlyStatuses || input.includeOnlyStatuses.includes(d.status as string))
      .map((d) => d.deploymentId as string)
      .reverse(),
  }));
  cdMock.on(BatchGetDeploymentsCommand).callsFake((input: { deploymentIds: string[] }) => ({
    deploymentsInfo: deployments.filter((d) => input.deploymentIds.includes(d.deploymentId as string)),
  }));
}

/** A CODE_DEPLOY service whose PRIMARY task set runs `primary`, with an ACTIVE one beside it when given. */
const serviceOn = (primary: number, active?: number): Service => ({
  serviceName: 'web',
  taskDefinition: td(primary),
  deploymentController: { type: 'CODE_DEPLOY' },
  taskSets: [
    { id: 'ecs-svc/blue', status: 'PRIMARY', taskDefinition: td(primary) },
    ...(active ? [{ id: 'ecs-svc/green', status: 'ACTIVE', taskDefinition: td(active) }] : []),
  ],
});

beforeEach(() => {
  cdMock.reset();
});

describe('readCodeDeployHistory: what a CODE_DEPLOY service returns to', () => {
  test('a release in flight heads to its own revision, though the PRIMARY task set still runs the original', async () => {
    groupHas(deployment('d-AAAAAAAA1', 1, 'Succeeded', 0), deployment('d-AAAAAAAA2', 2, 'InProgress', 10));

    const history = await readCodeDeployHistory(codedeploy, group, serviceOn(1, 2));

    expect(history.destination).toBe(td(2));
    expect(history.current).toMatchObject({ deploymentId: 'd-AAAAAAAA2', inFlight: true, targetTaskDefinitionArn: td(2) });
    expect(chooseTarget(undefined, history).taskDefinitionArn).toBe(td(1));
  });

  test('a revision whose deployments failed or were stopped is never returned to, only one a Succeeded deployment put in production', async () => {
    groupHas(
      deployment('d-AAAAAAAA1', 1, 'Succeeded', 0),
      deployment('d-AAAAAAAA3', 3, 'Failed', 5),
      deployment('d-AAAAAAAA4', 4, 'Stopped', 7),
      deployment('d-AAAAAAAA2', 2, 'Succeeded', 10),
    );

    const history = await readCodeDeployHistory(codedeploy, group, serviceOn(2));

    expect(history.previous).toMatchObject({ taskDefinitionArn: td(1) });
    expect(history.previous?.evidence).toMatch(/CodeDeploy deployment d-AAAAAAAA1 ended Succeeded/);
  });

  test('a forced redeploy of the release does not count as the revision to return to', async () => {
    groupHas(
      deployment('d-AAAAAAAA1', 1, 'Succeeded', 0),
      deployment('d-AAAAAAAA2', 2, 'Succeeded', 5),
      deployment('d-AAAAAAAA3', 2, 'Succeeded', 10),
    );

    const history = await readCodeDeployHistory(codedeploy, group, serviceOn(2));

    expect(history.previous?.taskDefinitionArn).toBe(td(1));
  });

  test("CodeDeploy's own rollback under way: the release is the deployment it rolls back, the rollback's revision the destination", async () => {
    const failed = deployment('d-AAAAAAAA2', 2, 'Failed', 10, { rollbackInfo: { rollbackDeploymentId: 'd-AAAAAAAA3' } });
    const rollback = deployment('d-AAAAAAAA3', 1, 'InProgress', 12, {
      creator: 'codeDeployRollback',
      rollbackInfo: { rollbackTriggeringDeploymentId: 'd-AAAAAAAA2' },
    });
    groupHas(deployment('d-AAAAAAAA1', 1, 'Succeeded', 0), failed, rollback);

    const history = await readCodeDeployHistory(codedeploy, group, serviceOn(2, 1));

    expect(history.destination).toBe(td(1));
    expect(history.current).toMatchObject({ deploymentId: 'd-AAAAAAAA3', inFlight: true, targetTaskDefinitionArn: td(2) });
    expect(history.current?.ownRollback).toMatch(/CodeDeploy rollback deployment d-AAAAAAAA3 of deployment d-AAAAAAAA2/);
  });

  test('after a failed release without a rollback, the service is where the PRIMARY task set is', async () => {
    groupHas(deployment('d-AAAAAAAA1', 1, 'Succeeded', 0), deployment('d-AAAAAAAA2', 2, 'Failed', 10));

    const history = await readCodeDeployHistory(codedeploy, group, serviceOn(1));

    expect(history.destination).toBe(td(1));
    expect(history.current).toMatchObject({ inFlight: false, taskDefinitionArn: td(1), targetTaskDefinitionArn: td(2) });
  });

  test('without a Succeeded deployment of another revision, the task-definition input is asked for', async () => {
    groupHas(deployment('d-AAAAAAAA2', 2, 'Succeeded', 10));

    const history = await readCodeDeployHistory(codedeploy, group, serviceOn(2));

    expect(() => chooseTarget(undefined, history)).toThrow(
      /Input 'task-definition' is needed: no Succeeded deployment among the deployment group's newest CodeDeploy deployments holds/,
    );
  });

  test('a deployment under way is found even beyond the pages of history that are read', async () => {
    const old = Array.from({ length: 400 }, (_, i) => deployment(`d-OLD${String(i).padStart(6, '0')}`, 1, 'Succeeded', i % 50));
    const release = deployment('d-AAAAAAAA2', 2, 'InProgress', 100);
    // The full listing answers 100 ids a page, oldest first, with the release on a page beyond the bound.
    cdMock.on(ListDeploymentsCommand).callsFake((input: { includeOnlyStatuses?: string[]; nextToken?: string }) => {
      if (input.includeOnlyStatuses) return { deployments: [release.deploymentId] };
      const all = [...old, release].map((d) => d.deploymentId as string);
      const from = Number(input.nextToken ?? 0);
      return { deployments: all.slice(from, from + 100), ...(from + 100 < all.length ? { nextToken: String(from + 100) } : {}) };
    });
    cdMock.on(BatchGetDeploymentsCommand).callsFake((input: { deploymentIds: string[] }) => ({
      deploymentsInfo: [...old, release].filter((d) => input.deploymentIds.includes(d.deploymentId as string)),
    }));

    const history = await readCodeDeployHistory(codedeploy, group, serviceOn(1, 2));

    expect(history.current).toMatchObject({ deploymentId: 'd-AAAAAAAA2', inFlight: true });
    expect(history.destination).toBe(td(2));
  });

  test('a release under way whose AppSpec content GetDeployment does not return heads to its Green task set, not to the serving revision', async () => {
    groupHas(
      deployment('d-AAAAAAAA1', 1, 'Succeeded', 0),
      deployment('d-AAAAAAAA2', 2, 'InProgress', 10, { revision: { revisionType: 'AppSpecContent' } }),
    );
    cdMock.on(GetDeploymentCommand).resolves({ deploymentInfo: { deploymentId: 'd-AAAAAAAA2', status: 'InProgress' } });
    cdMock.on(GetDeploymentTargetCommand).resolves({
      deploymentTarget: { ecsTarget: { taskSetsInfo: [{ identifer: 'ecs-svc/green', taskSetLabel: 'Green', trafficWeight: 0 }] } },
    });

    const history = await readCodeDeployHistory(codedeploy, group, {
      ...serviceOn(1, 2),
      clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
    });

    expect(history.destination).toBe(td(2));
    expect(history.current).toMatchObject({ inFlight: true, targetTaskDefinitionArn: td(2) });
  });

  test('a release under way whose revision cannot be told at all is never taken for the serving revision', async () => {
    groupHas(
      deployment('d-AAAAAAAA1', 1, 'Succeeded', 0),
      deployment('d-AAAAAAAA2', 2, 'Created', 10, { revision: { revisionType: 'AppSpecContent' } }),
    );
    cdMock
      .on(GetDeploymentTargetCommand)
      .rejects(Object.assign(new Error('no target yet'), { name: 'DeploymentTargetDoesNotExistException' }));

    const history = await readCodeDeployHistory(codedeploy, group, serviceOn(1));

    expect(history.destination).not.toBe(td(1));
    expect(history.destination).toMatch(/CodeDeploy deployment d-AAAAAAAA2/);
    expect(chooseTarget(undefined, history).taskDefinitionArn).toBe(td(1));
  });

  test("a finished deployment that left two task sets (CodeDeploy's rollback failed) is not taken for the service being on the target", async () => {
    const failed = deployment('d-AAAAAAAA2', 2, 'Stopped', 10, { rollbackInfo: { rollbackDeploymentId: 'd-AAAAAAAA3' } });
    const rollback = deployment('d-AAAAAAAA3', 1, 'Failed', 12, {
      creator: 'codeDeployRollback',
      rollbackInfo: { rollbackTriggeringDeploymentId: 'd-AAAAAAAA2' },
    });
    groupHas(deployment('d-AAAAAAAA1', 1, 'Succeeded', 0), failed, rollback);

    const history = await readCodeDeployHistory(codedeploy, group, serviceOn(1, 2));

    expect(history.destination).not.toBe(td(1));
    expect(history.destination).toMatch(/the 2 task sets CodeDeploy deployment d-AAAAAAAA3 left \(Failed\)/);
    expect(chooseTarget(undefined, history).taskDefinitionArn).toBe(td(1));
  });

  test("CodeDeploy's rollback under way, without a revision of its own, heads to the original (Blue) task set of the deployment it rolls back", async () => {
    // The service's first revision came from CreateService: the group has no last known good revision to show.
    const stopped = deployment('d-AAAAAAAA2', 2, 'Stopped', 10, { rollbackInfo: { rollbackDeploymentId: 'd-AAAAAAAA3' } });
    const rollback = deployment('d-AAAAAAAA3', 1, 'InProgress', 12, {
      creator: 'codeDeployRollback',
      revision: undefined,
      completeTime: undefined,
      rollbackInfo: { rollbackTriggeringDeploymentId: 'd-AAAAAAAA2' },
    });
    groupHas(stopped, rollback);
    cdMock.on(GetDeploymentCommand, { deploymentId: 'd-AAAAAAAA2' }).resolves({ deploymentInfo: stopped });
    cdMock.on(GetDeploymentTargetCommand, { deploymentId: 'd-AAAAAAAA2' }).resolves({
      deploymentTarget: {
        ecsTarget: {
          taskSetsInfo: [
            { identifer: 'ecs-svc/blue', taskSetLabel: 'Blue', trafficWeight: 100 },
            { identifer: 'ecs-svc/green', taskSetLabel: 'Green', trafficWeight: 0 },
          ],
        },
      },
    });

    const history = await readCodeDeployHistory(codedeploy, group, {
      ...serviceOn(1, 2),
      clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
    });

    expect(history.destination).toBe(td(1));
    expect(history.current).toMatchObject({ deploymentId: 'd-AAAAAAAA3', inFlight: true, targetTaskDefinitionArn: td(2) });
    expect(history.current?.ownRollback).toMatch(/CodeDeploy rollback deployment d-AAAAAAAA3 of deployment d-AAAAAAAA2/);
  });

  test('a rollback that ended after the service was described is judged on the service read after the deployments', async () => {
    const stopped = deployment('d-AAAAAAAA2', 2, 'Stopped', 10, { rollbackInfo: { rollbackDeploymentId: 'd-AAAAAAAA3' } });
    const rollback = deployment('d-AAAAAAAA3', 1, 'Succeeded', 12, {
      creator: 'codeDeployRollback',
      revision: undefined,
      rollbackInfo: { rollbackTriggeringDeploymentId: 'd-AAAAAAAA2' },
    });
    groupHas(stopped, rollback);

    // Described while the rollback still ran (the replacement beside the original), the deployments listed once it ended.
    const history = await readCodeDeployHistory(codedeploy, group, serviceOn(1, 2), undefined, async () => serviceOn(1));

    expect(history.destination).toBe(td(1));
  });

  test('a role that may not list the deployments is told which permissions the rollback needs, before any change', async () => {
    cdMock.on(ListDeploymentsCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));

    await expect(readCodeDeployHistory(codedeploy, group, serviceOn(2))).rejects.toThrow(
      /needs codedeploy:ListDeployments and codedeploy:BatchGetDeployments .* Nothing was changed/,
    );
  });
});

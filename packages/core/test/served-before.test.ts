import { beforeEach, describe, expect, test } from '@jest/globals';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  type Deployment,
  type ServiceDeploymentStatus,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { servedBeforeServiceDeployment } from '../src/ecs/served-before';
import { silentLogger } from '../src/common/logger';
import { deployment, NEW, OLD, OLD_ID, service } from './fixtures/ecs';

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: 'us-east-1' });

const PREFIX = 'arn:aws:ecs:us-east-1:123456789012';
const sdArn = (index: number) => `${PREFIX}:service-deployment/prod/web/sd-${index}`;
const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 0, minutes));

/** The service deployments API answering newest first, one revision per deployment. */
function history(newestFirst: { status: ServiceDeploymentStatus; taskDefinition: string }[]) {
  const deployments = newestFirst.map((entry, index) => ({
    serviceDeploymentArn: sdArn(index),
    status: entry.status,
    createdAt: at(10 - index),
    finishedAt: entry.status === 'SUCCESSFUL' ? at(10 - index) : undefined,
    targetServiceRevision: { arn: `${PREFIX}:service-revision/prod/web/rev-${index}` },
  }));
  ecsMock.on(ListServiceDeploymentsCommand).resolves({
    serviceDeployments: deployments.map(({ serviceDeploymentArn, status, createdAt }) => ({ serviceDeploymentArn, status, createdAt })),
  });
  ecsMock.on(DescribeServiceDeploymentsCommand).callsFake((input: { serviceDeploymentArns: string[] }) => ({
    serviceDeployments: deployments.filter((sd) => input.serviceDeploymentArns.includes(sd.serviceDeploymentArn)),
  }));
  ecsMock.on(DescribeServiceRevisionsCommand).callsFake((input: { serviceRevisionArns: string[] }) => ({
    serviceRevisions: input.serviceRevisionArns.map((arn) => ({
      serviceRevisionArn: arn,
      taskDefinition: newestFirst[Number(arn.split('rev-')[1])]?.taskDefinition,
    })),
  }));
}

beforeEach(() => {
  ecsMock.reset();
  ecsMock.onAnyCommand().rejects(new Error('unexpected call'));
});

const served = (deployments: Deployment[], followed = sdArn(0)) =>
  servedBeforeServiceDeployment(ecs, { cluster: 'prod', serviceDeploymentArn: followed }, service(deployments), silentLogger());

describe('what served before a followed service deployment (previous-task-definition-arn)', () => {
  test('while it rolls out: the COMPLETED deployment beside its PRIMARY, without reading the history', async () => {
    const previous = await served([
      deployment({ rolloutState: 'IN_PROGRESS' }),
      deployment({ id: OLD_ID, status: 'ACTIVE', taskDefinition: OLD, rolloutState: 'COMPLETED' }),
    ]);

    expect(previous.taskDefinitionArn).toBe(OLD);
    expect(ecsMock.calls()).toHaveLength(0);
  });

  test('once it has completed and is alone: the revision that completed before it in the history, never its own', async () => {
    history([
      { status: 'SUCCESSFUL', taskDefinition: NEW },
      { status: 'SUCCESSFUL', taskDefinition: OLD },
    ]);

    const previous = await served([deployment({ rolloutState: 'COMPLETED' })]);

    expect(previous.taskDefinitionArn).toBe(OLD);
    expect(previous.evidence).toMatch(/before service deployment sd-0/);
  });

  test('a deployment the history does not name as current is not answered for', async () => {
    history([
      { status: 'SUCCESSFUL', taskDefinition: NEW },
      { status: 'SUCCESSFUL', taskDefinition: OLD },
    ]);

    const previous = await served([deployment({ rolloutState: 'COMPLETED' })], sdArn(1));

    expect(previous.taskDefinitionArn).toBeUndefined();
    expect(previous.evidence).toMatch(/sd-1 is not the service's current one .*current one is sd-0/);
  });

  test('nothing completed before it: none, and why', async () => {
    history([{ status: 'SUCCESSFUL', taskDefinition: NEW }]);

    const previous = await served([deployment({ rolloutState: 'COMPLETED' })]);

    expect(previous.taskDefinitionArn).toBeUndefined();
    expect(previous.evidence).toMatch(/no deployment before service deployment sd-0 is known to have completed/);
  });
});

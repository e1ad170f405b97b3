import { beforeEach, describe, expect, test } from '@jest/globals';
import { ECSClient, type Deployment } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { historyDeploymentArn, mockHistory } from './fixtures/service-deployment-history';
import { servedBeforeServiceDeployment } from '../src/ecs/served-before';
import { silentLogger } from '../src/common/logger';
import { deployment, NEW, OLD, OLD_ID, service } from './fixtures/ecs';

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: 'us-east-1' });

const sdArn = historyDeploymentArn;

const history = (newestFirst: Parameters<typeof mockHistory>[1]) => mockHistory(ecsMock, newestFirst);

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

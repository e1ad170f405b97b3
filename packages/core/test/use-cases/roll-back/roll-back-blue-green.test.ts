import { beforeEach, describe, expect, test } from '@jest/globals';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type Deployment,
  type Service,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { silentLogger } from '../../../src/common/logger';
import { rollBackService, type RollBackClients, type RollBackPorts } from '../../../src/use-cases/roll-back/roll-back-service';
import { fakeClock } from '../../support/fake-clock';
import { described, TAGS } from '../../support/task-definitions';

const ecsMock = mockClient(ECSClient);
const PREFIX = 'arn:aws:ecs:us-east-1:123456789012';
const td = (revision: number) => `${PREFIX}:task-definition/web:${revision}`;
const SD_RELEASE = `${PREFIX}:service-deployment/prod/web/sd-release`;
const SD_EARLIER = `${PREFIX}:service-deployment/prod/web/sd-earlier`;
const revisionOf = (revision: number) => `${PREFIX}:service-revision/prod/web/rev-${revision}`;

const deployment = (revision: number, overrides: Partial<Deployment> = {}): Deployment => ({
  id: `ecs-svc/${revision}`,
  status: 'PRIMARY',
  taskDefinition: td(revision),
  desiredCount: 2,
  runningCount: 2,
  rolloutState: 'IN_PROGRESS',
  createdAt: new Date('2026-01-01T00:00:00Z'),
  ...overrides,
});
/** web:3 being released over web:2 on a BLUE_GREEN service: both run until clean-up. */
const releasing = (): Service => ({
  serviceArn: `${PREFIX}:service/prod/web`,
  serviceName: 'web',
  status: 'ACTIVE',
  desiredCount: 2,
  taskDefinition: td(3),
  deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 10 },
  deployments: [deployment(3), deployment(2, { status: 'ACTIVE', rolloutState: 'COMPLETED' })],
  events: [],
});

/** The release's service deployment answers `release` in turn (the last repeated); the earlier one completed web:2. */
function history(...release: Partial<ServiceDeployment>[]) {
  const earlier: ServiceDeployment = {
    serviceDeploymentArn: SD_EARLIER,
    status: 'SUCCESSFUL',
    createdAt: new Date('2025-12-31T00:00:00Z'),
    targetServiceRevision: { arn: revisionOf(2) },
  };
  const releaseAt = (n: number): ServiceDeployment => ({
    serviceDeploymentArn: SD_RELEASE,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    targetServiceRevision: { arn: revisionOf(3) },
    sourceServiceRevisions: [{ arn: revisionOf(2) }],
    ...release[Math.min(n, release.length - 1)],
  });
  let reads = 0;
  ecsMock.on(ListServiceDeploymentsCommand).resolves({
    serviceDeployments: [
      {
        serviceDeploymentArn: SD_RELEASE,
        status: release[0].status,
        createdAt: new Date('2026-01-01T00:00:00Z'),
        targetServiceRevisionArn: revisionOf(3),
      },
      { serviceDeploymentArn: SD_EARLIER, status: 'SUCCESSFUL', createdAt: earlier.createdAt, targetServiceRevisionArn: revisionOf(2) },
    ],
  });
  ecsMock.on(DescribeServiceDeploymentsCommand).callsFake((input: { serviceDeploymentArns: string[] }) => ({
    serviceDeployments: input.serviceDeploymentArns.map((arn) => (arn === SD_RELEASE ? releaseAt(reads++) : earlier)),
  }));
  ecsMock.on(DescribeServiceRevisionsCommand).callsFake((input: { serviceRevisionArns: string[] }) => ({
    serviceRevisions: input.serviceRevisionArns.map((arn) => ({
      serviceRevisionArn: arn,
      taskDefinition: td(Number(arn.split('-').pop())),
    })),
  }));
}

let log: ReturnType<typeof silentLogger>;
let clock: ReturnType<typeof fakeClock>;
const clients = (): RollBackClients => ({
  ecs: new ECSClient({ region: 'us-east-1' }),
  logs: new CloudWatchLogsClient({ region: 'us-east-1' }),
});
const ports = (): RollBackPorts => ({
  log,
  clock,
  setSecret: () => undefined,
  writeSummary: async () => undefined,
  notice: () => undefined,
  setOutputs: () => undefined,
});
const request = { region: 'us-east-1', cluster: 'prod', service: 'web', reason: 'verify-health failed', wait: true, timeoutMs: 600_000 };

beforeEach(() => {
  ecsMock.reset();
  log = silentLogger();
  clock = fakeClock();
  ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
  ecsMock.on(DescribeServicesCommand).resolves({ services: [releasing()] });
});

describe('rollBackService on a BLUE_GREEN service', () => {
  test('paused at a PAUSE hook: ContinueServiceDeployment ROLLBACK, watched to ROLLBACK_SUCCESSFUL, no UpdateService', async () => {
    const hook = { hookId: 'ecs-pause-1', targetType: 'PAUSE' as const, status: 'AWAITING_ACTION' as const };
    history(
      { status: 'IN_PROGRESS', lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT', lifecycleHookDetails: [hook] },
      { status: 'IN_PROGRESS', lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT', lifecycleHookDetails: [hook] },
      { status: 'IN_PROGRESS', lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT', lifecycleHookDetails: [hook] },
      { status: 'ROLLBACK_IN_PROGRESS', lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT' },
      {
        status: 'ROLLBACK_SUCCESSFUL',
        lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
        rollback: { reason: 'Rollback requested with ContinueServiceDeployment.' },
      },
    );
    ecsMock.on(ContinueServiceDeploymentCommand).resolves({ serviceDeploymentArn: SD_RELEASE });

    const result = await rollBackService(request, clients(), ports());

    expect(ecsMock.commandCalls(ContinueServiceDeploymentCommand).map((call) => call.args[0].input)).toEqual([
      { serviceDeploymentArn: SD_RELEASE, hookId: 'ecs-pause-1', action: 'ROLLBACK' },
    ]);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(ecsMock.commandCalls(StopServiceDeploymentCommand)).toHaveLength(0);
    expect(result.verdict).toBe('rolled-back');
    expect(result.outputs).toMatchObject({ rolledBack: true, taskDefinitionArn: td(2) });
  });

  test('in flight without a pause (baking): StopServiceDeployment ROLLBACK, watched to ROLLBACK_SUCCESSFUL', async () => {
    history(
      { status: 'IN_PROGRESS', lifecycleStage: 'BAKE_TIME' },
      { status: 'IN_PROGRESS', lifecycleStage: 'BAKE_TIME' },
      { status: 'ROLLBACK_IN_PROGRESS', lifecycleStage: 'BAKE_TIME' },
      { status: 'ROLLBACK_SUCCESSFUL', lifecycleStage: 'BAKE_TIME' },
    );
    ecsMock.on(StopServiceDeploymentCommand).resolves({ serviceDeploymentArn: SD_RELEASE });

    const result = await rollBackService(request, clients(), ports());

    expect(ecsMock.commandCalls(StopServiceDeploymentCommand).map((call) => call.args[0].input)).toEqual([
      { serviceDeploymentArn: SD_RELEASE, stopType: 'ROLLBACK' },
    ]);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(result.verdict).toBe('rolled-back');
  });

  test('a rollback that ECS cannot finish (ROLLBACK_FAILED) fails the step', async () => {
    history(
      { status: 'IN_PROGRESS', lifecycleStage: 'BAKE_TIME' },
      { status: 'IN_PROGRESS', lifecycleStage: 'BAKE_TIME' },
      { status: 'ROLLBACK_FAILED', lifecycleStage: 'BAKE_TIME', statusReason: 'old tasks failed to start' },
    );
    ecsMock.on(StopServiceDeploymentCommand).resolves({ serviceDeploymentArn: SD_RELEASE });
    ecsMock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: described(), tags: TAGS });

    await expect(rollBackService(request, clients(), ports())).rejects.toThrow(/ECS's rollback failed \(old tasks failed to start\)/);
  });
});

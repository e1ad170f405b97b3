import { beforeEach, describe, expect, test } from '@jest/globals';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import {
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
import type { RollBackServiceRequest, RollbackOutputs } from '../../../src/use-cases/roll-back/request';
import { fakeClock } from '../../support/fake-clock';

const ecsMock = mockClient(ECSClient);

const PREFIX = 'arn:aws:ecs:us-east-1:123456789012';
const td = (revision: number) => `${PREFIX}:task-definition/web:${revision}`;
const SD_RELEASE = `${PREFIX}:service-deployment/prod/web/sd-release`;
const SD_EARLIER = `${PREFIX}:service-deployment/prod/web/sd-earlier`;
const revisionOf = (revision: number) => `${PREFIX}:service-revision/prod/web/rev-${revision}`;

const request = (overrides: Partial<RollBackServiceRequest> = {}): RollBackServiceRequest => ({
  region: 'us-east-1',
  cluster: 'prod',
  service: 'web',
  reason: 'verify-health failed',
  wait: true,
  timeoutMs: 600_000,
  ...overrides,
});

const ours = (revision: number, overrides: Partial<Deployment> = {}): Deployment => ({
  id: `ecs-svc/${revision}`,
  status: 'PRIMARY',
  taskDefinition: td(revision),
  desiredCount: 2,
  runningCount: 0,
  pendingCount: 0,
  failedTasks: 0,
  rolloutState: 'IN_PROGRESS',
  createdAt: new Date('2026-01-01T00:00:00Z'),
  ...overrides,
});
const serviceWith = (...deployments: Deployment[]): Service => ({
  serviceArn: `${PREFIX}:service/prod/web`,
  serviceName: 'web',
  status: 'ACTIVE',
  desiredCount: 2,
  taskDefinition: deployments[0].taskDefinition,
  deployments,
  events: [],
});
const settledOn = (revision: number) => serviceWith(ours(revision, { runningCount: 2, rolloutState: 'COMPLETED' }));

/** The history: web:3 released (service deployment SD_RELEASE, in `releaseStatus`) over web:2, which completed in SD_EARLIER. */
function releaseOf3(releaseStatus: ServiceDeployment['status']) {
  const deployments: ServiceDeployment[] = [
    {
      serviceDeploymentArn: SD_RELEASE,
      status: releaseStatus,
      createdAt: new Date('2026-01-01T00:00:00Z'),
      targetServiceRevision: { arn: revisionOf(3) },
      sourceServiceRevisions: [{ arn: revisionOf(2) }],
    },
    {
      serviceDeploymentArn: SD_EARLIER,
      status: 'SUCCESSFUL',
      createdAt: new Date('2025-12-31T00:00:00Z'),
      finishedAt: new Date('2025-12-31T00:01:00Z'),
      targetServiceRevision: { arn: revisionOf(2) },
    },
  ];
  ecsMock.on(ListServiceDeploymentsCommand).resolves({
    serviceDeployments: deployments.map((sd) => ({
      serviceDeploymentArn: sd.serviceDeploymentArn,
      status: sd.status,
      createdAt: sd.createdAt,
      finishedAt: sd.finishedAt,
      targetServiceRevisionArn: sd.targetServiceRevision?.arn,
    })),
  });
  ecsMock.on(DescribeServiceDeploymentsCommand).callsFake((input: { serviceDeploymentArns: string[] }) => ({
    serviceDeployments: deployments.filter((sd) => input.serviceDeploymentArns.includes(sd.serviceDeploymentArn as string)),
  }));
  ecsMock.on(DescribeServiceRevisionsCommand).callsFake((input: { serviceRevisionArns: string[] }) => ({
    serviceRevisions: input.serviceRevisionArns.map((arn) => ({
      serviceRevisionArn: arn,
      taskDefinition: td(Number(arn.split('-').pop())),
    })),
  }));
}

let outputs: RollbackOutputs[];
let notices: string[];
let log: ReturnType<typeof silentLogger>;
let masked: string[];
let clock: ReturnType<typeof fakeClock>;

const clients = (): RollBackClients => ({
  ecs: new ECSClient({ region: 'us-east-1' }),
  logs: new CloudWatchLogsClient({ region: 'us-east-1' }),
});

function ports(): RollBackPorts {
  return {
    log,
    clock,
    setSecret: (value) => void masked.push(value),
    writeSummary: async () => undefined,
    notice: (message) => void notices.push(message),
    setOutputs: (next) => void outputs.push(next),
  };
}

const calls = (command: Parameters<typeof ecsMock.commandCalls>[0]) => ecsMock.commandCalls(command).length;

beforeEach(() => {
  masked = [];
  ecsMock.reset();
  outputs = [];
  notices = [];
  log = silentLogger();
  clock = fakeClock();
  ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
});

describe('rollBackService', () => {
  test("while the release's service deployment is in progress, StopServiceDeployment lets ECS roll it back, and that is watched to the end", async () => {
    releaseOf3('IN_PROGRESS');
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [serviceWith(ours(3), ours(2, { status: 'ACTIVE', runningCount: 2, rolloutState: 'COMPLETED' }))] })
      // ECS's rollback deployment of web:2, once the stop was accepted; then web:2 alone, settled.
      .resolvesOnce({ services: [serviceWith(ours(2, { id: 'ecs-svc/rollback' }), ours(3, { status: 'ACTIVE' }))] })
      .resolves({ services: [serviceWith(ours(2, { id: 'ecs-svc/rollback', runningCount: 2, rolloutState: 'COMPLETED' }))] });
    ecsMock.on(StopServiceDeploymentCommand).resolves({ serviceDeploymentArn: SD_RELEASE });

    const result = await rollBackService(request(), clients(), ports());

    expect(ecsMock.commandCalls(StopServiceDeploymentCommand).map((call) => call.args[0].input)).toEqual([
      { serviceDeploymentArn: SD_RELEASE, stopType: 'ROLLBACK' },
    ]);
    expect(calls(UpdateServiceCommand)).toBe(0);
    expect(result.verdict).toBe('rolled-back');
    expect(result.outputs).toMatchObject({ rolledBack: true, taskDefinitionArn: td(2) });
    expect(log.lines).toContain(
      'StopServiceDeployment (ROLLBACK) of service deployment sd-release, still in progress: deployment ecs-svc/rollback brings web:2 back.',
    );
  });

  test('once the release completed, UpdateService to the target starts an ordinary deployment, watched to the end', async () => {
    releaseOf3('SUCCESSFUL');
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [settledOn(3)] })
      .resolves({ services: [settledOn(2)] });
    ecsMock
      .on(UpdateServiceCommand)
      .resolves({ service: serviceWith(ours(2), ours(3, { status: 'ACTIVE', runningCount: 2, rolloutState: 'COMPLETED' })) });

    const result = await rollBackService(request(), clients(), ports());

    expect(calls(StopServiceDeploymentCommand)).toBe(0);
    expect(ecsMock.commandCalls(UpdateServiceCommand).map((call) => call.args[0].input)).toEqual([
      { cluster: 'prod', service: 'web', taskDefinition: td(2), forceNewDeployment: false },
    ]);
    expect(result.verdict).toBe('rolled-back');
    expect(notices).toEqual([`${result.headline} Reason: verify-health failed.`]);
  });

  test('already on the target with a deployment still rolling it out: nothing changes, and that deployment is watched until it settles', async () => {
    // ECS's circuit breaker rolled web:3 back to web:2 on its own; its rollback deployment is still rolling out.
    ecsMock.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [] });
    ecsMock
      .on(DescribeTaskDefinitionCommand)
      .resolves({ taskDefinition: { taskDefinitionArn: td(2), family: 'web', revision: 2, status: 'ACTIVE' } });
    const rollingBack = (running: number, state: Deployment['rolloutState']) =>
      serviceWith(
        ours(2, { id: 'ecs-svc/rollback', runningCount: running, rolloutState: state }),
        ours(3, { status: 'ACTIVE', rolloutState: 'FAILED' }),
      );
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [rollingBack(1, 'IN_PROGRESS')] })
      .resolvesOnce({ services: [rollingBack(1, 'IN_PROGRESS')] })
      .resolves({ services: [serviceWith(ours(2, { id: 'ecs-svc/rollback', runningCount: 2, rolloutState: 'COMPLETED' }))] });

    const result = await rollBackService(request({ taskDefinition: 'web:2' }), clients(), ports());

    expect(calls(UpdateServiceCommand)).toBe(0);
    expect(calls(StopServiceDeploymentCommand)).toBe(0);
    expect(log.lines).toContain(
      "web:2 is already the service's revision; deployment ecs-svc/rollback is still rolling it out: watching it.",
    );
    // Watched: a poll still in progress, an interval on the fake clock, then the poll that saw it settle.
    expect(calls(DescribeServicesCommand)).toBe(3);
    expect(clock.slept).toHaveLength(1);
    expect(result.verdict).toBe('already-there');
    expect(result.outputs).toEqual({ rolledBack: false, taskDefinitionArn: td(2), durationSeconds: Math.round(clock.slept[0] / 100) / 10 });
  });

  test('already on a settled target: nothing changes and nothing is watched', async () => {
    ecsMock.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [] });
    ecsMock
      .on(DescribeTaskDefinitionCommand)
      .resolves({ taskDefinition: { taskDefinitionArn: td(2), family: 'web', revision: 2, status: 'ACTIVE' } });
    ecsMock.on(DescribeServicesCommand).resolves({ services: [settledOn(2)] });

    const result = await rollBackService(request({ taskDefinition: 'web:2' }), clients(), ports());

    expect(calls(DescribeServicesCommand)).toBe(1);
    expect(calls(UpdateServiceCommand) + calls(StopServiceDeploymentCommand)).toBe(0);
    expect(result).toMatchObject({ verdict: 'already-there', headline: 'Nothing to roll back: web already runs web:2.' });
  });
});

describe('rollBackService when the workflow is cancelled', () => {
  test('mid-watch: the watch stops at once, and the failure, the summary and the rollback Deployment name the deployment ECS goes on with', async () => {
    releaseOf3('SUCCESSFUL');
    const controller = new AbortController();
    let polls = 0;
    ecsMock.on(DescribeServicesCommand).callsFake(() => {
      polls += 1;
      // The first answer is the pre-flight's; the runner's SIGINT arrives during the watch's second poll.
      if (polls === 3) controller.abort();
      return {
        services: [polls === 1 ? settledOn(3) : serviceWith(ours(2, { runningCount: 1 }), ours(3, { status: 'ACTIVE', runningCount: 2 }))],
      };
    });
    ecsMock
      .on(UpdateServiceCommand)
      .resolves({ service: serviceWith(ours(2), ours(3, { status: 'ACTIVE', runningCount: 2, rolloutState: 'COMPLETED' })) });
    const summaries: string[] = [];
    const statuses: [string, string][] = [];

    const failure = await rollBackService(request(), clients(), {
      ...ports(),
      writeSummary: async (markdown) => void summaries.push(markdown),
      trail: {
        start: async () => {},
        follow: async () => {},
        report: async (state, description) => void statuses.push([state, description]),
      },
      signal: controller.signal,
    }).catch((error: unknown) => error);

    expect((failure as Error).message).toContain(
      'The workflow was cancelled while ECS deployment ecs-svc/2, the rollback to web:2, was rolling out',
    );
    expect(polls).toBe(3);
    expect(calls(UpdateServiceCommand)).toBe(1);
    expect(calls(StopServiceDeploymentCommand)).toBe(0);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toContain('Roll back web: cancelled');
    expect(statuses.filter(([state]) => state === 'error')).toEqual([
      ['error', expect.stringContaining('Cancelled: the workflow was cancelled; ECS deployment ecs-svc/2')],
    ]);
    expect(notices).toEqual([]);
  });

  test('before the rollback started: no UpdateService or StopServiceDeployment, and the summary says the service was not changed', async () => {
    releaseOf3('IN_PROGRESS');
    ecsMock
      .on(DescribeServicesCommand)
      .resolves({ services: [serviceWith(ours(3), ours(2, { status: 'ACTIVE', runningCount: 2, rolloutState: 'COMPLETED' }))] });
    const controller = new AbortController();
    controller.abort();
    const summaries: string[] = [];

    const failure = await rollBackService(request(), clients(), {
      ...ports(),
      writeSummary: async (markdown) => void summaries.push(markdown),
      signal: controller.signal,
    }).catch((error: unknown) => error);

    expect((failure as Error).message).toContain('cancelled before the rollback started: service web was not changed');
    expect(calls(UpdateServiceCommand)).toBe(0);
    expect(calls(StopServiceDeploymentCommand)).toBe(0);
    expect(summaries[0]).toContain('cancelled');
  });
});

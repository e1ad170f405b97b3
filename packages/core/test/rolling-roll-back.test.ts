import { beforeEach, describe, expect, test } from '@jest/globals';
import {
  AccessDeniedException,
  ConflictException,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  ECSClient,
  ServerException,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type Service,
  type ServiceDeploymentStatus,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { silentLogger, type Clock, type Logger } from '@ecs-deploy/core/common';
import { type DeploymentHistory } from '@ecs-deploy/core/ecs';
import { fakeClock } from './support/fake-clock';
import { startRollback } from '../src/deployment/rolling/roll-back';

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: 'us-east-1' });

const td = (revision: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${revision}`;
const SD = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/sd-release';
const inputs = { region: 'us-east-1', cluster: 'prod', service: 'web', wait: false, timeoutMs: 600_000 };
const rollBackTo = (targetArn: string, history: DeploymentHistory, log: Logger, clock: Clock) =>
  startRollback({ ...inputs, targetArn, history }, { ecs, log, clock });

/** web:3 is being released (service deployment SD, in progress) over web:2, which completed. */
const releaseInProgress: DeploymentHistory = {
  source: 'service-deployments',
  current: { serviceDeploymentArn: SD, status: 'IN_PROGRESS', taskDefinitionArn: td(3), targetTaskDefinitionArn: td(3) },
  previous: { taskDefinitionArn: td(2), evidence: 'service deployment sd-1 ended SUCCESSFUL' },
  lastCompleted: { taskDefinitionArn: td(2), evidence: 'service deployment sd-1 ended SUCCESSFUL' },
};

const serviceOn = (primary: number, active?: number): Service => ({
  serviceName: 'web',
  status: 'ACTIVE',
  taskDefinition: td(primary),
  deployments: [
    { id: `ecs-svc/${primary}`, status: 'PRIMARY', taskDefinition: td(primary), rolloutState: 'IN_PROGRESS' },
    ...(active ? [{ id: `ecs-svc/${active}`, status: 'ACTIVE', taskDefinition: td(active), rolloutState: 'COMPLETED' as const }] : []),
  ],
});
/** What DescribeServices shows once ECS's rollback deployment of web:2 exists. */
const rollingBackTo2 = serviceOn(2, 3);

function serviceDeploymentIs(status: ServiceDeploymentStatus) {
  ecsMock.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [{ serviceDeploymentArn: SD, status }] });
}

let clock: ReturnType<typeof fakeClock>;
beforeEach(() => {
  ecsMock.reset();
  clock = fakeClock();
  ecsMock
    .on(UpdateServiceCommand)
    .callsFake((input: { taskDefinition: string }) => ({ service: serviceOn(Number(input.taskDefinition.split(':').pop()), 3) }));
});

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
const accessDenied = () =>
  new AccessDeniedException({
    message: 'User is not authorized to perform: ecs:StopServiceDeployment',
    $metadata: { httpStatusCode: 400 },
  });

describe('startRollback: StopServiceDeployment, and when to update the service instead', () => {
  test('a throttled stop is retried, each retry said in the log, and ECS rolls back', async () => {
    ecsMock.on(StopServiceDeploymentCommand).rejectsOnce(throttled()).resolves({ serviceDeploymentArn: SD });
    // The re-read before the retry shows no rollback yet; once the stop went through, ECS lists its rollback deployment.
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [serviceOn(3, 2)] })
      .resolves({ services: [rollingBackTo2] });
    const log = silentLogger();

    const started = await rollBackTo(td(2), releaseInProgress, log, clock);

    expect(started.mechanism).toBe('StopServiceDeployment');
    expect(started.deploymentId).toBe('ecs-svc/2');
    expect(ecsMock.commandCalls(StopServiceDeploymentCommand)).toHaveLength(2);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(log.lines).toContainEqual(
      expect.stringMatching(
        /^StopServiceDeployment \(ROLLBACK\) of service deployment sd-release failed \(ThrottlingException: Rate exceeded\); attempt 2 of 4 in \d+\.\ds\.$/,
      ),
    );
    // With jitter: between half and one and a half of the 2 s base.
    expect(clock.slept[0]).toBeGreaterThanOrEqual(1_000);
    expect(clock.slept[0]).toBeLessThanOrEqual(3_000);
  });

  test('AccessDenied, and ECS is not rolling back: UpdateService to the target, with a warning naming the permission', async () => {
    ecsMock.on(StopServiceDeploymentCommand).rejects(accessDenied());
    serviceDeploymentIs('IN_PROGRESS');
    ecsMock.on(DescribeServicesCommand).resolves({ services: [serviceOn(3, 2)] });
    const log = silentLogger();

    const started = await rollBackTo(td(2), releaseInProgress, log, clock);

    expect(started.mechanism).toBe('UpdateService');
    expect(ecsMock.commandCalls(StopServiceDeploymentCommand)).toHaveLength(1);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(1);
    expect(log.lines).toContainEqual(
      expect.stringMatching(
        /^warning: ECS did not stop service deployment sd-release \(AccessDeniedException: .*\): the role may not call ecs:StopServiceDeployment.* Grant ecs:StopServiceDeployment /,
      ),
    );
  });

  test('the stop answered a 5xx, yet the service deployment shows ROLLBACK_IN_PROGRESS: not sent again, wait on ECS, and no UpdateService', async () => {
    ecsMock
      .on(StopServiceDeploymentCommand)
      .rejects(new ServerException({ message: 'Service Unavailable', $metadata: { httpStatusCode: 500 } }));
    serviceDeploymentIs('ROLLBACK_IN_PROGRESS');
    // ECS lists its rollback deployment only after a while: the step waits for it (past the old 30 s bound).
    const before = serviceOn(3, 2);
    let reads = 0;
    ecsMock.on(DescribeServicesCommand).callsFake(() => ({ services: [++reads < 60 ? before : rollingBackTo2] }));
    const log = silentLogger();

    const started = await rollBackTo(td(2), releaseInProgress, log, clock);

    expect(started.mechanism).toBe('StopServiceDeployment');
    expect(started.deploymentId).toBe('ecs-svc/2');
    // The re-read before the retry saw that the failed attempt took effect: one stop, not four.
    expect(ecsMock.commandCalls(StopServiceDeploymentCommand)).toHaveLength(1);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(log.lines).toContainEqual(
      expect.stringContaining(
        'StopServiceDeployment (ROLLBACK) of service deployment sd-release had taken effect: service deployment sd-release is ROLLBACK_IN_PROGRESS',
      ),
    );
  });

  test('every stop answered a 5xx and ECS shows the rollback only afterwards: applied despite the error, and no UpdateService', async () => {
    const fault = new ServerException({ message: 'Service Unavailable', $metadata: { httpStatusCode: 500 } });
    ecsMock.on(StopServiceDeploymentCommand).rejects(fault);
    // Not rolling back at any re-read before a retry; rolling back when the step looks after the last attempt.
    ecsMock.on(DescribeServiceDeploymentsCommand).callsFake(() => ({
      serviceDeployments: [
        {
          serviceDeploymentArn: SD,
          status: ecsMock.commandCalls(StopServiceDeploymentCommand).length < 4 ? 'IN_PROGRESS' : 'ROLLBACK_IN_PROGRESS',
        },
      ],
    }));
    ecsMock.on(DescribeServicesCommand).callsFake(() => ({
      services: [ecsMock.commandCalls(DescribeServiceDeploymentsCommand).length < 4 ? serviceOn(3, 2) : rollingBackTo2],
    }));
    const log = silentLogger();

    const started = await rollBackTo(td(2), releaseInProgress, log, clock);

    expect(started.description).toContain('ECS answered ServerException, but the rollback was under way');
    expect(ecsMock.commandCalls(StopServiceDeploymentCommand)).toHaveLength(4);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  test('AccessDenied, but ECS (or a person) requested the rollback first: wait on it, and no UpdateService', async () => {
    ecsMock.on(StopServiceDeploymentCommand).rejects(accessDenied());
    serviceDeploymentIs('ROLLBACK_REQUESTED');
    ecsMock.on(DescribeServicesCommand).resolves({ services: [rollingBackTo2] });

    const started = await rollBackTo(td(2), releaseInProgress, silentLogger(), clock);

    expect(started.mechanism).toBe('StopServiceDeployment');
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  test('ECS would return to another revision than the target: UpdateService, no stop', async () => {
    // A forced redeploy of web:2 is in progress: the way back chosen is web:1, but ECS's own rollback would
    // return to web:2, the last revision that completed, and leave the service there.
    const forcedRedeploy: DeploymentHistory = {
      source: 'service-deployments',
      current: { serviceDeploymentArn: SD, status: 'IN_PROGRESS', taskDefinitionArn: td(2), targetTaskDefinitionArn: td(2) },
      previous: { taskDefinitionArn: td(1), evidence: 'service deployment sd-2 ended SUCCESSFUL' },
      lastCompleted: { taskDefinitionArn: td(2), evidence: 'service deployment sd-1 ended SUCCESSFUL' },
    };
    const log = silentLogger();
    const started = await rollBackTo(td(1), forcedRedeploy, log, clock);

    expect(started.mechanism).toBe('UpdateService');
    expect(ecsMock.commandCalls(StopServiceDeploymentCommand)).toHaveLength(0);
    expect(log.lines).toContainEqual(
      expect.stringContaining("ECS's own rollback would return to web:2, not to web:1: updating the service instead"),
    );
  });

  test('ConflictException (the release ended in between) still updates the service', async () => {
    ecsMock
      .on(StopServiceDeploymentCommand)
      .rejects(new ConflictException({ message: 'The service deployment is SUCCESSFUL and cannot be stopped.', $metadata: {} }));
    serviceDeploymentIs('SUCCESSFUL');
    ecsMock.on(DescribeServicesCommand).resolves({ services: [serviceOn(3)] });

    expect((await rollBackTo(td(2), releaseInProgress, silentLogger(), clock)).mechanism).toBe('UpdateService');
  });

  test('a throttle that outlasts the retries, with ECS not rolling back, fails the step without UpdateService', async () => {
    ecsMock.on(StopServiceDeploymentCommand).rejects(throttled());
    serviceDeploymentIs('IN_PROGRESS');
    ecsMock.on(DescribeServicesCommand).resolves({ services: [serviceOn(3, 2)] });

    await expect(rollBackTo(td(2), releaseInProgress, silentLogger(), clock)).rejects.toThrow('Rate exceeded');
    expect(ecsMock.commandCalls(StopServiceDeploymentCommand)).toHaveLength(4);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });
});

describe("startRollback: the rollback's UpdateService under faults", () => {
  /** web:3 was released and completed: there is nothing to stop, the way back is UpdateService to web:2. */
  const releaseFinished: DeploymentHistory = {
    source: 'service-deployments',
    current: { serviceDeploymentArn: SD, status: 'SUCCESSFUL', taskDefinitionArn: td(3), targetTaskDefinitionArn: td(3) },
    previous: { taskDefinitionArn: td(2), evidence: 'service deployment sd-1 ended SUCCESSFUL' },
    lastCompleted: { taskDefinitionArn: td(3), evidence: 'service deployment sd-release ended SUCCESSFUL' },
  };
  const lost = () => new ServerException({ message: 'We encountered an internal error.', $metadata: { httpStatusCode: 500 } });
  /** The service once UpdateService to web:2 took effect: its deployment, created now on ECS's clock. */
  const updatedTo2 = (): Service => {
    const service = serviceOn(2, 3);
    (service.deployments ?? [])[0].createdAt = new Date(clock.now());
    return service;
  };

  test('a 5xx after the update took effect: the re-read adopts the deployment it started, and UpdateService is not sent again', async () => {
    ecsMock.on(UpdateServiceCommand).rejects(lost());
    ecsMock.on(DescribeServicesCommand).callsFake(() => ({ services: [updatedTo2()] }));
    const log = silentLogger();

    const started = await rollBackTo(td(2), releaseFinished, log, clock);

    expect(started.mechanism).toBe('UpdateService');
    expect(started.deploymentId).toBe('ecs-svc/2');
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(1);
    expect(log.lines).toContainEqual(
      expect.stringMatching(/^UpdateService of web to web:2 failed \(ServerException: .*\); attempt 2 of 4 in/),
    );
    expect(log.lines).toContainEqual('UpdateService of web to web:2 had taken effect: deployment ecs-svc/2 was created since.');
  });

  test('a 5xx before the update took effect: the re-read finds nothing new, and UpdateService is tried again', async () => {
    ecsMock
      .on(UpdateServiceCommand)
      .rejectsOnce(lost())
      .callsFake(() => ({ service: updatedTo2() }));
    // web:2's only deployment is the one that completed long before: not the rollback's.
    ecsMock.on(DescribeServicesCommand).resolves({ services: [serviceOn(3)] });

    const started = await rollBackTo(td(2), releaseFinished, silentLogger(), clock);

    expect(started.deploymentId).toBe('ecs-svc/2');
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(2);
  });
});

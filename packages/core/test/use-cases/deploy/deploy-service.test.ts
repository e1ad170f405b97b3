import { beforeEach, describe, expect, test } from '@jest/globals';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type DeploymentStrategy,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { ActionFailure } from '../../../src/common/errors';
import { silentLogger } from '../../../src/common/logger';
import { deployService, type DeployClients, type DeployPorts } from '../../../src/use-cases/deploy/deploy-service';
import type { DeployOutputs } from '../../../src/use-cases/deploy/request';
import { deployment, service } from '../../fixtures/ecs';
import { fakeClock } from '../../support/fake-clock';
import { deployRequest, IMAGE, LIVE, LIVE_ID, NEXT, NEXT_ID, settledOnLive } from './deploy-fixtures';
import { described, TAGS } from '../../support/task-definitions';

const ecsMock = mockClient(ECSClient);
const logsMock = mockClient(CloudWatchLogsClient);

let outputs: DeployOutputs[];
let summaries: string[];
let log: ReturnType<typeof silentLogger>;
let masked: string[];
let clock: ReturnType<typeof fakeClock>;
const clients = (): DeployClients => ({
  ecs: new ECSClient({ region: 'us-east-1' }),
  logs: new CloudWatchLogsClient({ region: 'us-east-1' }),
});

function ports(): DeployPorts {
  return {
    log,
    clock,
    setSecret: (value) => void masked.push(value),
    writeSummary: async (markdown) => void summaries.push(markdown),
    setOutputs: (next) => void outputs.push(next),
  };
}

const calls = (command: Parameters<typeof ecsMock.commandCalls>[0]) => ecsMock.commandCalls(command).length;

beforeEach(() => {
  masked = [];
  ecsMock.reset();
  logsMock.reset();
  outputs = [];
  summaries = [];
  log = silentLogger();
  clock = fakeClock();
  ecsMock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: described(), tags: TAGS });
  ecsMock.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: NEXT } });
  ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
});

describe('deployService', () => {
  test("masks the credentials the live revision's containers carry, which this step's inputs never named", async () => {
    const live = described();
    live.containerDefinitions![0].environment!.push({ name: 'DATABASE_URL', value: 'postgres://web:live-pass-9@db/shop' });
    ecsMock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: live, tags: TAGS });
    ecsMock.on(DescribeServicesCommand).resolves({ services: [settledOnLive()] });

    await deployService(deployRequest({ image: IMAGE, wait: false }), clients(), ports()).catch(() => undefined);

    expect(masked).toContain('live-pass-9');
  });

  test('a new image is registered, UpdateService starts its deployment, and a settled rollout is a success', async () => {
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [settledOnLive()] })
      .resolvesOnce({
        services: [
          service([
            deployment({ id: NEXT_ID, taskDefinition: NEXT, runningCount: 1, pendingCount: 1 }),
            deployment({ id: LIVE_ID, status: 'ACTIVE', taskDefinition: LIVE, runningCount: 2, rolloutState: 'COMPLETED' }),
          ]),
        ],
      })
      .resolves({ services: [service([deployment({ id: NEXT_ID, taskDefinition: NEXT, runningCount: 2, rolloutState: 'COMPLETED' })])] });
    ecsMock.on(UpdateServiceCommand).resolves({
      service: service([
        deployment({ id: NEXT_ID, taskDefinition: NEXT }),
        deployment({ id: LIVE_ID, status: 'ACTIVE', taskDefinition: LIVE, runningCount: 2, rolloutState: 'COMPLETED' }),
      ]),
    });

    const result = await deployService(deployRequest({ image: IMAGE }), clients(), ports());

    // One poll in progress, one interval (with jitter) on the fake clock, then COMPLETED.
    expect(clock.slept).toHaveLength(1);
    const durationSeconds = Math.round(clock.slept[0] / 100) / 10;
    expect(result.outputs).toEqual({
      taskDefinitionArn: NEXT,
      previousTaskDefinitionArn: LIVE,
      deploymentId: NEXT_ID,
      status: 'succeeded',
      durationSeconds,
    });
    expect(ecsMock.commandCalls(UpdateServiceCommand)[0].args[0].input).toMatchObject({
      cluster: 'prod',
      service: 'web',
      taskDefinition: NEXT,
      forceNewDeployment: false,
    });
    // The revision is an output before the watch, so a failed run still has it.
    expect(outputs[0]).toEqual({ taskDefinitionArn: NEXT, previousTaskDefinitionArn: LIVE });
    expect(outputs.at(-1)).toEqual(result.outputs);
    expect(summaries).toHaveLength(1);
    expect(log.lines).toContain(`UpdateService started deployment ${NEXT_ID} of web:9.`);
    // A success reads no container logs.
    expect(logsMock.calls()).toHaveLength(0);
  });

  test('a service settled on the same definition is left alone: no revision registered, no UpdateService', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [settledOnLive()] });

    const result = await deployService(deployRequest(), clients(), ports());

    expect(result.outputs).toEqual({ taskDefinitionArn: LIVE, previousTaskDefinitionArn: LIVE, status: 'succeeded', durationSeconds: 0 });
    expect(calls(UpdateServiceCommand)).toBe(0);
    expect(calls(RegisterTaskDefinitionCommand)).toBe(0);
    expect(log.lines).toContain(`The service is settled on web:8 (deployment ${LIVE_ID} COMPLETED, 2/2 running): nothing to deploy.`);
  });

  test('a FAILED earlier deployment of the same revision fails the step before any change', async () => {
    const failed = deployment({
      id: LIVE_ID,
      taskDefinition: LIVE,
      rolloutState: 'FAILED',
      rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
    });
    const older = deployment({
      id: 'ecs-svc/7777777777777777777',
      status: 'ACTIVE',
      taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:7',
      runningCount: 2,
      rolloutState: 'COMPLETED',
    });
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service([failed, older])] });

    const run = deployService(deployRequest(), clients(), ports());

    await expect(run).rejects.toThrow(ActionFailure);
    await expect(run).rejects.toThrow(
      `Deployment ${LIVE_ID} of web:8 failed before this step: ECS deployment circuit breaker: tasks failed to start.`,
    );
    expect(calls(UpdateServiceCommand)).toBe(0);
    expect(calls(RegisterTaskDefinitionCommand)).toBe(0);
    expect(outputs.at(-1)).toMatchObject({ deploymentId: LIVE_ID, status: 'failed' });
  });

  test('a strategy this suite does not know is refused before anything is registered or updated', async () => {
    ecsMock
      .on(DescribeServicesCommand)
      .resolves({ services: [settledOnLive({ deploymentConfiguration: { strategy: 'SHADOW' as DeploymentStrategy } })] });

    await expect(deployService(deployRequest({ image: IMAGE }), clients(), ports())).rejects.toThrow(
      /uses the ECS deployment controller with the SHADOW deployment strategy/,
    );
    expect(calls(RegisterTaskDefinitionCommand)).toBe(0);
    expect(calls(UpdateServiceCommand)).toBe(0);
    expect(outputs).toEqual([]);
  });
});

import { beforeEach, describe, expect, test } from '@jest/globals';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { silentLogger } from '../../../src/common/logger';
import { Inputs, inputsFrom } from '../../../src/common/inputs';
import { keptByRunningTasksNotice, notUpdatable, readServiceSettings, settingChanges } from '../../../src/ecs/service-settings';
import { deployService, type DeployClients, type DeployPorts } from '../../../src/use-cases/deploy/deploy-service';
import type { DeployOutputs } from '../../../src/use-cases/deploy/request';
import { deployment, service } from '../../fixtures/ecs';
import { fakeClock } from '../../support/fake-clock';
import { deployRequest, IMAGE, LIVE, LIVE_ID, NEXT, NEXT_ID, settledOnLive } from './deploy-fixtures';
import { described, TAGS } from '../../support/task-definitions';

// The service settings deploy-ecs sets: what differs is sent, once, without a task definition when the revision is
// unchanged, with it when it is new; and should ECS start a deployment for them after all, the step watches it.

const ecsMock = mockClient(ECSClient);
let outputs: DeployOutputs[];
let summaries: string[];
let log: ReturnType<typeof silentLogger>;
let clock: ReturnType<typeof fakeClock>;
const clients = (): DeployClients => ({
  ecs: new ECSClient({ region: 'us-east-1' }),
  logs: new CloudWatchLogsClient({ region: 'us-east-1' }),
});
const ports = (): DeployPorts => ({
  log,
  clock,
  setSecret: () => undefined,
  writeSummary: async (markdown) => void summaries.push(markdown),
  setOutputs: (next) => void outputs.push(next),
});
const updates = () => ecsMock.commandCalls(UpdateServiceCommand).map((call) => call.args[0].input);

beforeEach(() => {
  ecsMock.reset();
  outputs = [];
  summaries = [];
  log = silentLogger();
  clock = fakeClock();
  ecsMock
    .on(DescribeTaskDefinitionCommand)
    .resolves({ taskDefinition: { ...described(), taskRoleArn: 'arn:aws:iam::123456789012:role/app' }, tags: TAGS });
  ecsMock.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: NEXT } });
  ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
});

describe('readServiceSettings', () => {
  const read = (values: Record<string, string>) => readServiceSettings(new Inputs(inputsFrom(values)));

  test('reads only the inputs given, the grace period as a duration in whole seconds', () => {
    expect(read({})).toEqual({});
    expect(read({ 'enable-execute-command': 'TRUE', 'propagate-tags': 'service', 'health-check-grace-period': '1h30m' })).toEqual({
      enableExecuteCommand: true,
      propagateTags: 'SERVICE',
      healthCheckGracePeriodSeconds: 5400,
    });
    expect(read({ 'enable-ecs-managed-tags': 'false', 'health-check-grace-period': '0' })).toEqual({
      enableECSManagedTags: false,
      healthCheckGracePeriodSeconds: 0,
    });
  });
});

describe('settingChanges', () => {
  test('what DescribeServices leaves out is the default, and an equal value is no change', () => {
    const live = settledOnLive({ healthCheckGracePeriodSeconds: 30 });
    expect(settingChanges(live, { propagateTags: 'NONE', enableExecuteCommand: false, healthCheckGracePeriodSeconds: 30 })).toEqual([]);
    expect(settingChanges(live, { enableECSManagedTags: true, healthCheckGracePeriodSeconds: 60 })).toEqual([
      { field: 'enableECSManagedTags', input: 'enable-ecs-managed-tags', from: false, to: true },
      { field: 'healthCheckGracePeriodSeconds', input: 'health-check-grace-period', from: 30, to: 60 },
    ]);
  });

  test('a CODE_DEPLOY service refuses enableExecuteCommand only; the ECS controller takes them all', () => {
    const all = {
      enableExecuteCommand: true,
      propagateTags: 'SERVICE',
      enableECSManagedTags: true,
      healthCheckGracePeriodSeconds: 9,
    } as const;
    const codeDeploy = settledOnLive({ deploymentController: { type: 'CODE_DEPLOY' } });
    expect(notUpdatable(codeDeploy, settingChanges(codeDeploy, all)).map((change) => change.field)).toEqual(['enableExecuteCommand']);
    expect(notUpdatable(settledOnLive(), settingChanges(settledOnLive(), all))).toEqual([]);
  });

  test('the notice names what running tasks keep, and the grace period is not among them', () => {
    const live = settledOnLive();
    expect(keptByRunningTasksNotice(settingChanges(live, { healthCheckGracePeriodSeconds: 10 }))).toBeUndefined();
    expect(keptByRunningTasksNotice(settingChanges(live, { enableExecuteCommand: true, healthCheckGracePeriodSeconds: 10 }))).toMatch(
      /^enableExecuteCommand applies to tasks started from now on: the running tasks keep the old setting/,
    );
  });
});

describe('deployService with service settings', () => {
  test('on a settled service: one UpdateService of the changed settings only, no task definition, no forced deployment', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [settledOnLive()] });
    ecsMock.on(UpdateServiceCommand).resolves({ service: settledOnLive({ enableExecuteCommand: true }) });

    const result = await deployService(
      deployRequest({ serviceSettings: { enableExecuteCommand: true, propagateTags: 'NONE' }, preflight: 'off' }),
      clients(),
      ports(),
    );

    expect(result.outputs).toMatchObject({ taskDefinitionArn: LIVE, status: 'succeeded' });
    expect(updates()).toEqual([{ cluster: 'prod', service: 'web', enableExecuteCommand: true }]);
    expect(log.lines).toContainEqual(expect.stringMatching(/^warning: enableExecuteCommand applies to tasks started from now on/));
    expect(summaries.at(-1)).toContain('- enableExecuteCommand: false → true');
  });

  test('with a new revision: the settings go in its UpdateService, and its summary lists them', async () => {
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [settledOnLive()] })
      .resolves({ services: [service([deployment({ id: NEXT_ID, taskDefinition: NEXT, runningCount: 2, rolloutState: 'COMPLETED' })])] });
    ecsMock.on(UpdateServiceCommand).resolves({
      service: service([
        deployment({ id: NEXT_ID, taskDefinition: NEXT }),
        deployment({ id: LIVE_ID, status: 'ACTIVE', taskDefinition: LIVE, runningCount: 2, rolloutState: 'COMPLETED' }),
      ]),
    });

    const result = await deployService(
      deployRequest({ image: IMAGE, serviceSettings: { healthCheckGracePeriodSeconds: 90 }, preflight: 'off' }),
      clients(),
      ports(),
    );

    expect(result.outputs.status).toBe('succeeded');
    expect(updates()).toEqual([
      expect.objectContaining({ taskDefinition: NEXT, healthCheckGracePeriodSeconds: 90, forceNewDeployment: false }),
    ]);
    expect(summaries.at(-1)).toContain('- healthCheckGracePeriodSeconds: 0 → 90');
  });

  test('should ECS start a deployment for the settings after all, the step watches it to its verdict', async () => {
    const SETTINGS_ID = 'ecs-svc/7777777777777777777';
    const started = service([
      deployment({ id: SETTINGS_ID, taskDefinition: LIVE }),
      deployment({ id: LIVE_ID, status: 'ACTIVE', taskDefinition: LIVE, runningCount: 2, rolloutState: 'COMPLETED' }),
    ]);
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [settledOnLive()] })
      .resolves({
        services: [service([deployment({ id: SETTINGS_ID, taskDefinition: LIVE, runningCount: 2, rolloutState: 'COMPLETED' })])],
      });
    ecsMock.on(UpdateServiceCommand).resolves({ service: started });

    const result = await deployService(
      deployRequest({ serviceSettings: { propagateTags: 'SERVICE' }, preflight: 'off' }),
      clients(),
      ports(),
    );

    expect(result.outputs).toMatchObject({ deploymentId: SETTINGS_ID, status: 'succeeded' });
    expect(log.lines).toContain(`warning: UpdateService of the service settings started deployment ${SETTINGS_ID}: watching it.`);
  });
});

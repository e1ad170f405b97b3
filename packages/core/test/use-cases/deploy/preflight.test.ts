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
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '../../../src/common/errors';
import { silentLogger } from '../../../src/common/logger';
import { deployService, type DeployClients, type DeployPorts } from '../../../src/use-cases/deploy/deploy-service';
import { deployment, service } from '../../fixtures/ecs';
import { fakeClock } from '../../support/fake-clock';
import { deployRequest, IMAGE, LIVE, LIVE_ID, NEXT, NEXT_ID, settledOnLive } from './deploy-fixtures';
import { described, TAGS } from '../../support/task-definitions';

// deploy-ecs's pre-flight checks, through the use case: one table in the log and the summary, and a failing check
// stops the step before anything is registered or updated, with the message its guard always had.

const ecsMock = mockClient(ECSClient);
const logsMock = mockClient(CloudWatchLogsClient);

const SUPPORTED_ROW = '  pass  Supported deployment controller  service "web" uses the ECS deployment controller';

let summaries: string[];
let log: ReturnType<typeof silentLogger>;
const clients = (): DeployClients => ({
  ecs: new ECSClient({ region: 'us-east-1' }),
  logs: new CloudWatchLogsClient({ region: 'us-east-1' }),
});
const ports = (): DeployPorts => ({
  log,
  clock: fakeClock(),
  setSecret: () => undefined,
  writeSummary: async (markdown) => void summaries.push(markdown),
  setOutputs: () => undefined,
});
const calls = (command: Parameters<typeof ecsMock.commandCalls>[0]) => ecsMock.commandCalls(command).length;
const failure = (run: Promise<unknown>) =>
  run.then(
    () => undefined,
    (error: unknown) => error as Error,
  );

beforeEach(() => {
  ecsMock.reset();
  logsMock.reset();
  summaries = [];
  log = silentLogger();
  ecsMock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: described(), tags: TAGS });
  ecsMock.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: NEXT } });
  ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
});

describe('deployService: pre-flight checks', () => {
  test('the table is in the log before any change, and the service it described is the one deployed: DescribeServices once', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [settledOnLive()] });

    await deployService(deployRequest(), clients(), ports());

    expect(log.lines[0]).toBe(`Pre-flight checks (1):\n${SUPPORTED_ROW}`);
    expect(calls(DescribeServicesCommand)).toBe(1);
  });

  test('a service its caller described already (several services, 10 a call) is judged as read: no DescribeServices of its own', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [settledOnLive()] });
    ecsMock.on(UpdateServiceCommand).resolves({ service: settledOnLive() });

    await deployService(deployRequest({ image: IMAGE, wait: false }), clients(), ports(), { described: settledOnLive() });

    expect(log.lines[0]).toBe(`Pre-flight checks (1):\n${SUPPORTED_ROW}`);
    expect(calls(DescribeServicesCommand)).toBe(0);
    expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)[0].args[0].input.family).toBe('web');
    expect(ecsMock.commandCalls(UpdateServiceCommand)[0].args[0].input.taskDefinition).toBe(NEXT);
  });

  test('a task-definition file is checked first, in the same table', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'preflight-')), 'task-definition.json');
    writeFileSync(path, JSON.stringify(described()));
    ecsMock.on(DescribeServicesCommand).resolves({ services: [settledOnLive()] });

    await deployService(deployRequest({ taskDefinitionFile: path }), clients(), ports());

    expect(log.lines[0]).toMatch(
      /^Pre-flight checks \(3\):\n {2}pass {2}Task definition file renders +".*" renders: family web, 1 container\n {2}pass {2}Task definition fields are known +every field of ".*" is one RegisterTaskDefinition takes\n {2}pass {2}Supported deployment controller /,
    );
  });

  test('a file with keys RegisterTaskDefinition does not take fails naming them, and asks nothing of AWS', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'preflight-')), 'task-definition.json');
    writeFileSync(path, JSON.stringify({ ...described(), Cpu: '256', enableExecuteCommand: true }));

    const error = await failure(deployService(deployRequest({ taskDefinitionFile: path }), clients(), ports()));

    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error?.message).toContain('Cpu: did you mean cpu?; enableExecuteCommand is a service setting');
    expect(ecsMock.calls()).toHaveLength(0);
  });

  test("with preflight 'warn' the same file is a warning and the revision is registered without those keys", async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'preflight-')), 'task-definition.json');
    writeFileSync(path, JSON.stringify({ ...described(), memory: '1024', Cpu: '256', enableExecuteCommand: true }));
    ecsMock.on(DescribeServicesCommand).resolves({ services: [settledOnLive()] });
    ecsMock.on(UpdateServiceCommand).resolves({ service: settledOnLive() });

    await deployService(deployRequest({ taskDefinitionFile: path, preflight: 'warn', wait: false }), clients(), ports());

    expect(log.lines).toContainEqual(expect.stringMatching(/^warning: Task definition fields are known: Input 'task-definition'/));
    const registered = ecsMock.commandCalls(RegisterTaskDefinitionCommand)[0].args[0].input as unknown as Record<string, unknown>;
    expect(registered.memory).toBe('1024');
    expect(registered).not.toHaveProperty('Cpu');
    expect(registered).not.toHaveProperty('enableExecuteCommand');
  });

  test("with preflight 'off' the fields check is not run, yet the file is still the one deployed", async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'preflight-')), 'task-definition.json');
    writeFileSync(path, JSON.stringify({ ...described(), memory: '2048', Cpu: '256' }));
    ecsMock.on(DescribeServicesCommand).resolves({ services: [settledOnLive()] });
    ecsMock.on(UpdateServiceCommand).resolves({ service: settledOnLive() });

    await deployService(deployRequest({ taskDefinitionFile: path, preflight: 'off', wait: false }), clients(), ports());

    expect(log.lines[0]).toMatch(/ {2}skip {2}Task definition fields are known +not run: pre-flight checks are off/);
    expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)[0].args[0].input.memory).toBe('2048');
  });

  test("a broken task-definition file fails with today's message and asks nothing of AWS; the table is the summary", async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'preflight-')), 'missing.json');

    const error = await failure(deployService(deployRequest({ taskDefinitionFile: path }), clients(), ports()));

    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error?.message).toBe(
      `Input 'task-definition' names the file "${path}", which does not exist. Give the path of a task definition JSON file relative to the workspace, or leave it empty to use the service's current revision.`,
    );
    expect(ecsMock.calls()).toHaveLength(0);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatch(/^### Pre-flight checks\n[\s\S]*❌ fail \| Task definition file renders/);
  });

  test("a service no mechanism handles fails with mechanismFor's message before anything is registered or updated", async () => {
    ecsMock
      .on(DescribeServicesCommand)
      .resolves({ services: [settledOnLive({ deploymentConfiguration: { strategy: 'SHADOW' as DeploymentStrategy } })] });

    const error = await failure(deployService(deployRequest({ image: IMAGE }), clients(), ports()));

    expect(error?.message).toBe(
      'Service "web" uses the ECS deployment controller with the SHADOW deployment strategy, which this action does not support yet: ' +
        'only the ROLLING, BLUE_GREEN, LINEAR, CANARY strategies are deployed and watched. Nothing was changed.',
    );
    expect(calls(RegisterTaskDefinitionCommand) + calls(UpdateServiceCommand) + calls(DescribeTaskDefinitionCommand)).toBe(0);
    expect(summaries).toEqual([expect.stringMatching(/^### Pre-flight checks\n[\s\S]*❌ fail \| Supported deployment controller/)]);
  });

  test("after a watched rollout, the table ends the rollout's summary", async () => {
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

    await deployService(deployRequest({ image: IMAGE }), clients(), ports());

    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatch(
      /^## ✅ Deploy web[\s\S]*\n\n### Pre-flight checks\n[\s\S]*✅ pass \| Supported deployment controller \|[^\n]*\|$/,
    );
  });

  test('compare-with compares the revision a task-definition file renders, and its report is in the log group and the summary', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'preflight-')), 'task-definition.json');
    writeFileSync(path, JSON.stringify({ ...described(), cpu: '1024' }));
    const STAGING = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web-staging:3';
    ecsMock.on(DescribeServicesCommand).resolves({ services: [settledOnLive()] });
    ecsMock.on(DescribeServicesCommand, { cluster: 'staging', services: ['web'] }).resolves({
      services: [
        service([deployment({ id: LIVE_ID, taskDefinition: STAGING, rolloutState: 'COMPLETED' })], {
          clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/staging',
        }),
      ],
    });
    ecsMock
      .on(DescribeTaskDefinitionCommand, { taskDefinition: STAGING })
      .resolves({ taskDefinition: { ...described(), family: 'web-staging' } });
    ecsMock.on(UpdateServiceCommand).resolves({ service: service([deployment({ id: NEXT_ID, taskDefinition: NEXT })]) });
    const compareWith = { cluster: 'staging', service: 'web', label: 'staging/web' };

    await deployService(deployRequest({ taskDefinitionFile: path, compareWith, wait: false }), clients(), ports());

    expect(log.lines[0]).toMatch(/\n {2}pass {2}Compared with staging\/web +1 difference from web-staging:3, which staging\/web runs/);
    expect(log.lines.slice(1, 4)).toEqual([
      '[Compared with staging/web: 1 difference]',
      expect.stringMatching(/^The revision this step registers for prod\/web, against web-staging:3/),
      '  cpu differs',
    ]);
    expect(summaries).toEqual([expect.stringMatching(/^### Compared with staging\/web\n[\s\S]*\n```\ncpu differs\n```$/)]);
  });
});

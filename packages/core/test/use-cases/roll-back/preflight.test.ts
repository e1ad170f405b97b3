import { beforeEach, describe, expect, test } from '@jest/globals';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { ConfigurationError } from '../../../src/common/errors';
import { silentLogger } from '../../../src/common/logger';
import { rollBackService, type RollBackClients, type RollBackPorts } from '../../../src/use-cases/roll-back/roll-back-service';
import type { RollBackServiceRequest } from '../../../src/use-cases/roll-back/request';
import { fakeClock } from '../../support/fake-clock';

// auto-rollback's pre-flight checks, through the use case: one table in the log and the summary, and a failing
// check stops the step before the history is read or anything changes, with the message its guard always had.

const ecsMock = mockClient(ECSClient);

const td = (revision: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${revision}`;
const request = (overrides: Partial<RollBackServiceRequest> = {}): RollBackServiceRequest => ({
  region: 'us-east-1',
  cluster: 'prod',
  service: 'web',
  reason: 'verify-health failed',
  wait: true,
  timeoutMs: 600_000,
  ...overrides,
});
const settledOn = (revision: number, overrides: Partial<Service> = {}): Service => ({
  serviceName: 'web',
  status: 'ACTIVE',
  desiredCount: 2,
  taskDefinition: td(revision),
  deployments: [
    {
      id: `ecs-svc/${revision}`,
      status: 'PRIMARY',
      taskDefinition: td(revision),
      desiredCount: 2,
      runningCount: 2,
      rolloutState: 'COMPLETED',
    },
  ],
  events: [],
  ...overrides,
});
const revision = (status: 'ACTIVE' | 'INACTIVE') =>
  ecsMock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: td(2), family: 'web', revision: 2, status } });

let summaries: string[];
let log: ReturnType<typeof silentLogger>;
const clients = (): RollBackClients => ({
  ecs: new ECSClient({ region: 'us-east-1' }),
  logs: new CloudWatchLogsClient({ region: 'us-east-1' }),
});
const ports = (): RollBackPorts => ({
  log,
  clock: fakeClock(),
  setSecret: () => undefined,
  writeSummary: async (markdown) => void summaries.push(markdown),
  notice: () => undefined,
  setOutputs: () => undefined,
});
const calls = (command: Parameters<typeof ecsMock.commandCalls>[0]) => ecsMock.commandCalls(command).length;
const failure = (run: Promise<unknown>) =>
  run.then(
    () => undefined,
    (error: unknown) => error as Error,
  );
/** Nothing changed and the deployment history was not read: the step stopped at its checks. */
const stoppedAtChecks = () => calls(UpdateServiceCommand) + calls(StopServiceDeploymentCommand) + calls(ListServiceDeploymentsCommand);

beforeEach(() => {
  ecsMock.reset();
  summaries = [];
  log = silentLogger();
  ecsMock.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [] });
  ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
});

describe('rollBackService: pre-flight checks', () => {
  test('the service and the requested revision are one table in the log, which ends the summary; the service is described once', async () => {
    revision('ACTIVE');
    ecsMock.on(DescribeServicesCommand).resolves({ services: [settledOn(2)] });

    await rollBackService(request({ taskDefinition: 'web:2' }), clients(), ports());

    expect(log.lines[0]).toBe(
      'Pre-flight checks (2):\n' +
        '  pass  Supported deployment controller  service "web" uses the ECS deployment controller\n' +
        '  pass  Revision exists and is ACTIVE    web:2 is ACTIVE',
    );
    expect(calls(DescribeServicesCommand)).toBe(1);
    expect(summaries).toEqual([
      expect.stringMatching(
        /^## ℹ️ Auto-rollback web[\s\S]*\n\n### Pre-flight checks\n[\s\S]*✅ pass \| Revision exists and is ACTIVE \|[^\n]*\|$/,
      ),
    ]);
  });

  test("an INACTIVE requested revision fails with today's message before anything changes", async () => {
    revision('INACTIVE');
    ecsMock.on(DescribeServicesCommand).resolves({ services: [settledOn(3)] });

    const error = await failure(rollBackService(request({ taskDefinition: 'web:2' }), clients(), ports()));

    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error?.message).toBe(
      "Input 'task-definition': web:2 is INACTIVE, and ECS does not update a service to a revision that is not ACTIVE. Register it again (it gets a new revision number) and roll back to that. Nothing was changed.",
    );
    expect(stoppedAtChecks()).toBe(0);
    expect(summaries).toEqual([
      expect.stringMatching(/^### Pre-flight checks\n[\s\S]*❌ fail \| Revision exists and is ACTIVE \| `task-definition`/),
    ]);
  });

  test("a requested revision that does not exist fails with today's message before anything changes", async () => {
    ecsMock
      .on(DescribeTaskDefinitionCommand)
      .rejects(Object.assign(new Error('Unable to describe task definition.'), { name: 'ClientException' }));
    ecsMock.on(DescribeServicesCommand).resolves({ services: [settledOn(3)] });

    const error = await failure(rollBackService(request({ taskDefinition: 'web:9' }), clients(), ports()));

    expect(error?.message).toBe(
      "Input 'task-definition': there is no task definition \"web:9\" in us-east-1 (Unable to describe task definition.). Give a registered revision, normally deploy-ecs's previous-task-definition-arn output. Nothing was changed.",
    );
    expect(stoppedAtChecks()).toBe(0);
  });

  test("a service no mechanism handles fails with mechanismFor's message, before the revision is looked up, as before", async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [settledOn(3, { deploymentController: { type: 'EXTERNAL' } })] });

    const error = await failure(rollBackService(request({ taskDefinition: 'web:2' }), clients(), ports()));

    expect(error?.message).toBe(
      'Service "web" uses the EXTERNAL deployment controller, which this action does not support yet: only deployments of the ECS controller (rolling, blue/green, linear and canary) and of CODE_DEPLOY (CodeDeploy blue/green) are deployed and watched. Nothing was changed.',
    );
    expect(calls(DescribeTaskDefinitionCommand)).toBe(0);
    expect(stoppedAtChecks()).toBe(0);
  });
});

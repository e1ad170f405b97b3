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
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Service,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { silentLogger } from '../../../src/common/logger';
import { deployService, type DeployClients, type DeployPorts } from '../../../src/use-cases/deploy/deploy-service';
import type { DeployOutputs } from '../../../src/use-cases/deploy/request';
import { deployment, service } from '../../fixtures/ecs';
import { fakeClock } from '../../support/fake-clock';
import { described, TAGS } from '../../support/task-definitions';
import { deployRequest, IMAGE, LIVE, LIVE_ID, NEXT, NEXT_ID } from './deploy-fixtures';

const ecsMock = mockClient(ECSClient);
const SD = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/sd-next';
const OTHER_SD = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/sd-other';
const NEXT_REVISION = 'arn:aws:ecs:us-east-1:123456789012:service-revision/prod/web/next';
const OTHER_REVISION = 'arn:aws:ecs:us-east-1:123456789012:service-revision/prod/web/other';

const LIVE_SD = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/sd-live';
const LIVE_REVISION = 'arn:aws:ecs:us-east-1:123456789012:service-revision/prod/web/live';

const config = { strategy: 'BLUE_GREEN' as const, bakeTimeInMinutes: 20 };
const settled = (): Service =>
  service([deployment({ id: LIVE_ID, taskDefinition: LIVE, runningCount: 2, rolloutState: 'COMPLETED' })], {
    deploymentConfiguration: config,
    currentServiceDeployment: LIVE_SD,
  });
const bothRunning = (): Service =>
  service(
    [
      deployment({ id: NEXT_ID, taskDefinition: NEXT, runningCount: 2 }),
      deployment({ id: LIVE_ID, status: 'ACTIVE', taskDefinition: LIVE, runningCount: 2, rolloutState: 'COMPLETED' }),
    ],
    { deploymentConfiguration: config },
  );
const at = (lifecycleStage: string, production: number, overrides: Partial<ServiceDeployment> = {}): ServiceDeployment => ({
  serviceDeploymentArn: SD,
  status: 'IN_PROGRESS',
  lifecycleStage: lifecycleStage as ServiceDeployment['lifecycleStage'],
  targetServiceRevision: { arn: NEXT_REVISION, requestedProductionTrafficWeight: production, requestedTestTrafficWeight: 100 },
  ...overrides,
});

let outputs: DeployOutputs[];
let summaries: string[];
let clock: ReturnType<typeof fakeClock>;
const clients = (): DeployClients => ({
  ecs: new ECSClient({ region: 'us-east-1' }),
  logs: new CloudWatchLogsClient({ region: 'us-east-1' }),
});
const ports = (): DeployPorts => ({
  log: silentLogger(),
  clock,
  setSecret: () => undefined,
  writeSummary: async (markdown) => void summaries.push(markdown),
  setOutputs: (next) => void outputs.push(next),
});

/** The live revision's finished service deployment, which the pre-flight check reads. */
const live = (): ServiceDeployment => ({
  serviceDeploymentArn: LIVE_SD,
  status: 'SUCCESSFUL',
  targetServiceRevision: { arn: LIVE_REVISION },
});

/** Ours answers `stages` in turn (the last repeated); any other is the live one. */
function deploymentGoes(...stages: ServiceDeployment[]) {
  let poll = 0;
  ecsMock.on(DescribeServiceDeploymentsCommand).callsFake((input: { serviceDeploymentArns: string[] }) => ({
    serviceDeployments: [input.serviceDeploymentArns[0] === SD ? stages[Math.min(poll++, stages.length - 1)] : live()],
  }));
}

beforeEach(() => {
  ecsMock.reset();
  outputs = [];
  summaries = [];
  clock = fakeClock();
  ecsMock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: described(), tags: TAGS });
  ecsMock.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: NEXT } });
  ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
  ecsMock.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [live()] });
  ecsMock
    .on(DescribeServicesCommand)
    .resolvesOnce({ services: [settled()] })
    .resolves({ services: [bothRunning()] });
  ecsMock.on(UpdateServiceCommand).resolves({ service: bothRunning() });
  // Another deploy's service deployment (of another revision) was created a moment after ours: ours is still found.
  ecsMock.on(ListServiceDeploymentsCommand).callsFake(() => ({
    serviceDeployments: [
      { serviceDeploymentArn: OTHER_SD, createdAt: new Date(clock.now() + 2_000), targetServiceRevisionArn: OTHER_REVISION },
      { serviceDeploymentArn: SD, createdAt: new Date(clock.now()), targetServiceRevisionArn: NEXT_REVISION },
    ],
  }));
  ecsMock.on(DescribeServiceRevisionsCommand).callsFake((input: { serviceRevisionArns: string[] }) => ({
    serviceRevisions: input.serviceRevisionArns.map((arn) => ({
      serviceRevisionArn: arn,
      taskDefinition: arn === NEXT_REVISION ? NEXT : LIVE,
    })),
  }));
});

describe('deployService on a BLUE_GREEN service', () => {
  test('follows its own service deployment through the stages to SUCCESSFUL', async () => {
    deploymentGoes(
      at('SCALE_UP', 0),
      at('PRODUCTION_TRAFFIC_SHIFT', 100),
      at('BAKE_TIME', 100),
      at('CLEAN_UP', 100, { status: 'SUCCESSFUL' }),
    );

    const result = await deployService(deployRequest({ image: IMAGE }), clients(), ports());

    expect(result.outputs).toMatchObject({
      status: 'succeeded',
      deploymentId: NEXT_ID,
      serviceDeploymentArn: SD,
      lifecycleStage: 'CLEAN_UP',
    });
    // The pre-flight check reads the live one once, before any change; then only ours is followed, never the other.
    const read = ecsMock.commandCalls(DescribeServiceDeploymentsCommand).map((call) => call.args[0].input.serviceDeploymentArns?.[0]);
    expect(read[0]).toBe(LIVE_SD);
    expect(read.slice(1).every((arn) => arn === SD)).toBe(true);
    expect(summaries.at(-1)).toMatch(/Stage BAKE_TIME \(IN_PROGRESS\): production 100%, test 100% on the new revision/);
  });

  test('wait-until bake ends green with status baking at BAKE_TIME', async () => {
    deploymentGoes(at('PRODUCTION_TRAFFIC_SHIFT', 100), at('BAKE_TIME', 100));

    const result = await deployService(deployRequest({ image: IMAGE, waitUntil: 'bake' }), clients(), ports());

    expect(result.outputs).toMatchObject({ status: 'baking', lifecycleStage: 'BAKE_TIME', serviceDeploymentArn: SD });
    expect(outputs.at(-1)?.status).toBe('baking');
  });

  test('wait-until paused ends green with status paused and the hook id', async () => {
    const withPause = {
      ...config,
      lifecycleHooks: [{ targetType: 'PAUSE' as const, lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT' as const] }],
    };
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [{ ...settled(), deploymentConfiguration: withPause }] })
      .resolves({ services: [{ ...bothRunning(), deploymentConfiguration: withPause }] });
    deploymentGoes(
      at('TEST_TRAFFIC_SHIFT', 0),
      at('POST_TEST_TRAFFIC_SHIFT', 0, {
        lifecycleHookDetails: [{ hookId: 'ecs-pause-7', targetType: 'PAUSE', status: 'AWAITING_ACTION' }],
      }),
    );

    const result = await deployService(deployRequest({ image: IMAGE, waitUntil: 'paused' }), clients(), ports());

    expect(result.outputs).toMatchObject({ status: 'paused', hookId: 'ecs-pause-7', lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT' });
  });

  test('an explicit timeout shorter than the bake is refused before anything is registered or updated', async () => {
    const run = deployService(deployRequest({ image: IMAGE, timeoutMs: 5 * 60_000, timeoutGiven: true }), clients(), ports());

    await expect(run).rejects.toThrow(/^Input 'timeout' \(5m\) is shorter than service "web"'s bake time \(20m\)/);
    expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  test('the default timeout covers the bake: a deployment still baking at 30m is not timed out', async () => {
    // 10 minutes of timeout input (the default in these tests) plus 20 of bake: at 25 minutes it is still watched.
    let polls = 0;
    ecsMock.on(DescribeServiceDeploymentsCommand).callsFake(() => {
      polls++;
      return {
        serviceDeployments: [
          clock.now() < Date.UTC(2026, 0, 1) + 25 * 60_000 ? at('BAKE_TIME', 100) : at('CLEAN_UP', 100, { status: 'SUCCESSFUL' }),
        ],
      };
    });

    const result = await deployService(deployRequest({ image: IMAGE }), clients(), ports());

    expect(result.outputs.status).toBe('succeeded');
    expect(polls).toBeGreaterThan(1);
  });

  test('a hook that failed is a rolled-back deploy naming it', async () => {
    deploymentGoes(
      at('POST_TEST_TRAFFIC_SHIFT', 0),
      at('POST_TEST_TRAFFIC_SHIFT', 0, {
        status: 'ROLLBACK_IN_PROGRESS',
        statusReason: 'deployment failed: hook execution failure(s) detected',
        lifecycleHookDetails: [
          {
            hookId: 'ecs-hook-1',
            targetType: 'AWS_LAMBDA',
            targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:gate',
            status: 'FAILED',
          },
        ],
      }),
    );

    const run = deployService(deployRequest({ image: IMAGE }), clients(), ports());

    await expect(run).rejects.toThrow(
      /failed: Lambda hook ecs-hook-1 \(arn:aws:lambda:us-east-1:123456789012:function:gate\) FAILED \(deployment failed: hook execution failure\(s\) detected\)/,
    );
    expect(outputs.at(-1)).toMatchObject({ status: 'rolled-back', serviceDeploymentArn: SD });
  });

  test('service-deployment-arn follows that deployment: nothing is registered or updated', async () => {
    ecsMock.reset();
    ecsMock.on(DescribeServicesCommand).resolves({ services: [bothRunning()] });
    ecsMock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: described(), tags: TAGS });
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
    ecsMock.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [] });
    ecsMock
      .on(DescribeServiceRevisionsCommand)
      .resolves({ serviceRevisions: [{ serviceRevisionArn: NEXT_REVISION, taskDefinition: NEXT }] });
    deploymentGoes(at('PRODUCTION_TRAFFIC_SHIFT', 100), at('CLEAN_UP', 100, { status: 'SUCCESSFUL' }));

    const result = await deployService(deployRequest({ serviceDeploymentArn: SD }), clients(), ports());

    expect(result.outputs).toMatchObject({ status: 'succeeded', taskDefinitionArn: NEXT, deploymentId: NEXT_ID, serviceDeploymentArn: SD });
    expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });
});

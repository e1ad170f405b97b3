import { beforeEach, describe, expect, test } from '@jest/globals';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  ECSClient,
  type Service,
  type ServiceDeployment,
  type ServiceRevision,
} from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { ActionFailure } from '../src/common/errors';
import { serviceSignals } from '../src/health/service-signals';

const ecsMock = mockClient(ECSClient);
const elbMock = mockClient(ElasticLoadBalancingV2Client);
const TG_BLUE = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-blue/0123456789abcdef';
const TG_GREEN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-green/fedcba9876543210';
const SD = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/sd-2';
const GREEN_REVISION = 'arn:aws:ecs:us-east-1:123456789012:service-revision/prod/web/222';
const TD_NEW = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:5';

// Mid blue/green: DescribeServices lists both revisions' deployments until clean-up.
const blueGreen: Service = {
  serviceName: 'web',
  status: 'ACTIVE',
  desiredCount: 2,
  runningCount: 4,
  deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 },
  currentServiceDeployment: SD,
  deployments: [
    { id: 'ecs-svc/2', status: 'PRIMARY', rolloutState: 'IN_PROGRESS', taskDefinition: TD_NEW },
    { id: 'ecs-svc/1', status: 'ACTIVE', rolloutState: 'COMPLETED' },
  ],
  loadBalancers: [
    { targetGroupArn: TG_BLUE, containerName: 'web', containerPort: 8080, advancedConfiguration: { alternateTargetGroupArn: TG_GREEN } },
  ],
};
const at = (lifecycleStage: string, overrides: Partial<ServiceDeployment> = {}): ServiceDeployment => ({
  serviceDeploymentArn: SD,
  status: 'IN_PROGRESS',
  lifecycleStage: lifecycleStage as ServiceDeployment['lifecycleStage'],
  targetServiceRevision: { arn: GREEN_REVISION, requestedTaskCount: 2, runningTaskCount: 2, pendingTaskCount: 0 },
  ...overrides,
});
const greenRevision: ServiceRevision = {
  serviceRevisionArn: GREEN_REVISION,
  taskDefinition: TD_NEW,
  resolvedConfiguration: { loadBalancers: [{ targetGroupArn: TG_GREEN }] },
};

function given(service: Service, deployment: ServiceDeployment, revision: ServiceRevision = greenRevision) {
  ecsMock.on(DescribeServicesCommand).resolves({ services: [service] });
  ecsMock.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [deployment] });
  ecsMock.on(DescribeServiceRevisionsCommand).resolves({ serviceRevisions: [revision] });
  for (const arn of [TG_BLUE, TG_GREEN])
    elbMock.on(DescribeTargetHealthCommand, { TargetGroupArn: arn }).resolves({
      TargetHealthDescriptions: [
        { Target: { Id: '10.0.0.1', Port: 8080 }, TargetHealth: { State: 'healthy' } },
        { Target: { Id: '10.0.0.2', Port: 8080 }, TargetHealth: { State: 'healthy' } },
      ],
    });
}

const reader = (taskDefinition?: string) =>
  serviceSignals({
    cluster: 'prod',
    service: 'web',
    region: 'us-east-1',
    ecs: new ECSClient({ region: 'us-east-1' }),
    elb: new ElasticLoadBalancingV2Client({ region: 'us-east-1' }),
    taskDefinition,
  });
const readTargetGroups = () => elbMock.commandCalls(DescribeTargetHealthCommand).map((c) => c.args[0].input.TargetGroupArn);

beforeEach(() => {
  ecsMock.reset();
  elbMock.reset();
});

describe('a blue/green service is steady on its target revision, not on one deployment', () => {
  test('at POST_TEST_TRAFFIC_SHIFT, with two deployments listed: steady, judged on the target group of the new revision', async () => {
    given(blueGreen, at('POST_TEST_TRAFFIC_SHIFT'));

    const readings = await reader('web:5')();

    expect(readings).toEqual([
      {
        source: 'service web',
        passed: true,
        detail: 'steady on web:5: 2 of 2 tasks of web:5 running (BLUE_GREEN deployment IN_PROGRESS at POST_TEST_TRAFFIC_SHIFT)',
      },
      { source: 'target group web-green', passed: true, detail: '2 of 2 targets healthy' },
    ]);
    expect(readTargetGroups()).toEqual([TG_GREEN]);
  });

  test('a target revision not all running is not steady, whatever the stage', async () => {
    given(
      blueGreen,
      at('SCALE_UP', { targetServiceRevision: { arn: GREEN_REVISION, requestedTaskCount: 2, runningTaskCount: 1, pendingTaskCount: 1 } }),
    );

    const [service] = await reader()();

    expect(service).toEqual({
      source: 'service web',
      passed: false,
      detail: '1 of 2 tasks of web:5 running, 1 pending (BLUE_GREEN deployment IN_PROGRESS at SCALE_UP)',
    });
  });

  test.each([
    ['a deployment that has requested no task yet is not steady', 2, false],
    ['a service scaled to zero is steady on zero tasks', 0, true],
  ])('%s', async (_, desiredCount, passed) => {
    given(
      { ...blueGreen, desiredCount },
      at('PRE_SCALE_UP', {
        targetServiceRevision: { arn: GREEN_REVISION, requestedTaskCount: 0, runningTaskCount: 0, pendingTaskCount: 0 },
      }),
    );

    const [service] = await reader()();

    expect(service.passed).toBe(passed);
  });

  test("the live counts of DescribeServices win over the deployment's own", async () => {
    given(
      { ...blueGreen, currentServiceRevisions: [{ arn: GREEN_REVISION, requestedTaskCount: 2, runningTaskCount: 1, pendingTaskCount: 0 }] },
      at('POST_TEST_TRAFFIC_SHIFT'),
    );

    const [service] = await reader()();

    expect(service).toMatchObject({ passed: false, detail: expect.stringMatching(/^1 of 2 tasks of web:5 running/) });
  });

  test('a deployment ECS is rolling back is not steady, with the reason', async () => {
    given(
      blueGreen,
      at('POST_TEST_TRAFFIC_SHIFT', { status: 'ROLLBACK_IN_PROGRESS', rollback: { reason: 'PAUSE hook answered ROLLBACK' } }),
    );

    const [service] = await reader()();

    expect(service).toMatchObject({
      passed: false,
      detail: 'BLUE_GREEN deployment ROLLBACK_IN_PROGRESS: web:5 is being rolled back or stopped (PAUSE hook answered ROLLBACK)',
    });
  });

  test('a deployment of another revision than task-definition fails, naming both', async () => {
    given(blueGreen, at('BAKE_TIME'), { ...greenRevision, taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:4' });

    const [service] = await reader('web:5')();

    expect(service).toMatchObject({ passed: false, detail: expect.stringContaining('targets web:4, not web:5') });
  });

  test.each([
    ['before the production shift, the alternate target group', 'POST_TEST_TRAFFIC_SHIFT', TG_GREEN],
    ['after it, the production one', 'BAKE_TIME', TG_BLUE],
  ])('a revision whose resolved configuration says nothing: %s', async (_, stage, group) => {
    given(blueGreen, at(stage), { ...greenRevision, resolvedConfiguration: undefined });

    await reader()();

    expect(readTargetGroups()).toEqual([group]);
  });

  test('the revision is read once, the deployment every round', async () => {
    given(blueGreen, at('POST_TEST_TRAFFIC_SHIFT'));
    const read = reader();

    await read();
    await read();

    expect(ecsMock.commandCalls(DescribeServiceRevisionsCommand)).toHaveLength(1);
    expect(ecsMock.commandCalls(DescribeServiceDeploymentsCommand)).toHaveLength(2);
  });

  test('a role without ecs:DescribeServiceRevisions fails the step naming it', async () => {
    given(blueGreen, at('POST_TEST_TRAFFIC_SHIFT'));
    ecsMock
      .on(DescribeServiceRevisionsCommand)
      .rejects(Object.assign(new Error('not authorized to perform ecs:DescribeServiceRevisions'), { name: 'AccessDeniedException' }));

    const error = await reader()().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ActionFailure);
    expect((error as Error).message).toMatch(/Grant the role ecs:DescribeServiceRevisions\.$/);
  });
});

describe('a rolling service is judged as before', () => {
  test('one deployment, every target group, no service deployment read', async () => {
    const rolling: Service = {
      ...blueGreen,
      runningCount: 2,
      deploymentConfiguration: { strategy: 'ROLLING' },
      deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', rolloutState: 'COMPLETED' }],
      loadBalancers: [{ targetGroupArn: TG_BLUE, containerName: 'web', containerPort: 8080 }],
    };
    given(rolling, at('CLEAN_UP'));

    const readings = await reader()();

    expect(readings.map((r) => [r.source, r.passed])).toEqual([
      ['service web', true],
      ['target group web-blue', true],
    ]);
    expect(ecsMock.commandCalls(DescribeServiceDeploymentsCommand)).toHaveLength(0);
  });
});

describe('a finished blue/green deployment', () => {
  const BLUE_REVISION = 'arn:aws:ecs:us-east-1:123456789012:service-revision/prod/web/111';
  const TD_OLD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:4';
  const settled = (taskDefinition: string): Service => ({
    ...blueGreen,
    runningCount: 2,
    deployments: [{ id: 'ecs-svc/2', status: 'PRIMARY', rolloutState: 'COMPLETED', taskDefinition }],
  });

  test('after clean-up: steady as ECS now lists one deployment, live counts, on the target revision group', async () => {
    given({ ...settled(TD_NEW), runningCount: 1 }, at('CLEAN_UP', { status: 'SUCCESSFUL' }));

    const readings = await reader('web:5')();

    // The deployment's own counts (2 of 2) are its last word; DescribeServices says one task is gone since.
    expect(readings[0]).toMatchObject({ passed: false, detail: '1 of 2 desired tasks running' });
    expect(readTargetGroups()).toEqual([TG_GREEN]);
  });

  test('rolled back: judged on the revision ECS returned to, which is not task-definition', async () => {
    given(
      settled(TD_OLD),
      at('POST_TEST_TRAFFIC_SHIFT', { status: 'ROLLBACK_SUCCESSFUL', rollback: { reason: 'hook', serviceRevisionArn: BLUE_REVISION } }),
      {
        serviceRevisionArn: BLUE_REVISION,
        taskDefinition: TD_OLD,
        resolvedConfiguration: { loadBalancers: [{ targetGroupArn: TG_BLUE }] },
      },
    );
    ecsMock.on(DescribeServiceRevisionsCommand, { serviceRevisionArns: [BLUE_REVISION] }).resolves({
      serviceRevisions: [
        {
          serviceRevisionArn: BLUE_REVISION,
          taskDefinition: TD_OLD,
          resolvedConfiguration: { loadBalancers: [{ targetGroupArn: TG_BLUE }] },
        },
      ],
    });

    const readings = await reader('web:5')();

    expect(readings[0]).toMatchObject({ passed: false, detail: expect.stringContaining('steady, but on web:4 instead of web:5') });
    expect(readTargetGroups()).toEqual([TG_BLUE]);
  });
});

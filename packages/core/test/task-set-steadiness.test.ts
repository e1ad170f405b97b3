import { describe, expect, test } from '@jest/globals';
import type { Service, TaskSet } from '@aws-sdk/client-ecs';
import type { CodeDeployDeploymentRead } from '../src/codedeploy';
import { runsTaskSets, taskSetSteadiness, taskSetTargetGroups } from '../src/health/task-set-steadiness';

// A CODE_DEPLOY service is steady on its PRIMARY task set: DescribeServices lists task sets, no deployments.

const TD = (revision: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${revision}`;
const TG_BLUE = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg1/aaaa';
const TG_GREEN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg2/bbbb';

function taskSet(id: string, revision: number, overrides: Partial<TaskSet> = {}): TaskSet {
  return {
    id,
    status: 'PRIMARY',
    taskDefinition: TD(revision),
    computedDesiredCount: 2,
    runningCount: 2,
    pendingCount: 0,
    stabilityStatus: 'STEADY_STATE',
    scale: { value: 100, unit: 'PERCENT' },
    loadBalancers: [{ targetGroupArn: revision % 2 ? TG_BLUE : TG_GREEN, containerName: 'web', containerPort: 8080 }],
    ...overrides,
  };
}

function service(taskSets: TaskSet[]): Service {
  return {
    serviceName: 'web',
    desiredCount: 2,
    deploymentController: { type: 'CODE_DEPLOY' },
    deployments: [],
    loadBalancers: [{ targetGroupArn: TG_BLUE, containerName: 'web', containerPort: 8080 }],
    taskSets,
  };
}

const blue = (overrides: Partial<TaskSet> = {}) => taskSet('ecs-svc/1', 1, { createdAt: new Date(1_000), ...overrides });
const green = (overrides: Partial<TaskSet> = {}) =>
  taskSet('ecs-svc/2', 2, { externalId: 'd-GREEN0001', createdAt: new Date(2_000), ...overrides });

function deployment(
  status: string,
  greenWeight: number,
  targetStatus = 'InProgress',
  afterAllowTraffic = 'Pending',
): CodeDeployDeploymentRead {
  return {
    deploymentId: 'd-GREEN0001',
    deployment: { deploymentId: 'd-GREEN0001', status: status as never },
    target: {
      status: targetStatus as never,
      lifecycleEvents: [{ lifecycleEventName: 'AfterAllowTraffic', status: afterAllowTraffic as never }],
      taskSetsInfo: [
        { identifer: 'ecs-svc/1', taskSetLabel: 'Blue', trafficWeight: 100 - greenWeight },
        { identifer: 'ecs-svc/2', taskSetLabel: 'Green', trafficWeight: greenWeight },
      ],
    },
  };
}

describe('taskSetSteadiness', () => {
  test('is what a CODE_DEPLOY service is judged by', () => {
    expect(runsTaskSets(service([blue()]))).toBe(true);
    expect(runsTaskSets({ ...service([]), deploymentController: { type: 'ECS' } })).toBe(false);
  });

  test('steady: the PRIMARY task set runs the revision at its desired count, STEADY_STATE, the only one', () => {
    const reading = taskSetSteadiness(service([green({ status: 'PRIMARY' })]), { taskDefinition: 'web:2' });
    expect(reading).toMatchObject({
      passed: true,
      detail: 'steady on web:2: 2 of 2 tasks of web:2 running, STEADY_STATE in the PRIMARY task set, the only one',
    });
  });

  test('not steady: a PRIMARY task set with a task missing', () => {
    const reading = taskSetSteadiness(service([blue({ runningCount: 1, pendingCount: 1, stabilityStatus: 'STABILIZING' })]));
    expect(reading).toMatchObject({ passed: false, detail: 'the PRIMARY task set ecs-svc/1 (web:1): 1 of 2 tasks running, 1 pending' });
  });

  test('not steady: all tasks running but ECS says STABILIZING (a target not yet healthy)', () => {
    const reading = taskSetSteadiness(service([blue({ stabilityStatus: 'STABILIZING' })]));
    expect(reading).toMatchObject({ passed: false, detail: expect.stringContaining('STABILIZING, not STEADY_STATE') });
  });

  test('not steady on the release: the PRIMARY runs the old revision, as after a rollback', () => {
    const reading = taskSetSteadiness(service([blue()]), { taskDefinition: TD(2) });
    expect(reading).toMatchObject({
      passed: false,
      detail: expect.stringMatching(/^the PRIMARY task set ecs-svc\/1 runs web:1, not web:2/),
    });
  });

  test('steady through the termination wait: the original kept, ACTIVE, without production traffic', () => {
    const svc = service([green({ status: 'PRIMARY' }), blue({ status: 'ACTIVE' })]);
    const reading = taskSetSteadiness(svc, { taskDefinition: 'web:2', inFlight: deployment('InProgress', 100, 'Succeeded', 'Succeeded') });
    expect(reading.passed).toBe(true);
    expect(reading.detail).toMatch(
      /^steady on web:2: .* which takes all production traffic; task set ecs-svc\/1 \(web:1, ACTIVE\) is kept without production traffic through CodeDeploy deployment d-GREEN0001's termination wait$/,
    );
  });

  test('not steady while the deployment waits at Ready: production still on the original', () => {
    const svc = service([blue(), green({ status: 'ACTIVE' })]);
    const reading = taskSetSteadiness(svc, { inFlight: deployment('Ready', 0, 'Ready') });
    expect(reading).toMatchObject({
      passed: false,
      detail: expect.stringMatching(
        /^CodeDeploy deployment d-GREEN0001 is Ready \(production traffic 0% to the replacement \(Green\), 100% to the original \(Blue\)\)/,
      ),
    });
  });

  test('not steady mid-shift, even with the replacement PRIMARY: the original still takes production traffic', () => {
    const svc = service([green({ status: 'PRIMARY' }), blue({ status: 'ACTIVE' })]);
    const reading = taskSetSteadiness(svc, { inFlight: deployment('InProgress', 10) });
    expect(reading.passed).toBe(false);
  });

  test('not steady: a second task set no CodeDeploy deployment names', () => {
    const svc = service([blue(), taskSet('ecs-svc/9', 3, { status: 'ACTIVE' })]);
    expect(taskSetSteadiness(svc)).toMatchObject({ passed: false, detail: expect.stringContaining('no CodeDeploy deployment names it') });
  });

  test('a DRAINING task set is leaving and does not count', () => {
    const svc = service([green({ status: 'PRIMARY' }), blue({ status: 'DRAINING' })]);
    expect(taskSetSteadiness(svc).passed).toBe(true);
  });

  test('with a deployment gated, its replacement is judged, ACTIVE before the reroute', () => {
    const svc = service([blue(), green({ status: 'ACTIVE' })]);
    expect(taskSetSteadiness(svc, { deploymentId: 'd-GREEN0001', taskDefinition: 'web:2' })).toMatchObject({
      passed: true,
      detail: 'the replacement task set of CodeDeploy deployment d-GREEN0001 is steady: 2 of 2 tasks of web:2 running, STEADY_STATE',
    });
    expect(taskSetSteadiness(service([blue()]), { deploymentId: 'd-GREEN0001' })).toMatchObject({
      passed: false,
      detail: expect.stringMatching(
        /^no replacement task set of CodeDeploy deployment d-GREEN0001 \(task sets: .*\): the deployment has not created it yet/,
      ),
    });
  });

  test("the target groups judged are the judged task set's, not the service's first", () => {
    const svc = service([green({ status: 'PRIMARY' }), blue({ status: 'ACTIVE' })]);
    expect(taskSetTargetGroups(svc, svc.taskSets?.[0])).toEqual([TG_GREEN]);
  });
});

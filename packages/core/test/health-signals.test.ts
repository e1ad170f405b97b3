import { beforeEach, describe, expect, test } from '@jest/globals';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand, ECSClient, type Service } from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { ConfigurationError } from '../src/common/errors';
import { alarmSignals, assertAlarmsExist } from '../src/health/alarm-signals';
import { serviceSignals, serviceSteadiness, targetGroupHealth } from '../src/health/service-signals';

const ecsMock = mockClient(ECSClient);
const elbMock = mockClient(ElasticLoadBalancingV2Client);
const cwMock = mockClient(CloudWatchClient);
const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/0123456789abcdef';

const steady: Service = {
  serviceName: 'web',
  status: 'ACTIVE',
  desiredCount: 2,
  runningCount: 2,
  deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', rolloutState: 'COMPLETED' }],
  loadBalancers: [{ targetGroupArn: TG, containerName: 'web', containerPort: 8080 }],
};

beforeEach(() => {
  ecsMock.reset();
  elbMock.reset();
  cwMock.reset();
});

describe('serviceSteadiness', () => {
  test.each([
    [steady, true, 'steady: 2 of 2 tasks running, one deployment, COMPLETED'],
    [
      {
        ...steady,
        deployments: [
          { id: 'ecs-svc/2', status: 'PRIMARY', rolloutState: 'IN_PROGRESS' },
          { id: 'ecs-svc/1', status: 'ACTIVE', rolloutState: 'COMPLETED' },
        ],
      },
      false,
      '2 deployments at once (PRIMARY IN_PROGRESS, ACTIVE COMPLETED): a rollout is still in progress',
    ],
    [
      { ...steady, deployments: [{ id: 'ecs-svc/2', status: 'PRIMARY', rolloutState: 'FAILED', rolloutStateReason: 'circuit breaker' }] },
      false,
      'deployment ecs-svc/2 is FAILED: circuit breaker',
    ],
    [{ ...steady, runningCount: 1 }, false, '1 of 2 desired tasks running'],
  ] as [Service, boolean, string][])('%#', (service, passed, detail) => {
    expect(serviceSteadiness(service)).toEqual({ source: 'service web', passed, detail });
  });
});

describe('serviceSteadiness on a given revision', () => {
  const OLD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3';
  const NEW = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:4';
  const settledOn = (taskDefinition: string): Service => ({
    ...steady,
    taskDefinition,
    deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', rolloutState: 'COMPLETED', taskDefinition }],
  });

  test.each([
    ['an ARN', NEW],
    ['family:revision', 'web:4'],
  ])('steady on the revision named by %s passes', (_, reference) => {
    expect(serviceSteadiness(settledOn(NEW), reference)).toEqual({
      source: 'service web',
      passed: true,
      detail: 'steady on web:4: 2 of 2 tasks running, one deployment, COMPLETED',
    });
  });

  test('steady on the revision ECS rolled back to fails, naming the revision that runs instead', () => {
    expect(serviceSteadiness(settledOn(OLD), NEW)).toEqual({
      source: 'service web',
      passed: false,
      detail: 'steady, but on web:3 instead of web:4: the deployment of web:4 was rolled back or replaced',
    });
  });

  test('while ECS rolls back, the check says the service is heading elsewhere', () => {
    const rollingBack: Service = {
      ...steady,
      taskDefinition: OLD,
      deployments: [
        { id: 'ecs-svc/3', status: 'PRIMARY', rolloutState: 'IN_PROGRESS', taskDefinition: OLD },
        { id: 'ecs-svc/2', status: 'ACTIVE', rolloutState: 'FAILED', taskDefinition: NEW },
      ],
    };
    expect(serviceSteadiness(rollingBack, NEW)).toEqual({
      source: 'service web',
      passed: false,
      detail:
        '2 deployments at once (PRIMARY IN_PROGRESS, ACTIVE FAILED): a rollout is still in progress; the service is deploying web:3, not web:4',
    });
  });

  test('a rollout of the revision itself is only not steady yet', () => {
    const rolling: Service = {
      ...steady,
      deployments: [
        { id: 'ecs-svc/2', status: 'PRIMARY', rolloutState: 'IN_PROGRESS', taskDefinition: NEW },
        { id: 'ecs-svc/1', status: 'ACTIVE', rolloutState: 'COMPLETED', taskDefinition: OLD },
      ],
    };
    expect(serviceSteadiness(rolling, 'web:4')).toMatchObject({
      passed: false,
      detail: '2 deployments at once (PRIMARY IN_PROGRESS, ACTIVE COMPLETED): a rollout is still in progress',
    });
  });
});

describe('targetGroupHealth', () => {
  test('reports each unhealthy target with its reason code, leaving draining ones out', () => {
    const reading = targetGroupHealth(TG, [
      { Target: { Id: '10.0.0.1', Port: 8080 }, TargetHealth: { State: 'healthy' } },
      {
        Target: { Id: '10.0.0.2', Port: 8080 },
        TargetHealth: {
          State: 'unhealthy',
          Reason: 'Target.ResponseCodeMismatch',
          Description: 'Health checks failed with these codes: [500]',
        },
      },
      { Target: { Id: '10.0.0.3', Port: 8080 }, TargetHealth: { State: 'draining', Reason: 'Target.DeregistrationInProgress' } },
    ]);
    expect(reading).toEqual({
      source: 'target group web-tg',
      passed: false,
      detail:
        '1 of 2 targets not healthy: 10.0.0.2:8080 unhealthy (Target.ResponseCodeMismatch: Health checks failed with these codes: [500])',
    });
  });

  test('all healthy passes; an empty group does not', () => {
    expect(targetGroupHealth(TG, [{ Target: { Id: 'a' }, TargetHealth: { State: 'healthy' } }]).passed).toBe(true);
    expect(targetGroupHealth(TG, [])).toMatchObject({ passed: false, detail: 'no registered targets' });
  });
});

describe('serviceSignals', () => {
  test('reads the service and every target group of it', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [steady] });
    elbMock.on(DescribeTargetHealthCommand, { TargetGroupArn: TG }).resolves({
      TargetHealthDescriptions: [
        { Target: { Id: '10.0.0.1', Port: 8080 }, TargetHealth: { State: 'initial', Reason: 'Elb.InitialHealthChecking' } },
      ],
    });
    const read = serviceSignals({
      cluster: 'prod',
      service: 'web',
      region: 'us-east-1',
      ecs: new ECSClient({ region: 'us-east-1' }),
      elb: new ElasticLoadBalancingV2Client({ region: 'us-east-1' }),
    });
    const readings = await read();
    expect(readings.map((r) => [r.source, r.passed])).toEqual([
      ['service web', true],
      ['target group web-tg', false],
    ]);
    expect(readings[1].detail).toBe('1 of 1 targets not healthy: 10.0.0.1:8080 initial (Elb.InitialHealthChecking)');
  });

  test('with a task definition, judges the service on that revision', async () => {
    const old = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3';
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [
        {
          ...steady,
          loadBalancers: [],
          deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', rolloutState: 'COMPLETED', taskDefinition: old }],
        },
      ],
    });
    const read = serviceSignals({
      cluster: 'prod',
      service: 'web',
      region: 'us-east-1',
      ecs: new ECSClient({ region: 'us-east-1' }),
      elb: new ElasticLoadBalancingV2Client({ region: 'us-east-1' }),
      taskDefinition: 'web:4',
    });
    expect(await read()).toEqual([
      {
        source: 'service web',
        passed: false,
        detail: 'steady, but on web:3 instead of web:4: the deployment of web:4 was rolled back or replaced',
      },
    ]);
  });
});

describe('alarms', () => {
  test('an unknown alarm name is a configuration error naming it', async () => {
    cwMock.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: 'web-5xx', StateValue: 'OK' }], CompositeAlarms: [] });
    const cloudwatch = new CloudWatchClient({ region: 'us-east-1' });
    const error = await assertAlarmsExist(cloudwatch, ['web-5xx', 'web-latancy'], 'us-east-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toBe(
      `Input 'alarms': no CloudWatch alarm named "web-latancy" in us-east-1. Names are case-sensitive; list them with 'aws cloudwatch describe-alarms'.`,
    );
    await expect(assertAlarmsExist(cloudwatch, ['web-5xx'], 'us-east-1')).resolves.toBeUndefined();
  });

  test('an alarm in ALARM is a fatal reading; OK and INSUFFICIENT_DATA pass', async () => {
    cwMock.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        {
          AlarmName: 'web-5xx',
          StateValue: 'ALARM',
          StateReason: 'Threshold Crossed: 1 datapoint [12.0] was greater than the threshold (5.0).',
        },
        { AlarmName: 'web-latency', StateValue: 'INSUFFICIENT_DATA' },
      ],
      CompositeAlarms: [{ AlarmName: 'web-composite', StateValue: 'OK' }],
    });
    const readings = await alarmSignals(new CloudWatchClient({ region: 'us-east-1' }), ['web-5xx', 'web-latency', 'web-composite'])();
    expect(readings).toEqual([
      {
        source: 'alarm web-5xx',
        passed: false,
        fatal: true,
        detail: 'in ALARM: Threshold Crossed: 1 datapoint [12.0] was greater than the threshold (5.0).',
      },
      { source: 'alarm web-latency', passed: true, detail: 'INSUFFICIENT_DATA' },
      { source: 'alarm web-composite', passed: true, detail: 'OK' },
    ]);
    expect(cwMock.commandCalls(DescribeAlarmsCommand)[0].args[0].input).toMatchObject({
      AlarmNames: ['web-5xx', 'web-latency', 'web-composite'],
      AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
    });
  });
});

describe('signal reads under throttling', () => {
  const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });

  test('a throttled target health read leaves that group unread, not unhealthy; the service is still judged', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [steady] });
    elbMock.on(DescribeTargetHealthCommand).rejects(throttled());
    const read = serviceSignals({
      cluster: 'prod',
      service: 'web',
      region: 'us-east-1',
      ecs: new ECSClient({ region: 'us-east-1' }),
      elb: new ElasticLoadBalancingV2Client({ region: 'us-east-1' }),
    });

    const readings = await read();

    expect(readings.map(({ source, passed, unread }) => ({ source, passed, unread }))).toEqual([
      { source: 'service web', passed: true, unread: undefined },
      { source: 'target group web-tg', passed: false, unread: true },
    ]);
    expect(readings[1].detail).toBe('not read this round (ThrottlingException: Rate exceeded)');
  });

  test('a throttled service read leaves the service unread; a refused one is thrown', async () => {
    const read = serviceSignals({
      cluster: 'prod',
      service: 'web',
      region: 'us-east-1',
      ecs: new ECSClient({ region: 'us-east-1' }),
      elb: new ElasticLoadBalancingV2Client({ region: 'us-east-1' }),
    });
    ecsMock.on(DescribeServicesCommand).rejectsOnce(throttled());
    expect(await read()).toEqual([expect.objectContaining({ source: 'service web', unread: true, passed: false })]);
    ecsMock.on(DescribeServicesCommand).rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }));
    await expect(read()).rejects.toThrow('User is not authorized');
  });

  test('when the service cannot be read, the target groups of its last read are unread too, not left out', async () => {
    const read = serviceSignals({
      cluster: 'prod',
      service: 'web',
      region: 'us-east-1',
      ecs: new ECSClient({ region: 'us-east-1' }),
      elb: new ElasticLoadBalancingV2Client({ region: 'us-east-1' }),
    });
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [steady] })
      .rejects(throttled());
    elbMock
      .on(DescribeTargetHealthCommand)
      .resolves({ TargetHealthDescriptions: [{ Target: { Id: '10.0.0.7' }, TargetHealth: { State: 'healthy' } }] });
    await read();
    const readings = await read();
    expect(readings.map(({ source, unread }) => ({ source, unread }))).toEqual([
      { source: 'service web', unread: true },
      { source: 'target group web-tg', unread: true },
    ]);
  });

  test('a throttled alarm read is unread, never an alarm in ALARM', async () => {
    cwMock.on(DescribeAlarmsCommand).rejects(throttled());
    const readings = await alarmSignals(new CloudWatchClient({ region: 'us-east-1' }), ['web-5xx'])();
    expect(readings).toEqual([expect.objectContaining({ source: 'alarm web-5xx', passed: false, unread: true })]);
    expect(readings[0].fatal).toBeUndefined();
  });
});

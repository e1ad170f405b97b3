import { beforeEach, describe, expect, test } from '@jest/globals';
import { CloudWatchLogsClient, GetLogEventsCommand, ResourceNotFoundException } from '@aws-sdk/client-cloudwatch-logs';
import type { ContainerDefinition, Deployment, Service, Task } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { explainRollout, gatherLogTail, LOG_TAIL_LINES, type RolloutFacts } from '../src/ecs/diagnosis';
import type { LogTail } from '../src/logs/log-tail';
import type { WatchOutcome } from '../src/ecs/watch';
import { silentLogger } from '../src/common/logger';
import { container, DEPLOYMENT_ID, ELB_REASON, INIT_ERROR, stoppedTask, TASK_DEFINITION_ARN, taskArn } from './support/tasks';

const OLD_TASK_DEFINITION = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:7';
const ROLLBACK_ID = 'ecs-svc/9999999999999999999';
const OTHER_ID = 'ecs-svc/5555555555555555555';

function deployment(overrides: Partial<Deployment> = {}): Deployment {
  return {
    id: DEPLOYMENT_ID,
    status: 'PRIMARY',
    taskDefinition: TASK_DEFINITION_ARN,
    desiredCount: 2,
    pendingCount: 0,
    runningCount: 0,
    failedTasks: 0,
    rolloutState: 'IN_PROGRESS',
    createdAt: new Date('2026-01-01T12:00:00Z'),
    updatedAt: new Date('2026-01-01T12:05:00Z'),
    launchType: 'FARGATE',
    ...overrides,
  };
}

function service(deployments: Deployment[]): Service {
  return {
    serviceName: 'web',
    clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
    status: 'ACTIVE',
    desiredCount: 2,
    deployments,
  };
}

function outcome(overrides: Partial<WatchOutcome>): WatchOutcome {
  return { status: 'succeeded', failedTasks: [], events: [], finishedAt: Date.UTC(2026, 0, 1, 12, 5), polls: 30, ...overrides };
}

function facts(overrides: Partial<WatchOutcome>, logTail?: LogTail, timeoutMs = 900_000): RolloutFacts {
  return { deploymentId: DEPLOYMENT_ID, taskDefinitionArn: TASK_DEFINITION_ARN, timeoutMs, outcome: outcome(overrides), logTail };
}

const crashed = (n: number, exitCode = 1) => stoppedTask({ taskArn: taskArn(String(n).padStart(32, 'a')) }, [container({ exitCode })]);

const logTail = (lines: string[]): LogTail => ({
  group: '/ecs/web',
  stream: 'ecs/web/aaaa',
  container: 'web',
  taskArn: taskArn('a'.repeat(32)),
  lines,
});

describe('explainRollout', () => {
  test('succeeded: names the deployment and revision, and how many tasks run', () => {
    const text = explainRollout(
      facts({ status: 'succeeded', service: service([deployment({ runningCount: 2, rolloutState: 'COMPLETED' })]) }),
    );
    expect(text).toBe(`Deployment ${DEPLOYMENT_ID} of web:8 completed: 2 of 2 tasks running, 0 pending.`);
  });

  test('rolled back: the revision it returns to, the cause with exit code and last log line', () => {
    const text = explainRollout(
      facts(
        {
          status: 'rolled-back',
          reason: 'circuit breaker: 3 tasks failed',
          service: service([
            deployment({ id: ROLLBACK_ID, taskDefinition: OLD_TASK_DEFINITION, runningCount: 1 }),
            deployment({ status: 'ACTIVE', failedTasks: 3, rolloutState: 'FAILED' }),
          ]),
          failedTasks: [crashed(1), crashed(2), crashed(3, 2)],
        },
        logTail(['Starting web 1.4.3', 'Error: Cannot find module "./config/production"', '', '   ']),
      ),
    );
    expect(text).toContain(`Deployment ${DEPLOYMENT_ID} of web:8 failed`);
    expect(text).toContain('rolling the service back to web:7');
    expect(text).toContain('circuit breaker: 3 tasks failed');
    expect(text).toContain('3 tasks stopped; the latest because essential container "web" exited with code 2');
    expect(text).toContain('Its last log line: "Error: Cannot find module "./config/production""');
    expect(text).toContain('Fix the cause in the new revision');
  });

  test('failed: the cause, and that the previous revision keeps serving', () => {
    const text = explainRollout(
      facts(
        {
          status: 'failed',
          reason: '3 tasks of the new revision failed',
          service: service([
            deployment({ failedTasks: 3, runningCount: 0, pendingCount: 1 }),
            deployment({ id: OTHER_ID, status: 'ACTIVE', taskDefinition: OLD_TASK_DEFINITION, runningCount: 2 }),
          ]),
          failedTasks: [crashed(1, 1)],
        },
        logTail(['panic: runtime error: invalid memory address or nil pointer dereference']),
      ),
    );
    expect(text).toContain(`Deployment ${DEPLOYMENT_ID} of web:8 failed: 3 tasks of the new revision failed.`);
    expect(text).toContain('One task stopped; the latest because essential container "web" exited with code 1.');
    expect(text).toContain('Its last log line: "panic: runtime error: invalid memory address or nil pointer dereference".');
    expect(text).toContain('previous revision keep serving');
    expect(text).toContain('roll back');
  });

  test('failed without a log tail still gives the cause, without a log quote', () => {
    const text = explainRollout(
      facts({
        status: 'failed',
        reason: '1 task failed',
        service: service([deployment()]),
        failedTasks: [stoppedTask({ stopCode: 'TaskFailedToStart', stoppedReason: INIT_ERROR }, [container()])],
      }),
    );
    expect(text).toContain('ECS could not prepare the task');
    expect(text).not.toContain('last log line');
  });

  describe('says who ended the rollout and what ECS does next', () => {
    const rolledBackService = () =>
      service([
        deployment({ id: ROLLBACK_ID, taskDefinition: OLD_TASK_DEFINITION, runningCount: 1 }),
        deployment({ status: 'ACTIVE', rolloutState: 'FAILED' }),
      ]);

    test('an alarm rollback names the alarm and the revision ECS returns to', () => {
      const reason = 'CloudWatch alarm "web-5xx" went into ALARM';
      const text = explainRollout(
        facts({
          status: 'rolled-back',
          reason,
          verdict: { state: 'rolled-back', cause: 'alarm', alarmNames: ['web-5xx'], reason, deployment: deployment() },
          service: rolledBackService(),
        }),
      );
      expect(text).toBe(
        `Deployment ${DEPLOYMENT_ID} of web:8 failed: CloudWatch alarm "web-5xx" went into ALARM, and ECS is rolling the service back to web:7. Fix the cause in the new revision and deploy again.`,
      );
      expect(text).not.toContain('circuit breaker');
    });

    test('a rollback someone requested is not blamed on the circuit breaker', () => {
      const reason = 'Rollback requested with StopServiceDeployment.';
      const text = explainRollout(
        facts({
          status: 'rolled-back',
          reason,
          verdict: { state: 'rolled-back', cause: 'rollback-requested', reason, deployment: deployment() },
          service: rolledBackService(),
        }),
      );
      expect(text).toContain(`Deployment ${DEPLOYMENT_ID} of web:8 was stopped and ECS is rolling the service back to web:7`);
      expect(text).not.toContain('circuit breaker');
    });

    test("ECS's own rollback failed: the service may run neither revision", () => {
      const reason = "ECS's own rollback failed (tasks failed to start while rolling back)";
      const text = explainRollout(
        facts({ status: 'failed', reason, verdict: { state: 'failed', cause: 'rollback-failed', reason }, service: rolledBackService() }),
      );
      expect(text).toContain(
        `Deployment ${DEPLOYMENT_ID} of web:8 failed, and ECS's own rollback failed (tasks failed to start while rolling back): ECS does not try again`,
      );
      expect(text).not.toContain('keep serving');
    });

    test('no completed deployment to roll back to: ECS launches no more tasks and did not roll back', () => {
      const reason =
        'ECS deployment circuit breaker: tasks failed to start; ECS did not roll back: it found no completed deployment to roll back to';
      const text = explainRollout(
        facts({
          status: 'failed',
          reason,
          verdict: { state: 'failed', cause: 'circuit-breaker', noRollback: true, reason },
          service: service([deployment({ rolloutState: 'FAILED' })]),
        }),
      );
      expect(text).toContain(`failed: ${reason}.`);
      expect(text).toContain('ECS launches no more tasks of the new revision and did not roll back');
    });
  });

  test('failed because another deployment replaced it', () => {
    const replacedBy = deployment({ id: OTHER_ID });
    const text = explainRollout(
      facts({
        status: 'failed',
        reason: `deployment ${OTHER_ID} replaced it`,
        verdict: { state: 'failed', cause: 'replaced', reason: `deployment ${OTHER_ID} replaced it`, replacedBy },
        service: service([replacedBy, deployment({ status: 'ACTIVE' })]),
        failedTasks: [crashed(1)],
      }),
    );
    expect(text).toContain(`Deployment ${DEPLOYMENT_ID} of web:8 was replaced before it finished: deployment ${OTHER_ID} replaced it.`);
    expect(text).toContain('Another deploy or a person changed the service');
    expect(text).not.toContain('exited with code');
  });

  test('timed out with nothing failed: how many tasks run, the likely reasons, and that ECS carries on', () => {
    const text = explainRollout(
      facts({ status: 'timed-out', service: service([deployment({ runningCount: 1, pendingCount: 1 })]) }, undefined, 600_000),
    );
    expect(text).toContain(`Deployment ${DEPLOYMENT_ID} of web:8 did not finish within 10m: 1 of 2 tasks running, 1 pending.`);
    expect(text).toContain('No task of the new revision has failed yet');
    expect(text).toContain('PENDING');
    expect(text).toContain('ECS carries on with the deployment');
  });

  test('timed out with failed tasks: the counts include them and the cause replaces the generic hint', () => {
    const text = explainRollout(
      facts(
        {
          status: 'timed-out',
          service: service([deployment({ runningCount: 1, pendingCount: 0, failedTasks: 2 })]),
          failedTasks: [
            crashed(1),
            stoppedTask({ stopCode: 'ServiceSchedulerInitiated', stoppedReason: ELB_REASON }, [container({ exitCode: 0 })]),
          ],
        },
        undefined,
        5_400_000,
      ),
    );
    expect(text).toContain('did not finish within 90m: 1 of 2 tasks running, 0 pending, 2 failed.');
    expect(text).toContain('2 tasks stopped; the latest because it failed its health checks');
    expect(text).not.toContain('No task of the new revision has failed yet');
  });

  test('our deployment gone from the service is said so', () => {
    const text = explainRollout(facts({ status: 'timed-out', service: service([deployment({ id: OTHER_ID })]) }));
    expect(text).toContain('the deployment is no longer on the service');
  });

  test('the last log line skips blank lines and is cut to 300 characters', () => {
    const long = `Error: ${'x'.repeat(400)}`;
    const text = explainRollout(
      facts({ status: 'failed', reason: 'r', service: service([deployment()]), failedTasks: [crashed(1)] }, logTail([long, '', '  '])),
    );
    const quoted = /Its last log line: "(.*)"\./.exec(text)?.[1];
    expect(quoted).toBe(long.slice(0, 300));
  });

  test.each<WatchOutcome['status']>(['rolled-back', 'failed', 'timed-out'])(
    '%s: a log tail of blank lines only adds no quote',
    (status) => {
      const text = explainRollout(
        facts({ status, reason: 'r', service: service([deployment()]), failedTasks: [crashed(1)] }, logTail(['', '   '])),
      );
      expect(text).toContain('exited with code 1');
      expect(text).not.toContain('last log line');
    },
  );
});

describe('gatherLogTail', () => {
  const logsMock = mockClient(CloudWatchLogsClient);
  const logs = new CloudWatchLogsClient({ region: 'us-east-1' });
  const definitions: ContainerDefinition[] = [
    {
      name: 'web',
      image: 'example/web:1',
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web', 'awslogs-stream-prefix': 'ecs' } },
    },
    { name: 'envoy', image: 'envoyproxy/envoy:v1.31' },
  ];
  const older = stoppedTask({ taskArn: taskArn('1'.repeat(32)) }, [container({ name: 'web', exitCode: 1 })]);
  const newer = stoppedTask({ taskArn: taskArn('2'.repeat(32)) }, [
    container({ name: 'envoy', exitCode: 0 }),
    container({ name: 'web', exitCode: 3 }),
  ]);

  beforeEach(() => {
    logsMock.reset();
  });

  test('reads the most recent crashed container first', async () => {
    logsMock.on(GetLogEventsCommand).resolves({ events: [{ message: 'boom' }] });
    const tail = await gatherLogTail([older, newer], definitions, logs, silentLogger());
    expect(tail).toEqual({
      group: '/ecs/web',
      stream: `ecs/web/${'2'.repeat(32)}`,
      region: undefined,
      container: 'web',
      taskArn: newer.taskArn,
      lines: ['boom'],
    });
    const calls = logsMock.commandCalls(GetLogEventsCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0].args[0].input.limit).toBe(LOG_TAIL_LINES);
  });

  test('falls back to an older task when the newest stream is missing or empty', async () => {
    logsMock
      .on(GetLogEventsCommand, { logStreamName: `ecs/web/${'2'.repeat(32)}` })
      .rejects(new ResourceNotFoundException({ message: 'The specified log stream does not exist.', $metadata: {} }))
      .on(GetLogEventsCommand, { logStreamName: `ecs/web/${'1'.repeat(32)}` })
      .resolves({ events: [{ message: 'older crash' }] });
    const tail = await gatherLogTail([older, newer], definitions, logs, silentLogger());
    expect(tail?.taskArn).toBe(older.taskArn);
    expect(tail?.lines).toEqual(['older crash']);
  });

  test('containers without awslogs are skipped without a call', async () => {
    const envoyCrash = stoppedTask({}, [container({ name: 'envoy', exitCode: 1 })]);
    expect(await gatherLogTail([envoyCrash], definitions, logs, silentLogger())).toBeUndefined();
    expect(logsMock.commandCalls(GetLogEventsCommand)).toHaveLength(0);
  });

  test('no failed tasks, no tail', async () => {
    expect(await gatherLogTail([], definitions, logs, silentLogger())).toBeUndefined();
  });

  test('does not reorder the failed tasks it was given', async () => {
    logsMock.on(GetLogEventsCommand).resolves({ events: [] });
    const tasks: Task[] = [older, newer];
    await gatherLogTail(tasks, definitions, logs, silentLogger());
    expect(tasks).toEqual([older, newer]);
  });
});

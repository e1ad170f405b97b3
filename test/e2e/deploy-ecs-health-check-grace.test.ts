import { describe as group, expect, test } from '@jest/globals';
import { DescribeTasksCommand, ListTasksCommand, type HealthCheck, type Task } from '@aws-sdk/client-ecs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mutatingCalls } from '../support/bad-input';
import { createService, ecsClient, REGISTRY, scaleToZero } from '../support/ecs-fixtures';
import { createTargetGroup } from '../support/load-balancer';
import { errorsOf, runBundledAction } from '../support/run-action';
import { useSandbox } from '../support/use-sandbox';

// The health check grace period through the bundled deploy-ecs: the pre-flight warning when a load-balanced service's
// grace period is shorter than the new revision's start period, and the failure's hint when ECS stopped the new
// revision's tasks for failed health checks while they started. ×0.1: health checks every 5 s run every 0.5 s, so a
// task whose app does not answer is UNHEALTHY (two counted failures) 1 s after it starts.
const sandbox = useSandbox({ timeScale: 0.1 });

const SCALE = 0.1;
const CHECK: HealthCheck = {
  command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'],
  interval: 5,
  timeout: 2,
  retries: 2,
};
/** An app that never answers within a test: 10 minutes of ECS time. */
const NEVER_MS = 600_000;

const deploy = (inputs: Record<string, string>, cwd?: string) =>
  runBundledAction('deploy-ecs', inputs, { env: sandbox.env(), ...(cwd ? { cwd } : {}) });

/** The service's stopped tasks, as DescribeTasks tells them. */
async function stoppedTasks(cluster: string, service: string): Promise<Task[]> {
  const ecs = ecsClient(sandbox);
  const { taskArns = [] } = await ecs.send(new ListTasksCommand({ cluster, serviceName: service, desiredStatus: 'STOPPED' }));
  return taskArns.length ? ((await ecs.send(new DescribeTasksCommand({ cluster, tasks: taskArns }))).tasks ?? []) : [];
}

const killedAfterMs = (task: Task) =>
  (task.stoppingAt ?? task.stoppedAt ?? new Date(0)).getTime() - (task.startedAt ?? new Date(0)).getTime();
/** The grace period the hint suggests, in seconds. */
const suggested = (message: string) => Number(/of at least (\d+) s/.exec(message)?.[1]);

group('deploy-ecs and the health check grace period', () => {
  test('a load-balanced service whose grace period is shorter than the start period is warned, and the deploy goes on', async () => {
    const { targetGroupArn } = await createTargetGroup(sandbox, 'ledger-tg', 1);
    const { cluster, service } = await createService(sandbox, {
      service: 'ledger',
      image: `${REGISTRY}/ledger:v1`,
      desiredCount: 1,
      healthCheck: { ...CHECK, startPeriod: 60 },
      healthCheckGracePeriodSeconds: 5,
      loadBalancers: [{ targetGroupArn, containerName: 'ledger', containerPort: 8080 }],
    });
    const warning =
      '::warning::Health check grace period: Container "ledger" of the new revision may take up to 60 s to start (its health check\'s startPeriod), ' +
      'but service "ledger" ignores failed load balancer health checks for only 5 s after a task starts (healthCheckGracePeriodSeconds): ' +
      'ECS may stop its tasks while they are still starting.';
    const command =
      'aws ecs update-service --cluster prod --service ledger --health-check-grace-period-seconds 60 (this starts no deployment).';

    // The live revision with a new image: its start period is the live one's.
    const callsBefore = sandbox.calls.length;
    const run = await deploy({ cluster, service, image: `${REGISTRY}/ledger:v2` });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    const [line] = run.lines.map((l) => l.text).filter((text) => text.startsWith('::warning::Health check grace period'));
    expect(line?.startsWith(warning)).toBe(true);
    expect(line).toContain(command);
    // preflight is true (its default): a warning, not a failure; the deploy registered and updated.
    expect(mutatingCalls(sandbox.calls.slice(callsBefore))).toEqual(
      expect.arrayContaining(['ecs:RegisterTaskDefinition', 'ecs:UpdateService']),
    );

    // A file that lengthens the start period to 90 s: the file's figure is the one compared.
    const dir = mkdtempSync(join(tmpdir(), 'grace-'));
    writeFileSync(
      join(dir, 'task-definition.json'),
      JSON.stringify({
        family: 'ledger',
        executionRoleArn: `arn:aws:iam::${sandbox.accountId}:role/ecsTaskExecutionRole`,
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [
          { name: 'ledger', image: 'placeholder', portMappings: [{ containerPort: 8080 }], healthCheck: { ...CHECK, startPeriod: 90 } },
        ],
      }),
    );
    const fromFile = await deploy({ cluster, service, 'task-definition': 'task-definition.json', image: `${REGISTRY}/ledger:v3` }, dir);
    expect(fromFile.exitCode).toBe(0);
    expect(fromFile.log).toContain('Container "ledger" of the new revision may take up to 90 s to start');
    expect(fromFile.log).toContain('--health-check-grace-period-seconds 90');
    await scaleToZero(sandbox, cluster, service);
  });

  test('a grace period that covers the start period gets no warning', async () => {
    const { targetGroupArn } = await createTargetGroup(sandbox, 'till-tg', 1);
    const { cluster, service } = await createService(sandbox, {
      service: 'till',
      image: `${REGISTRY}/till:v1`,
      desiredCount: 1,
      healthCheck: { ...CHECK, startPeriod: 60 },
      healthCheckGracePeriodSeconds: 60,
      loadBalancers: [{ targetGroupArn, containerName: 'till', containerPort: 8080 }],
    });
    const run = await deploy({ cluster, service, image: `${REGISTRY}/till:v2` });
    expect(run.exitCode).toBe(0);
    expect(run.log).toMatch(/pass {2}Health check grace period +grace period 60 s covers container "till"'s start period \(60 s\)/);
    expect(run.lines.filter((l) => l.text.startsWith('::warning::Health check grace period'))).toEqual([]);
    await scaleToZero(sandbox, cluster, service);
  });

  test('tasks killed by their health checks before any answered: the failure asks for a grace period of at least the kill time', async () => {
    const { cluster, service } = await createService(sandbox, {
      service: 'vault',
      image: `${REGISTRY}/vault:v1`,
      healthCheck: CHECK,
      healthCheckGracePeriodSeconds: 2,
    });
    const slow = `${REGISTRY}/vault:v2`;
    sandbox.script(slow, { kind: 'healthy', startMs: 500, healthyAfterMs: NEVER_MS });

    const run = await deploy({ cluster, service, image: slow, 'failed-tasks-threshold': '2' });

    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('failed');
    const [message] = errorsOf(run).slice(-1);
    expect(message).toContain('it failed its health checks (Task failed container health checks)');
    expect(message).toMatch(
      /ECS stopped \d+ tasks for failed health checks up to [\d.]+ s after they started, before any of them was seen healthy\./,
    );
    expect(message).toContain('give the service a health check grace period (now 2 s) of at least');
    expect(message).toContain('--cluster prod --service vault --health-check-grace-period-seconds');
    const killed = (await stoppedTasks(cluster, service)).filter((task) => task.stoppedReason === 'Task failed container health checks');
    expect(killed.length).toBeGreaterThanOrEqual(2);
    // At least as long as every task the step reported was given: the app needed longer than that.
    const reported = killed.slice(0, 2).map(killedAfterMs);
    expect(suggested(message) * 1000).toBeGreaterThanOrEqual(Math.max(...reported));
    // Killed once UNHEALTHY (two counted failures, 10 s of ECS time), not sooner.
    for (const after of reported) expect(after).toBeGreaterThanOrEqual(10_000 * SCALE);
    await scaleToZero(sandbox, cluster, service);
  });

  test('a task of the revision seen healthy while others were killed starting: the hint names the time it took', async () => {
    const { cluster, service } = await createService(sandbox, {
      service: 'atlas',
      image: `${REGISTRY}/atlas:v1`,
      desiredCount: 3,
      healthCheck: CHECK,
      healthCheckGracePeriodSeconds: 2,
    });
    const varied = `${REGISTRY}/atlas:v2`;
    // The first two tasks of v2 never answer in time, the third answers after 5 s (healthy at the first check), every
    // later one never: the deployment cannot complete, and fails at the threshold.
    sandbox.script(varied, { kind: 'healthy', startMs: 500, healthyAfterMs: [NEVER_MS, NEVER_MS, 5000, NEVER_MS] });

    const run = await deploy({ cluster, service, image: varied, 'failed-tasks-threshold': '2' });

    expect(run.exitCode).toBe(1);
    const [message] = errorsOf(run).slice(-1);
    const seen = /a task of this revision was seen healthy ([\d.]+) s after it started/.exec(message);
    expect(seen).not.toBeNull();
    // HEALTHY at its first check, one interval after its start: the step saw it no sooner.
    const healthyAfter = Number(seen?.[1]);
    expect(healthyAfter).toBeGreaterThanOrEqual(5 * SCALE - 0.05);
    expect(suggested(message)).toBeGreaterThanOrEqual(healthyAfter);
    expect(message).toContain('If the app was still starting, give the service a health check grace period (now 2 s) of at least');
    await scaleToZero(sandbox, cluster, service);
  });
});

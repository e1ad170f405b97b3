import { describe as group, expect, test } from '@jest/globals';
import { ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBundledAction } from '../support/run-action';
import { createService, describe, ecsClient, REGISTRY } from '../support/ecs-fixtures';
import { useSandbox } from '../support/use-sandbox';
import { plantedEnvironment } from '../support/secret-sweep';

// deploy-ecs's rollouts that succeed (or have nothing to do), and what it reports of them. Its failures, and how it
// tells them apart, are in deploy-ecs-failures.test.ts.
const sandbox = useSandbox({ timeScale: 0.2 });

const deploy = (inputs: Record<string, string>) => runBundledAction('deploy-ecs', inputs, { env: sandbox.env() });

async function revisions(family: string): Promise<string[]> {
  const answer = await ecsClient(sandbox).send(new ListTaskDefinitionsCommand({ familyPrefix: family }));
  return answer.taskDefinitionArns ?? [];
}

group('deploy-ecs against the sandbox', () => {
  test('a healthy rollout succeeds, registers one revision, and sets every output', async () => {
    const image = `${REGISTRY}/shop:v1`;
    const { cluster, service, taskDefinitionArn } = await createService(sandbox, { service: 'shop', image });
    const next = `${REGISTRY}/shop:v2`;
    sandbox.script(next, { kind: 'healthy', startMs: 1000 });

    const callsBefore = sandbox.calls.length;
    const run = await deploy({
      cluster,
      service,
      image: next,
      environment: `FEATURE_FLAG=on\nSESSION_TOKEN=hunter2-secret-value\n${plantedEnvironment()}`,
    });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    expect(run.outputs['previous-task-definition-arn']).toBe(taskDefinitionArn);
    expect(run.outputs['task-definition-arn']).toMatch(/task-definition\/shop:2$/);
    expect(run.outputs['deployment-id']).toMatch(/^ecs-svc\/\d+$/);
    expect(Number(run.outputs['duration-seconds'])).toBeGreaterThan(0);
    const live = await describe(sandbox, cluster, service);
    expect(live.taskDefinition).toBe(run.outputs['task-definition-arn']);
    expect(live.deployments).toHaveLength(1);
    expect(await revisions('shop')).toHaveLength(2);
    // The diff names what changed but never prints a variable's value.
    expect(run.log).toContain(`image ${image} → ${next}`);
    expect(run.log).toContain('environment +API_TOKEN +DATABASE_URL +FEATURE_FLAG +SESSION_TOKEN');
    // The credential is masked for the runner; the sweep of every run proves no other line shows it.
    expect(run.log).toContain('::add-mask::hunter2-secret-value');
    expect(run.summary).not.toContain('hunter2-secret-value');
    expect(run.summary).toContain('succeeded');
    expect(run.summary).toContain('shop:1 → shop:2');
    // The service's stopped tasks are listed before UpdateService creates the deployment: the watcher never describes those.
    const operations = sandbox.calls.slice(callsBefore).map((call) => call.operation);
    expect(operations.indexOf('ListTasks')).toBeGreaterThanOrEqual(0);
    expect(operations.indexOf('ListTasks')).toBeLessThan(operations.indexOf('UpdateService'));
  });

  test('an unchanged definition registers and deploys nothing', async () => {
    const image = `${REGISTRY}/docs:v1`;
    const { cluster, service, taskDefinitionArn } = await createService(sandbox, { service: 'docs', image });
    const before = (await describe(sandbox, cluster, service)).deployments?.[0]?.id;

    const run = await deploy({ cluster, service, image });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    expect(run.outputs['task-definition-arn']).toBe(taskDefinitionArn);
    expect(run.outputs['deployment-id']).toBe('');
    expect(run.log).toContain('nothing to deploy');
    expect(await revisions('docs')).toHaveLength(1);
    expect((await describe(sandbox, cluster, service)).deployments?.map((d) => d.id)).toEqual([before]);
  });

  test('wait: false returns after UpdateService with status registered', async () => {
    const { cluster, service } = await createService(sandbox, { service: 'mail', image: `${REGISTRY}/mail:v1` });
    const run = await deploy({ cluster, service, image: `${REGISTRY}/mail:v2`, wait: 'false' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('registered');
    expect(run.outputs['deployment-id']).toMatch(/^ecs-svc\//);
  });

  test('a task-definition file is rendered, deployed and its container checked', async () => {
    const { cluster, service } = await createService(sandbox, { service: 'api', image: `${REGISTRY}/api:v1` });
    const dir = mkdtempSync(join(tmpdir(), 'td-'));
    const file = join(dir, 'task-definition.json');
    writeFileSync(
      file,
      JSON.stringify({
        family: 'api',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '512',
        memory: '1024',
        containerDefinitions: [{ name: 'api', image: 'placeholder', essential: true, portMappings: [{ containerPort: 8080 }] }],
      }),
    );
    const run = await runBundledAction(
      'deploy-ecs',
      { cluster, service, 'task-definition': 'task-definition.json', image: `${REGISTRY}/api:v2` },
      { env: sandbox.env(), cwd: dir },
    );
    expect(run.exitCode).toBe(0);
    expect(run.log).toContain('task cpu: 256 → 512');
    expect((await describe(sandbox, cluster, service)).taskDefinition).toMatch(/api:2$/);
  });

  test('it keeps working when a third of the calls are throttled', async () => {
    const { cluster, service } = await createService(sandbox, { service: 'billing', image: `${REGISTRY}/billing:v1` });
    sandbox.setFaults({ throttleRate: 0.3 });
    try {
      const run = await deploy({ cluster, service, image: `${REGISTRY}/billing:v2` });
      expect(run.exitCode).toBe(0);
      expect(run.outputs.status).toBe('succeeded');
      expect(sandbox.calls.some((call) => call.fault === 'throttle')).toBe(true);
    } finally {
      sandbox.setFaults(undefined);
    }
  });
});

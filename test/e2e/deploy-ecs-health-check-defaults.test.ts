import { describe as group, expect, test } from '@jest/globals';
import { ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBundledAction } from '../support/run-action';
import { createService, describe, ecsClient, REGISTRY } from '../support/ecs-fixtures';
import { useSandbox } from '../support/use-sandbox';

// The health check's first run is one default interval (30 s) after start: scale it to under a second.
const sandbox = useSandbox({ timeScale: 0.03 });

group('deploy-ecs with a health check that leaves ECS its defaults', () => {
  test('deploying the same file twice registers nothing and updates nothing the second time', async () => {
    const image = `${REGISTRY}/ledger:v1`;
    const { cluster, service } = await createService(sandbox, { service: 'ledger', image });
    const dir = mkdtempSync(join(tmpdir(), 'td-'));
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
          {
            name: 'ledger',
            image: 'placeholder',
            portMappings: [{ containerPort: 8080 }],
            // Only the command: ECS fills in interval, timeout and retries and returns them.
            healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'] },
          },
        ],
      }),
    );
    const deploy = () =>
      runBundledAction(
        'deploy-ecs',
        { cluster, service, 'task-definition': 'task-definition.json', image },
        { env: sandbox.env(), cwd: dir },
      );

    const first = await deploy();
    expect(first.exitCode).toBe(0);
    expect(first.outputs.status).toBe('succeeded');
    const deployed = first.outputs['task-definition-arn'];
    expect(deployed).toMatch(/ledger:2$/);

    const callsBefore = sandbox.calls.length;
    const second = await deploy();
    const calls = sandbox.calls.slice(callsBefore).map((call) => call.operation);

    expect(second.exitCode).toBe(0);
    expect(second.outputs['task-definition-arn']).toBe(deployed);
    expect(second.log).toContain('nothing to deploy');
    expect(calls).not.toContain('RegisterTaskDefinition');
    expect(calls).not.toContain('UpdateService');
    const listed = await ecsClient(sandbox).send(new ListTaskDefinitionsCommand({ familyPrefix: 'ledger' }));
    expect(listed.taskDefinitionArns).toHaveLength(2);
    expect((await describe(sandbox, cluster, service)).deployments).toHaveLength(1);
  });
});

/**
 * The cost of the pre-flight checks of secrets (they exist; the execution role may read them; the roles exist and trust ECS): deploy-ecs of a 3-container revision whose secrets come from both SSM
 * Parameter Store and Secrets Manager (a JSON key, a version stage), from the run's first AWS call to its first
 * mutating one (the whole pre-flight, every check of it at once), and the AWS calls made before that, listed.
 * Registered in run.ts as `secrets`.
 */
import { DescribeTaskDefinitionCommand, type ContainerDefinition } from '@aws-sdk/client-ecs';
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createService, ecsClient, REGISTRY } from '../support/ecs-fixtures';
import { isMutating } from '../e2e/bad-input/case';
import { runBundledAction } from '../support/run-action';
import { clientConfig, startSandbox } from '../support/sandbox-harness';
import { SECRETS_READER, secretsReaderRole } from '../support/secret-roles';
import { formatRow } from './stats';

export async function secretsPreflightBench(runs: number): Promise<string[]> {
  // The revision's execution role may read its secrets, as ECS needs (the default ecsTaskExecutionRole may not).
  const sandbox = await startSandbox({ timeScale: 0.2, seed: { roles: [secretsReaderRole()] } });
  const spans: number[] = [];
  const counts: number[] = [];
  let listed: string[] = [];
  try {
    const ssm = new SSMClient(clientConfig(sandbox));
    for (const name of ['/bench/db-url', '/bench/cache-url', '/bench/queue-url'])
      await ssm.send(new PutParameterCommand({ Name: name, Value: `value of ${name}`, Type: 'SecureString' }));
    const manager = new SecretsManagerClient(clientConfig(sandbox));
    const db = (await manager.send(new CreateSecretCommand({ Name: 'bench/db', SecretString: '{"password":"one"}' }))).ARN as string;
    await manager.send(new PutSecretValueCommand({ SecretId: db, SecretString: '{"password":"two"}' }));
    const api = (await manager.send(new CreateSecretCommand({ Name: 'bench/api', SecretString: 'token' }))).ARN as string;

    const { cluster, service } = await createService(sandbox, {
      service: 'bench-secrets',
      executionRole: SECRETS_READER,
      image: `${REGISTRY}/bench-secrets:v1`,
      desiredCount: 1,
    });
    const described = await ecsClient(sandbox).send(new DescribeTaskDefinitionCommand({ taskDefinition: service }));
    const base = described.taskDefinition as Record<string, unknown> & { containerDefinitions: ContainerDefinition[] };
    const [app] = base.containerDefinitions;
    const containers: ContainerDefinition[] = [
      {
        ...app,
        secrets: [
          { name: 'DATABASE_URL', valueFrom: '/bench/db-url' },
          { name: 'DB_PASSWORD', valueFrom: `${db}:password::` },
        ],
      },
      {
        name: 'worker',
        image: `${REGISTRY}/bench-secrets:v1`,
        essential: true,
        secrets: [
          { name: 'QUEUE_URL', valueFrom: '/bench/queue-url' },
          { name: 'OLD_PASSWORD', valueFrom: `${db}:password:AWSPREVIOUS:` },
        ],
      },
      {
        name: 'sidecar',
        image: `${REGISTRY}/bench-secrets:v1`,
        essential: false,
        secrets: [
          { name: 'CACHE_URL', valueFrom: `arn:aws:ssm:${sandbox.region}:${sandbox.accountId}:parameter/bench/cache-url` },
          { name: 'API_TOKEN', valueFrom: api },
        ],
      },
    ];
    const file = join(mkdtempSync(join(tmpdir(), 'bench-secrets-')), 'revision.json');
    writeFileSync(file, JSON.stringify({ ...base, containerDefinitions: containers }));

    for (let i = 0; i < runs; i++) {
      const callsBefore = sandbox.calls.length;
      // A variable of its own each run, so each registers a new revision (the first mutating call ends the pre-flight).
      const run = await runBundledAction(
        'deploy-ecs',
        { cluster, service, 'task-definition': file, container: service, environment: `BENCH_RUN=${i}`, wait: 'false' },
        { env: sandbox.env() },
      );
      if (
        run.outputs.status !== 'registered' ||
        !/pass {2}Secrets exist/.test(run.log) ||
        !/pass {2}Roles exist and trust ECS/.test(run.log) ||
        !/pass {2}Execution role may read the secrets/.test(run.log)
      )
        throw new Error(`the deploy of the revision with secrets ended ${run.outputs.status}:\n${run.log}`);
      const made = sandbox.calls.slice(callsBefore);
      const firstMutating = made.findIndex((call) => isMutating(call.operation));
      if (firstMutating < 0) throw new Error(`no mutating call in: ${made.map((call) => call.operation).join(', ')}\n${run.log}`);
      const preflight = made.slice(0, firstMutating);
      spans.push(made[firstMutating].at - made[0].at);
      counts.push(preflight.length);
      listed = preflight.map((call) => `${call.service}:${call.operation}`);
    }
  } finally {
    await sandbox.stop();
  }
  const tally = new Map<string, number>();
  for (const call of listed) tally.set(call, (tally.get(call) ?? 0) + 1);
  return [
    formatRow('deploy-ecs: pre-flight of a 3-container revision with secrets', spans, 'ms', 1000),
    formatRow('deploy-ecs: AWS calls of that pre-flight', counts, 'calls'),
    `  calls of the last run: ${[...tally].map(([call, n]) => (n > 1 ? `${call} ×${n}` : call)).join(', ')}`,
  ];
}

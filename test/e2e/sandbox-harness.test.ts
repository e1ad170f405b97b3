import { describe, expect, test } from '@jest/globals';
import { CreateClusterCommand, ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import pg from 'pg';
import { clientConfig, startSandbox } from '../support/sandbox-harness';
import { useSandbox } from '../support/use-sandbox';

describe('useSandbox', () => {
  const sandbox = useSandbox({ timeScale: 0.2 });

  test('hands out the started sandbox: its API answers through the shared client settings', async () => {
    const ecs = new ECSClient(clientConfig(sandbox));
    await ecs.send(new CreateClusterCommand({ clusterName: 'harness' }));
    expect((await ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([
      `arn:aws:ecs:${sandbox.region}:${sandbox.accountId}:cluster/harness`,
    ]);
  });

  test('env() is what a child process needs to reach it', () => {
    expect(sandbox.env()).toMatchObject({ AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: sandbox.region });
    expect(sandbox.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test('a database it was not asked for is refused by name', () => {
    expect(() => sandbox.database).toThrow('this sandbox was started without a database');
  });
});

test('startSandbox with a database: the database answers until stop(), which stops both and may be called twice', async () => {
  const handle = await startSandbox({ timeScale: 0.2, database: { migrations: 0 } });
  const client = new pg.Client({ connectionString: handle.database.url });
  await client.connect();
  expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  await client.end();
  await Promise.all([handle.stop(), handle.stop()]);
  await expect(fetch(`${handle.endpoint}/`)).rejects.toThrow();
  const after = new pg.Client({ connectionString: handle.database.url, connectionTimeoutMillis: 2_000 });
  await expect(after.connect()).rejects.toThrow();
});

import { afterAll, beforeAll, describe as group, expect, test } from '@jest/globals';
import { start, type Sandbox } from '@ecs-deploy/sandbox';
import { createService, REGISTRY } from '../support/ecs-fixtures';
import { errorsOf, runBundledAction } from '../support/run-action';

// verify-health with cluster + service and no url: a worker (no HTTP endpoint) is judged on ECS alone. A crash-looping
// worker looks steady between its crashes: its deployment stays COMPLETED and ECS starts a replacement each time, so
// runningCount equals desiredCount in most rounds. Its stopped tasks are what tell.
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await start({ timeScale: 0.1 });
});
afterAll(async () => {
  await sandbox?.stop();
});

const verify = (inputs: Record<string, string>) =>
  runBundledAction('verify-health', { interval: '0.2s', timeout: '30s', ...inputs }, { env: sandbox.env() });

group('verify-health without a url', () => {
  test('a healthy worker: steady on its revision, no task crashed, healthy on the AWS signals alone', async () => {
    const { cluster, service, taskDefinitionArn } = await createService(sandbox, { service: 'mailer', image: `${REGISTRY}/mailer:v1` });

    const run = await verify({ cluster, service, 'task-definition': taskDefinitionArn, bake: '2s' });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.healthy).toBe('true');
    // Nothing was probed over HTTP.
    expect(run.outputs.checks).toBe('0');
    expect(run.log).toContain('Checking service mailer on ECS alone (no url: steady, no task crashing, its targets healthy)');
    expect(run.log).toMatch(
      /✅ Healthy [\d.]+m?s in: 3 passing rounds in a row on the AWS signals alone \(no URL\)\. It stayed healthy through the 2s bake\./,
    );
    expect(run.summary).toContain('| tasks of service mailer | ok | no task of mailer:1 crashed since the check began |');
    expect(run.summary).toMatch(/\| service mailer \| ok \| steady on mailer:1/);
  });

  test('a crash-looping worker that looks steady between crashes: health is won, then lost at the first crash, naming the task', async () => {
    // Each task runs 150 s of sandbox time (15 s here, room for a loaded machine to create the service), exits 1 and
    // is replaced. The deployment completed once the first
    // tasks ran, so the service reads COMPLETED with its desired count running in most rounds: only a stopped task
    // shows the crash loop.
    sandbox.script(`${REGISTRY}/indexer:v1`, { kind: 'exit', exitCode: 1, afterMs: 150_000, logs: ['indexer: cannot open queue'] });
    const { cluster, service, taskDefinitionArn } = await createService(sandbox, { service: 'indexer', image: `${REGISTRY}/indexer:v1` });

    const run = await verify({ cluster, service, 'task-definition': taskDefinitionArn, bake: '40s' });

    expect(run.exitCode).toBe(1);
    expect(run.outputs.healthy).toBe('false');
    expect(errorsOf(run)).toEqual([
      expect.stringMatching(
        /^Health was won [\d.]+m?s in but lost [\d.]+m?s in, during the 40s bake, because a task crashed: .*tasks of service indexer: task [0-9a-f]+ of indexer:1 crashed: essential container "indexer" exited with code 1/,
      ),
    ]);
    // Steady by ECS's counts when health was won: the service signal alone passed.
    expect(run.log).toMatch(/✓ round 3 .*/);
    expect(run.summary).toMatch(
      /\| tasks of service indexer \| failing \| task [0-9a-f]+ of indexer:1 crashed: essential container "indexer" exited with code 1/,
    );
  });
});

import { beforeAll, describe as group, expect, test } from '@jest/globals';
import { ListTasksCommand } from '@aws-sdk/client-ecs';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorsOf, runBundledAction } from '../support/run-action';
import { createService, ecsClient, REGISTRY } from '../support/ecs-fixtures';
import { expectRefused, mutatingCalls } from '../support/bad-input';
import { useSandbox } from '../support/use-sandbox';
import { endToEnd } from './bad-input/case';
import { deployEcsBadInputs } from './bad-input/deploy-ecs.cases';

// A sandbox of its own: nothing else moves in it, so any change to its state is the action's doing.
const sandbox = useSandbox({ timeScale: 0.2 });

const deploy = (inputs: Record<string, string>) => runBundledAction('deploy-ecs', inputs, { env: sandbox.env() });

group('deploy-ecs refuses bad input before changing anything', () => {
  let workdir: string;

  beforeAll(async () => {
    await createService(sandbox, {
      service: 'multi',
      image: `${REGISTRY}/multi:v1`,
      containers: [
        { name: 'app', image: `${REGISTRY}/multi:v1`, essential: true },
        { name: 'proxy', image: `${REGISTRY}/proxy:v1`, essential: true },
      ],
    });
    workdir = mkdtempSync(join(tmpdir(), 'bad-'));
    writeFileSync(join(workdir, 'broken.json'), '{ "family": "multi", ');
    writeFileSync(join(workdir, 'not-a-task-definition.json'), '{ "hello": "world" }');
    writeFileSync(join(workdir, 'array.json'), '[{ "family": "multi" }]');
    mkdirSync(join(workdir, 'definitions'));
  });

  // The matrix's rows only a run can refuse, and a few the parser refuses, through the bundled action.
  test.each(endToEnd(deployEcsBadInputs).map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const before = JSON.stringify(sandbox.snapshot());
    const callsBefore = sandbox.calls.length;
    const run = await runBundledAction('deploy-ecs', row.inputs, { env: { ...sandbox.env(), ...row.env }, cwd: workdir });
    expectRefused(run, row, sandbox.calls.slice(callsBefore));
    expect(JSON.stringify(sandbox.snapshot())).toBe(before);
    expect(run.outputs.status).toBeUndefined();
  });

  test('an EXTERNAL service is refused as not supported yet, with nothing changed', async () => {
    const bg = await createService(sandbox, { service: 'external', image: `${REGISTRY}/bg:v1`, controller: 'EXTERNAL' });
    const before = JSON.stringify(sandbox.snapshot());
    const callsBefore = sandbox.calls.length;
    const run = await deploy({ cluster: bg.cluster, service: bg.service, image: `${REGISTRY}/bg:v2` });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]).toMatch(/EXTERNAL deployment controller, which this action does not support yet.*Nothing was changed/);
    expect(JSON.stringify(sandbox.snapshot())).toBe(before);
    expect(mutatingCalls(sandbox.calls.slice(callsBefore))).toEqual([]);
    const tasks = await ecsClient(sandbox).send(new ListTasksCommand({ cluster: bg.cluster, startedBy: 'nobody' }));
    expect(tasks.taskArns ?? []).toHaveLength(0);
  });

  // Valid but surprising: accepted, with the runner's warning annotation saying what it means. Last: it deploys.
  test('an image without a tag is deployed as :latest, with a warning saying so', async () => {
    const run = await deploy({ cluster: 'prod', service: 'multi', container: 'app', image: `${REGISTRY}/multi`, wait: 'false' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('registered');
    expect(run.lines.filter((line) => line.text.startsWith('::warning'))).toEqual([
      expect.objectContaining({
        text: expect.stringMatching(/^::warning::Input 'image' is ".*\/multi" without a tag or digest, which means .*\/multi:latest/),
      }),
    ]);
  });
});

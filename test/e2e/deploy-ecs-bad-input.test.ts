import { beforeAll, describe as group, expect, test } from '@jest/globals';
import { ListTasksCommand } from '@aws-sdk/client-ecs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorsOf, runBundledAction } from '../support/run-action';
import { createService, ecsClient, REGISTRY } from '../support/ecs-fixtures';
import { useSandbox } from '../support/use-sandbox';

// A sandbox of its own: nothing else moves in it, so any change to its state is the action's doing.
const sandbox = useSandbox({ timeScale: 0.2 });

const deploy = (inputs: Record<string, string>) => runBundledAction('deploy-ecs', inputs, { env: sandbox.env() });

group('deploy-ecs refuses bad input before changing anything', () => {
  let cluster: string;
  let service: string;
  let workdir: string;

  beforeAll(async () => {
    ({ cluster, service } = await createService(sandbox, {
      service: 'multi',
      image: `${REGISTRY}/multi:v1`,
      containers: [
        { name: 'app', image: `${REGISTRY}/multi:v1`, essential: true },
        { name: 'proxy', image: `${REGISTRY}/proxy:v1`, essential: true },
      ],
    }));
    workdir = mkdtempSync(join(tmpdir(), 'bad-'));
    writeFileSync(join(workdir, 'broken.json'), '{ "family": "multi", ');
    writeFileSync(join(workdir, 'not-a-task-definition.json'), '{ "hello": "world" }');
  });

  const cases: [string, () => Record<string, string>, RegExp][] = [
    ['no cluster', () => ({ service, image: 'x:1' }), /^Input 'cluster' is required/],
    ['an unknown container', () => ({ cluster, service, container: 'web', image: 'x:1' }), /Input 'container' names "web".*"app", "proxy"/],
    ['an ambiguous container', () => ({ cluster, service, image: 'x:1' }), /Input 'container' is required because .* "app", "proxy"/],
    [
      'a missing task-definition file',
      () => ({ cluster, service, 'task-definition': 'nope.json' }),
      /Input 'task-definition' names the file "nope.json", which does not exist/,
    ],
    [
      'a task-definition file that is not JSON',
      () => ({ cluster, service, 'task-definition': 'broken.json' }),
      /Input 'task-definition': the file "broken.json" is not valid JSON/,
    ],
    [
      'JSON that is not a task definition',
      () => ({ cluster, service, 'task-definition': 'not-a-task-definition.json' }),
      /not a task definition/,
    ],
    [
      'a service that does not exist',
      () => ({ cluster, service: 'ghost', image: 'x:1', container: 'app' }),
      /Input 'service': there is no active service "ghost" in cluster "prod"/,
    ],
    [
      'a cluster that does not exist',
      () => ({ cluster: 'nowhere', service, image: 'x:1', container: 'app' }),
      /Input 'cluster': there is no cluster "nowhere"/,
    ],
    [
      'a malformed duration',
      () => ({ cluster, service, image: 'x:1', container: 'app', timeout: '10 minutes' }),
      /Input 'timeout' must be a duration such as 90s, 15m, 1h/,
    ],
    [
      'a malformed boolean',
      () => ({ cluster, service, image: 'x:1', container: 'app', wait: 'yes' }),
      /Input 'wait' must be true or false; got "yes"/,
    ],
    [
      'a negative desired count',
      () => ({ cluster, service, image: 'x:1', container: 'app', 'desired-count': '-1' }),
      /Input 'desired-count' must be a whole number of at least 0/,
    ],
    [
      'a bad environment line',
      () => ({ cluster, service, image: 'x:1', container: 'app', environment: 'just text' }),
      /Input 'environment' must hold KEY=VALUE lines/,
    ],
  ];

  test.each(cases)('%s', async (_name, inputs, expected) => {
    const before = JSON.stringify(sandbox.snapshot());
    const run = await runBundledAction('deploy-ecs', inputs(), { env: sandbox.env(), cwd: workdir });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([expect.stringMatching(expected)]);
    expect(JSON.stringify(sandbox.snapshot())).toBe(before);
    expect(run.outputs.status).toBeUndefined();
  });

  test('a CODE_DEPLOY service is refused as not supported yet, with nothing changed', async () => {
    const bg = await createService(sandbox, { service: 'bluegreen', image: `${REGISTRY}/bg:v1`, controller: 'CODE_DEPLOY' });
    const before = JSON.stringify(sandbox.snapshot());
    const run = await deploy({ cluster: bg.cluster, service: bg.service, image: `${REGISTRY}/bg:v2` });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]).toMatch(/CODE_DEPLOY deployment controller, which this action does not support yet.*Nothing was changed/);
    expect(JSON.stringify(sandbox.snapshot())).toBe(before);
    const tasks = await ecsClient(sandbox).send(new ListTasksCommand({ cluster: bg.cluster, startedBy: 'nobody' }));
    expect(tasks.taskArns ?? []).toHaveLength(0);
  });
});

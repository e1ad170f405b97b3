import { beforeAll, describe as group, expect, test } from '@jest/globals';
import { DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mutatingCalls } from '../support/bad-input';
import { createService, ecsClient, REGISTRY } from '../support/ecs-fixtures';
import { errorsOf, runBundledAction, type ActionRun } from '../support/run-action';
import { useSandbox } from '../support/use-sandbox';

// The file-fields pre-flight check through the bundled actions: a task-definition file whose keys
// RegisterTaskDefinition does not take is refused before any revision is registered or task started, and with
// `preflight: warn` the step goes on, warning, without those keys.

const sandbox = useSandbox({ timeScale: 0.2 });

const revisions = async (family: string) =>
  (await ecsClient(sandbox).send(new ListTaskDefinitionsCommand({ familyPrefix: family }))).taskDefinitionArns ?? [];

/** The service's live revision as `aws ecs describe-task-definition --include TAGS` prints it, with extra keys. */
async function savedFile(dir: string, name: string, family: string, extra: Record<string, unknown> = {}): Promise<string> {
  const described = await ecsClient(sandbox).send(new DescribeTaskDefinitionCommand({ taskDefinition: family, include: ['TAGS'] }));
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ taskDefinition: { ...described.taskDefinition, ...extra }, tags: described.tags ?? [] }, null, 2));
  return path;
}

const MISPLACED = { Cpu: '512', enableExecuteCommand: true };

/** The properties of an annotation line (`::error file=…,line=…,title=…::`), decoded as the runner reads them. */
function annotation(run: ActionRun, kind: 'error' | 'warning'): Record<string, string> | undefined {
  const text = run.lines.map((line) => line.text).find((line) => line.startsWith(`::${kind}`));
  const properties = text === undefined ? undefined : new RegExp(`^::${kind}(?: ([^:]*))?::`).exec(text)?.[1];
  if (properties === undefined) return text === undefined ? undefined : {};
  const decode = (value: string) => value.replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%0A/g, '\n').replace(/%25/g, '%');
  return Object.fromEntries(
    properties.split(',').map((pair) => [pair.slice(0, pair.indexOf('=')), decode(pair.slice(pair.indexOf('=') + 1))]),
  );
}

/** The 1-based line of the file that holds `text`. */
const lineOf = (file: string, text: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(text)) + 1;

group('deploy-ecs judges every key of its task-definition file', () => {
  let dir: string;

  beforeAll(async () => {
    await createService(sandbox, { service: 'web', image: `${REGISTRY}/web:v1`, desiredCount: 1 });
    dir = mkdtempSync(join(tmpdir(), 'fields-'));
  });

  test('a file with Cpu and enableExecuteCommand fails before any revision is registered, naming both', async () => {
    const file = await savedFile(dir, 'misplaced.json', 'web', MISPLACED);
    const before = await revisions('web');
    const callsBefore = sandbox.calls.length;

    const run = await runBundledAction(
      'deploy-ecs',
      { cluster: 'prod', service: 'web', 'task-definition': file, image: `${REGISTRY}/web:v2` },
      {
        env: sandbox.env(),
      },
    );

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      `Input 'task-definition': the file "${file}" has 2 fields RegisterTaskDefinition does not take, which would be dropped without a word: ` +
        "taskDefinition.Cpu: did you mean cpu?; taskDefinition.enableExecuteCommand is a service setting: give it as this step's 'enable-execute-command' input, not in the task definition. " +
        "Correct the file (with 'preflight: warn' the step goes on without them). Nothing was changed.",
    ]);
    // The file is judged before any AWS call: not even the service was described.
    expect(sandbox.calls.slice(callsBefore)).toEqual([]);
    expect(await revisions('web')).toEqual(before);
    expect(run.summary).toMatch(/❌ fail \| Task definition fields are known \| `task-definition`/);
    // The annotation is on the line of the first key the check refused, so the file shows it where it is wrong.
    expect(lineOf(file, '"Cpu"')).toBeGreaterThan(1);
    expect(annotation(run, 'error')).toEqual({ title: 'Task definition fields are known', file, line: String(lineOf(file, '"Cpu"')) });
  });

  test('a file that is not valid JSON: the annotation is on the line JSON.parse stopped at', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{\n  "family": "web",\n  "cpu": "256"\n  "memory": "512",\n  "containerDefinitions": []\n}\n');
    const callsBefore = sandbox.calls.length;

    const run = await runBundledAction(
      'deploy-ecs',
      { cluster: 'prod', service: 'web', 'task-definition': file, image: `${REGISTRY}/web:v2` },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      expect.stringMatching(new RegExp(`^Input 'task-definition': the file "${file}" is not valid JSON \\(`)),
    ]);
    expect(annotation(run, 'error')).toEqual({ title: 'Task definition file is not valid JSON', file, line: '4' });
    expect(mutatingCalls(sandbox.calls.slice(callsBefore))).toEqual([]);
  });

  test("with preflight 'warn' the same file is a warning and the revision registered carries none of those keys", async () => {
    const file = await savedFile(dir, 'misplaced-warn.json', 'web', MISPLACED);
    const before = await revisions('web');

    const run = await runBundledAction(
      'deploy-ecs',
      { cluster: 'prod', service: 'web', 'task-definition': file, image: `${REGISTRY}/web:v3`, preflight: 'warn', wait: 'false' },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('registered');
    expect(run.lines.map((line) => line.text)).toContainEqual(
      expect.stringMatching(
        /^::warning [^:]*::Task definition fields are known: Input 'task-definition': .* taskDefinition\.Cpu: did you mean cpu\?/,
      ),
    );
    expect(annotation(run, 'warning')).toEqual({ title: 'Task definition fields are known', file, line: String(lineOf(file, '"Cpu"')) });
    expect(await revisions('web')).toHaveLength(before.length + 1);
    const registered = await ecsClient(sandbox).send(
      new DescribeTaskDefinitionCommand({ taskDefinition: run.outputs['task-definition-arn'] }),
    );
    // The file's own cpu stays: the capitalised Cpu never reached RegisterTaskDefinition.
    expect(registered.taskDefinition?.cpu).toBe('256');
    expect(registered.taskDefinition?.containerDefinitions?.[0].image).toBe(`${REGISTRY}/web:v3`);
  });

  test('a file saved from describe-task-definition (wrapper, tags, read-only fields) passes the check and deploys', async () => {
    const file = await savedFile(dir, 'described.json', 'web');

    const run = await runBundledAction(
      'deploy-ecs',
      { cluster: 'prod', service: 'web', 'task-definition': file, image: `${REGISTRY}/web:v4`, wait: 'false' },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(0);
    expect(run.log).toMatch(
      /pass {2}Task definition fields are known +every field of ".*described\.json" is one RegisterTaskDefinition takes/,
    );
    expect(run.outputs.status).toBe('registered');
  });
});

group('run-migration judges every key of its task-definition file', () => {
  beforeAll(async () => {
    await createService(sandbox, { service: 'orders', image: `${REGISTRY}/orders:v1`, desiredCount: 1 });
  });

  test('a file with a capitalised container key is refused before any revision is registered or task started', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fields-'));
    const file = await savedFile(dir, 'migrate.json', 'orders');
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    saved.taskDefinition.containerDefinitions[0].Command = ['migrate'];
    writeFileSync(file, JSON.stringify(saved));
    const before = await revisions('orders');
    const callsBefore = sandbox.calls.length;

    const run = await runBundledAction(
      'run-migration',
      { cluster: 'prod', service: 'orders', 'task-definition': file, image: `${REGISTRY}/orders:v2` },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]).toContain('taskDefinition.containerDefinitions[0].Command: did you mean command?');
    expect(errorsOf(run)[0]).toMatch(/^Input 'task-definition':/);
    expect(mutatingCalls(sandbox.calls.slice(callsBefore))).toEqual([]);
    expect(sandbox.calls.slice(callsBefore).map((call) => call.operation)).not.toContain('RunTask');
    expect(await revisions('orders')).toEqual(before);
  });
});

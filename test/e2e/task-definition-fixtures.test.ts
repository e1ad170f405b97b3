import { beforeAll, describe as group, expect, test } from '@jest/globals';
import { DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { mutatingCalls } from '../support/bad-input';
import { createService, ecsClient, REGISTRY } from '../support/ecs-fixtures';
import { errorsOf, runBundledAction } from '../support/run-action';
import {
  expectedRequest,
  expectedStored,
  familyOf,
  fixturePath,
  FIXTURES,
  type FixtureExpectation,
} from '../support/task-definition-fixtures';
import { useSandbox } from '../support/use-sandbox';

// A handful of the task-definition fixtures (test/fixtures/task-definitions) through the bundled deploy-ecs as the
// runner runs it, against the sandbox over HTTP: each registered one is the revision the service is updated to, with
// every field of the file (DescribeTaskDefinition), and each refused one fails the step naming the field, with no
// revision registered and nothing changed. The contract test takes every fixture through the same path in-process.

// The log group the described fixture writes to: the log-groups-exist check looks for it.
const sandbox = useSandbox({ timeScale: 0.2, seed: { logGroups: ['/ecs/storefront'] } });
const IMAGE = `${REGISTRY}/web:fixture-7`;

const fixture = (file: string): FixtureExpectation => {
  const found = FIXTURES.find((entry) => entry.file === file);
  if (!found) throw new Error(`no expectation for ${file}`);
  return found;
};
const revisions = async (family: string) =>
  (await ecsClient(sandbox).send(new ListTaskDefinitionsCommand({ familyPrefix: family }))).taskDefinitionArns ?? [];

function deploy(entry: FixtureExpectation, extra: Record<string, string> = {}) {
  const inputs: Record<string, string> = {
    cluster: 'prod',
    service: 'web',
    'task-definition': fixturePath(entry.file),
    image: IMAGE,
    wait: 'false',
    ...(entry.container ? { container: entry.container } : {}),
    ...extra,
  };
  return runBundledAction('deploy-ecs', inputs, { env: sandbox.env() });
}

beforeAll(async () => {
  await createService(sandbox, { service: 'web', image: `${REGISTRY}/web:v1`, desiredCount: 1 });
});

group('fixtures deploy-ecs registers with every field intact', () => {
  // All their images are ECR's (the sandbox answers for every account) or replaced by the step's image, so the
  // pre-flight checks run in full and ask nothing of the network.
  const withChecks = ['fargate-efs-access-point.json', 'placeholder-shell-image.json'];
  // Sidecars from public registries: the images check would ask those registries over the network, so the step runs
  // with `preflight: false`. Registration is the same path either way.
  // And two whose secrets the sandbox's SSM does not hold, which the secrets check would refuse.
  const withoutChecks = ['fargate-appmesh-envoy.json', 'described-fargate-with-tags.json', 'fargate-init-container.json'];

  test.each([...withChecks.map((file) => [file, {}] as const), ...withoutChecks.map((file) => [file, { preflight: 'false' }] as const)])(
    '%s',
    async (file, extra) => {
      const entry = fixture(file);
      const run = await deploy(entry, extra);

      expect(run.exitCode).toBe(0);
      expect(run.outputs.status).toBe('registered');
      const arn = run.outputs['task-definition-arn'];
      expect(arn).toMatch(new RegExp(`:task-definition/${familyOf(file)}:1$`));
      if (!('preflight' in extra)) expect(run.log).toMatch(/pass {2}Task definition fields are known/);
      const described = await ecsClient(sandbox).send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] }));
      const request = expectedRequest(file, IMAGE, entry.container);
      expect(described.taskDefinition).toMatchObject(expectedStored(request));
      // The file's tags, then the step's own (this run sets no GITHUB_* variables, so only the action's; see revision-tags.test.ts).
      expect(described.tags ?? []).toEqual([
        ...((request.tags as unknown[] | undefined) ?? []),
        { key: 'ecs-deploy-suite:action', value: 'deploy-ecs' },
      ]);
    },
  );
});

group('fixtures deploy-ecs refuses, naming the field', () => {
  test.each(['unknown-healthcheck-lowercase.json', 'shape-compose-environment-map.json', 'ecs-memory-reservations-above-task.json'])(
    '%s',
    async (file) => {
      const entry = fixture(file);
      if (!('refused' in entry)) throw new Error(`${file} is expected to register`);
      const callsBefore = sandbox.calls.length;

      const run = await deploy(entry);

      expect(run.exitCode).toBe(1);
      const [error] = errorsOf(run);
      for (const name of entry.refused.names) expect(error).toContain(name);
      expect(await revisions(familyOf(file))).toEqual([]);
      const calls = sandbox.calls.slice(callsBefore);
      if (entry.refused.by === 'file') {
        expect(error).toMatch(/^Input 'task-definition': /);
        expect(mutatingCalls(calls)).toEqual([]);
      } else {
        // ECS refused the registration: that call is the only mutating one tried, and the service was not updated.
        expect(mutatingCalls(calls)).toEqual(['ecs:RegisterTaskDefinition']);
      }
    },
  );

  // The contract test takes this file straight to RegisterTaskDefinition, which refuses the image; the whole step
  // refuses it sooner, in its images check, naming the container and saying what fills a placeholder.
  test('placeholder-sidecar-image.json is refused by the images check before anything is registered', async () => {
    const callsBefore = sandbox.calls.length;

    const run = await deploy(fixture('placeholder-sidecar-image.json'));

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      'container "agent" runs "${AGENT_IMAGE}", which is not an image reference: ${AGENT_IMAGE} is a placeholder nothing filled in. ' +
        "The step fills in only the image of the container it changes (its 'container' and 'image' inputs): write the other containers' images into the task definition, or fill the placeholder in an earlier step. " +
        'Nothing was changed.',
    ]);
    expect(mutatingCalls(sandbox.calls.slice(callsBefore))).toEqual([]);
    expect(await revisions('placeholder-sidecar-image')).toEqual([]);
  });
});

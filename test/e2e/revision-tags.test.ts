import { describe as group, expect, test } from '@jest/globals';
import {
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTagsForResourceCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
  type Tag,
} from '@aws-sdk/client-ecs';
import { mutatingCalls } from '../support/bad-input';
import { createService, ecsClient, REGISTRY } from '../support/ecs-fixtures';
import { errorsOf, runBundledAction } from '../support/run-action';
import { useSandbox } from '../support/use-sandbox';

// The tags on every revision the suite registers (which repository, commit and run), the tags input, and the rule
// that a revision is never registered only to change its tags, through the bundled actions against the sandbox.
const sandbox = useSandbox({ timeScale: 0.2 });
const ecs = () => ecsClient(sandbox);

const SHA_1 = '1111111111111111111111111111111111111111';
const SHA_2 = '2222222222222222222222222222222222222222';
const runOf = (sha: string, runId: string) => ({
  GITHUB_REPOSITORY: 'acme/shop',
  GITHUB_SHA: sha,
  GITHUB_RUN_ID: runId,
  GITHUB_WORKFLOW: 'Deploy',
});
const deploy = (inputs: Record<string, string>, env: Record<string, string> = runOf(SHA_1, '101')) =>
  runBundledAction('deploy-ecs', inputs, { env: { ...sandbox.env(), ...env } });
const migrate = (inputs: Record<string, string>, env: Record<string, string> = runOf(SHA_1, '101')) =>
  runBundledAction('run-migration', inputs, { env: { ...sandbox.env(), ...env } });
const operationsSince = (from: number) => sandbox.calls.slice(from).map((call) => call.operation);
const asMap = (tags: Tag[] | undefined) => Object.fromEntries((tags ?? []).map((tag) => [tag.key, tag.value]));
const describedTags = async (arn: string) =>
  asMap((await ecs().send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] }))).tags);

group('deploy-ecs tags the revision it registers', () => {
  test('with the repository, the commit, the run and the tags input, kept in DescribeTaskDefinition and ListTagsForResource', async () => {
    const { cluster, service, taskDefinitionArn } = await createService(sandbox, { service: 'tagged', image: `${REGISTRY}/tagged:v1` });
    // The live revision's own tags: a team tag is kept; an earlier run's commit is replaced.
    await ecs().send(
      new TagResourceCommand({
        resourceArn: taskDefinitionArn,
        tags: [
          { key: 'team', value: 'payments' },
          { key: 'github:commit', value: 'earlier' },
        ],
      }),
    );

    const run = await deploy({ cluster, service, image: `${REGISTRY}/tagged:v2`, tags: 'cost-centre=4711\nowner = web team' });

    expect(run.exitCode).toBe(0);
    const arn = run.outputs['task-definition-arn'];
    expect(arn).not.toBe(taskDefinitionArn);
    const expected = {
      team: 'payments',
      'ecs-deploy-suite:action': 'deploy-ecs',
      'github:repository': 'acme/shop',
      'github:commit': SHA_1,
      'github:workflow': 'Deploy',
      'github:run': 'https://github.com/acme/shop/actions/runs/101',
      'cost-centre': '4711',
      owner: 'web team',
    };
    expect(await describedTags(arn)).toEqual(expected);
    expect(asMap((await ecs().send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags)).toEqual(expected);
  });

  test("a re-run at a later commit on the same definition registers nothing, and says the revision keeps the first commit's tags", async () => {
    const { cluster, service } = await createService(sandbox, { service: 'kept', image: `${REGISTRY}/kept:v1` });
    const first = await deploy({ cluster, service, image: `${REGISTRY}/kept:v2` }, runOf(SHA_1, '201'));
    expect(first.exitCode).toBe(0);
    const callsBefore = sandbox.calls.length;

    const again = await deploy({ cluster, service, image: `${REGISTRY}/kept:v2` }, runOf(SHA_2, '202'));

    expect(again.exitCode).toBe(0);
    expect(again.outputs['task-definition-arn']).toBe(first.outputs['task-definition-arn']);
    expect(operationsSince(callsBefore)).not.toContain('RegisterTaskDefinition');
    expect(operationsSince(callsBefore)).not.toContain('TagResource');
    expect(again.log).toContain(
      `It keeps the tags it was registered with, of commit ${SHA_1}, not this run's (${SHA_2}): a revision is never registered only to change its tags.`,
    );
    expect((await describedTags(first.outputs['task-definition-arn']))['github:commit']).toBe(SHA_1);
  });

  test('an identical newest revision of the family is reused with its tags, whatever the tags input says', async () => {
    const { cluster, service, taskDefinitionArn } = await createService(sandbox, { service: 'newest', image: `${REGISTRY}/newest:v1` });
    const first = await deploy({ cluster, service, image: `${REGISTRY}/newest:v2`, wait: 'false' }, runOf(SHA_1, '301'));
    // Back on v1 by hand (as a rollback would), then the same v2 again, with another tag asked for.
    await runBundledAction('auto-rollback', { cluster, service, 'task-definition': taskDefinitionArn }, { env: sandbox.env() });
    const callsBefore = sandbox.calls.length;

    const again = await deploy(
      { cluster, service, image: `${REGISTRY}/newest:v2`, tags: 'release=second', wait: 'false' },
      runOf(SHA_2, '302'),
    );

    expect(again.exitCode).toBe(0);
    expect(again.outputs['task-definition-arn']).toBe(first.outputs['task-definition-arn']);
    expect(operationsSince(callsBefore)).not.toContain('RegisterTaskDefinition');
    expect(again.log).toContain(`Reusing identical revision newest:2; no revision registered.`);
    expect(again.log).toContain(`It keeps the tags it was registered with, of commit ${SHA_1}, not this run's (${SHA_2})`);
    expect(await describedTags(first.outputs['task-definition-arn'])).not.toHaveProperty('release');
  });

  test('deploy-ecs without a service tags the revision it registers too', async () => {
    const { taskDefinitionArn } = await createService(sandbox, { service: 'solo', image: `${REGISTRY}/solo:v1` });
    const { taskDefinition } = await ecs().send(new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }));
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const workdir = mkdtempSync(join(tmpdir(), 'tags-'));
    writeFileSync(
      join(workdir, 'cron.json'),
      JSON.stringify({ taskDefinition: { ...taskDefinition, family: 'cron' }, tags: [{ key: 'schedule', value: 'nightly' }] }),
    );

    const run = await runBundledAction(
      'deploy-ecs',
      { cluster: 'prod', 'task-definition': 'cron.json', tags: 'kind=report' },
      { env: { ...sandbox.env(), ...runOf(SHA_1, '401') }, cwd: workdir },
    );

    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('registered-only');
    expect(await describedTags(run.outputs['task-definition-arn'])).toMatchObject({
      schedule: 'nightly',
      kind: 'report',
      'github:commit': SHA_1,
    });
  });
});

group('run-migration tags the revision it registers and its task', () => {
  test('a new image: the revision and the task carry the run and the tags input', async () => {
    const { cluster, service } = await createService(sandbox, { service: 'orders', image: `${REGISTRY}/orders:v1` });
    sandbox.script(`${REGISTRY}/orders:v2`, { kind: 'exit', exitCode: 0, afterMs: 100, logs: ['migrated'] });

    const run = await migrate({ cluster, service, image: `${REGISTRY}/orders:v2`, command: 'migrate', tags: 'purpose=migration' });

    expect(run.exitCode).toBe(0);
    expect(await describedTags(run.outputs['task-definition-arn'])).toMatchObject({
      'ecs-deploy-suite:action': 'run-migration',
      'github:commit': SHA_1,
      'github:run': 'https://github.com/acme/shop/actions/runs/101',
      purpose: 'migration',
    });
    const { tasks } = await ecs().send(new DescribeTasksCommand({ cluster, tasks: [run.outputs['task-arn']], include: ['TAGS'] }));
    expect(asMap(tasks?.[0].tags)).toMatchObject({ 'github:commit': SHA_1, purpose: 'migration' });
  });
});

group('a bad tags line is refused before any AWS call, naming the line', () => {
  const rows: Array<[string, string, RegExp]> = [
    ['a line without =', 'team=web\nowner', /^Input 'tags' line 2 must be KEY=VALUE; got "owner", which has no =\.$/],
    [
      'a key beginning aws:',
      'AWS:team=web',
      /^Input 'tags' line 1 \(AWS:team\): the key starts with "AWS:", which AWS reserves for its own tags\.$/,
    ],
    [
      'a key longer than 128 characters',
      `${'k'.repeat(129)}=v`,
      /^Input 'tags' line 1 .*the key is 129 characters long, and ECS takes at most 128\.$/,
    ],
    [
      'a value longer than 256 characters',
      `note=${'v'.repeat(257)}`,
      /^Input 'tags' line 1 \(note\): the value is 257 characters long, and ECS takes at most 256\.$/,
    ],
    [
      'a character ECS does not take',
      'team=web&api',
      /^Input 'tags' line 1 \(team\): the value holds "&", which ECS does not take in a tag/,
    ],
    ['a key the step sets itself', 'github:commit=abc', /^Input 'tags' line 1 sets github:commit, which the step sets itself/],
    [
      'a key given twice',
      'team=a\n\nteam=b',
      /^Input 'tags' line 3 sets team again \(line 1\): ECS keeps one value a key\. Give it once\.$/,
    ],
    [
      "more tags than ECS takes with the step's",
      Array.from({ length: 44 }, (_, i) => `k${i}=v`).join('\n'),
      /^Input 'tags' has 44 tags; with the 7 the step sets itself that is more than the 50 ECS takes on a resource\. Give at most 43\.$/,
    ],
  ];
  test.each(rows)('%s', async (_name, tags, error) => {
    const callsBefore = sandbox.calls.length;
    const run = await deploy({ cluster: 'prod', service: 'tagged', image: `${REGISTRY}/tagged:v3`, tags });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([expect.stringMatching(error)]);
    expect(sandbox.calls.slice(callsBefore)).toEqual([]);
  });

  test('tags beside a registered revision as task-definition, which nothing would carry', async () => {
    const callsBefore = sandbox.calls.length;
    const run = await deploy({ cluster: 'prod', service: 'tagged', 'task-definition': 'tagged:1', tags: 'team=web' });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([expect.stringMatching(/nothing is registered to carry 'tags'/)]);
    expect(sandbox.calls.slice(callsBefore)).toEqual([]);
  });
});

group('the sandbox refuses tags as ECS does', () => {
  const register = (tags: Tag[]) =>
    ecs().send(
      new RegisterTaskDefinitionCommand({
        family: 'rules',
        containerDefinitions: [{ name: 'app', image: `${REGISTRY}/rules:v1`, memory: 128 }],
        tags,
      }),
    );
  const revisions = async () => (await ecs().send(new ListTaskDefinitionsCommand({ familyPrefix: 'rules' }))).taskDefinitionArns ?? [];

  test.each([
    ['a key beginning aws:', [{ key: 'aws:cloudformation:stack-name', value: 'x' }], /Tag key must not start with aws:/],
    ['51 tags', Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' })), /at most 50 tags/],
    ['a key of 129 characters', [{ key: 'k'.repeat(129), value: 'v' }], /longer than 128 characters/],
    ['a value with a character tags may not hold', [{ key: 'team', value: 'a&b' }], /character tags may not hold/],
  ])('%s: InvalidParameterException, nothing registered', async (_name, tags, message) => {
    const before = (await revisions()).length;
    await expect(register(tags)).rejects.toMatchObject({ name: 'InvalidParameterException', message: expect.stringMatching(message) });
    expect(await revisions()).toHaveLength(before);
  });

  test('a role without ecs:TagResource may not register a tagged revision (tag-on-create), and deploy-ecs says so before updating the service', async () => {
    const { cluster, service, taskDefinitionArn } = await createService(sandbox, {
      service: 'untaggable',
      image: `${REGISTRY}/untaggable:v1`,
    });
    const key = 'AKIANOTAGRESOURCE1';
    // Everything deploy-ecs calls but ecs:TagResource.
    const allowed = [
      'ecs:Describe*',
      'ecs:List*',
      'ecs:RegisterTaskDefinition',
      'ecs:UpdateService',
      'logs:*',
      'ecr:*',
      'ssm:*',
      'secretsmanager:*',
      'iam:PassRole',
    ];
    sandbox.setIamPolicy({ Statement: [{ Effect: 'Allow', Action: allowed, Resource: '*' }] }, key);
    try {
      const callsBefore = sandbox.calls.length;
      const run = await deploy(
        { cluster, service, image: `${REGISTRY}/untaggable:v2` },
        { ...runOf(SHA_1, '501'), AWS_ACCESS_KEY_ID: key },
      );
      expect(run.exitCode).toBe(1);
      expect(errorsOf(run).join('\n')).toMatch(/ecs:TagResource/);
      expect(mutatingCalls(sandbox.calls.slice(callsBefore))).toEqual(['ecs:RegisterTaskDefinition']);
      expect(operationsSince(callsBefore)).not.toContain('UpdateService');
      expect((await ecs().send(new ListTaskDefinitionsCommand({ familyPrefix: 'untaggable' }))).taskDefinitionArns).toEqual([
        taskDefinitionArn,
      ]);
    } finally {
      sandbox.setIamPolicy(undefined, key);
    }
  });
});

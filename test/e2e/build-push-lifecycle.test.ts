/** build-push's lifecycle inputs and policy file: a policy on the repository it creates, none on one that exists. */
import { describe, expect, test } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DescribeRepositoriesCommand,
  GetLifecyclePolicyCommand,
  LifecyclePolicyNotFoundException,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import { makeContext, newSha, runBuildPush, uniqueName } from '../support/build-push';
import { errorsOf, type ActionRun } from '../support/run-action';
import { useBuildWorld } from '../support/use-build-world';

const world = useBuildWorld();
const warnings = (run: ActionRun) => run.lines.filter((line) => line.text.startsWith('::warning')).map((line) => line.text);

describe('build-push lifecycle policy', () => {
  test('the repository it creates gets the policy the inputs ask for; an existing one is left alone, with a warning', async () => {
    const repository = uniqueName('lc');
    const workspace = makeContext({ 'a.txt': `lifecycle ${repository}` });
    const inputs = {
      repository,
      builder: 'classic',
      'create-repository': 'true',
      'lifecycle-keep-tagged': '30',
      'lifecycle-expire-untagged-days': '7',
    };

    const run = await runBuildPush(world(), inputs, { sha: newSha(), workspace });

    expect(errorsOf(run)).toEqual([]);
    expect(run.log).toContain(
      `Lifecycle policy set on ${repository}: untagged images expire 7 days after their push; only the newest 30 tagged images are kept.`,
    );
    const policy = await world().ecr.send(new GetLifecyclePolicyCommand({ repositoryName: repository }));
    expect(JSON.parse(policy.lifecyclePolicyText ?? '{}').rules.map((rule: { selection: unknown }) => rule.selection)).toEqual([
      { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 },
      { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: 30 },
    ]);

    const again = await runBuildPush(world(), { ...inputs, 'lifecycle-keep-tagged': '5' }, { sha: newSha(), workspace });

    expect(errorsOf(again)).toEqual([]);
    expect(warnings(again).join('\n')).toContain(`${repository} exists, so its lifecycle policy is left as it is`);
    const unchanged = await world().ecr.send(new GetLifecyclePolicyCommand({ repositoryName: repository }));
    expect(unchanged.lifecyclePolicyText).toBe(policy.lifecyclePolicyText);
  });

  test('without the inputs the created repository has no policy', async () => {
    const repository = uniqueName('lc-none');
    const run = await runBuildPush(
      world(),
      { repository, builder: 'classic', 'create-repository': 'true' },
      { sha: newSha(), workspace: makeContext({ 'a.txt': repository }) },
    );
    expect(errorsOf(run)).toEqual([]);
    await expect(world().ecr.send(new GetLifecyclePolicyCommand({ repositoryName: repository }))).rejects.toThrow(
      LifecyclePolicyNotFoundException,
    );
  });

  const rule = (rulePriority: number, selection: Record<string, unknown>) => ({ rulePriority, selection, action: { type: 'expire' } });
  /** A workspace whose lifecycle.json holds `text`. */
  const withPolicy = (repository: string, text: string) => {
    const workspace = makeContext({ 'a.txt': repository });
    writeFileSync(join(workspace, 'lifecycle.json'), text);
    return workspace;
  };

  test('with lifecycle-policy the repository it creates gets the file, as the file holds it', async () => {
    const repository = uniqueName('lc-file');
    const text = `${JSON.stringify(
      {
        rules: [
          rule(1, { tagStatus: 'tagged', tagPatternList: ['release-*'], countType: 'imageCountMoreThan', countNumber: 20 }),
          rule(5, { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 3 }),
          rule(9, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 200 }),
        ],
      },
      null,
      2,
    )}\n`;
    const inputs = { repository, builder: 'classic', 'create-repository': 'true', 'lifecycle-policy': 'lifecycle.json' };

    const run = await runBuildPush(world(), inputs, { sha: newSha(), workspace: withPolicy(repository, text) });

    expect(errorsOf(run)).toEqual([]);
    expect(run.log).toContain(`Lifecycle policy set on ${repository}: the 3 rules of lifecycle.json (input 'lifecycle-policy').`);
    const policy = await world().ecr.send(new GetLifecyclePolicyCommand({ repositoryName: repository }));
    expect(policy.lifecyclePolicyText).toBe(text);
  });

  test('a policy file ECR would refuse fails before building, naming the JSON path on its line, and nothing is created', async () => {
    const repository = uniqueName('lc-bad');
    const text = JSON.stringify(
      {
        rules: [
          rule(1, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 5 }),
          rule(2, { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 }),
        ],
      },
      null,
      2,
    );
    const callsBefore = world().sandbox.calls.length;

    const run = await runBuildPush(
      world(),
      { repository, builder: 'classic', 'create-repository': 'true', 'lifecycle-policy': 'lifecycle.json' },
      { sha: newSha(), workspace: withPolicy(repository, text) },
    );

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      expect.stringContaining(
        'the file "lifecycle.json" is not a lifecycle policy ECR takes: rules[0].rulePriority is 1, and a rule with tagStatus any must have the highest rulePriority (here 2)',
      ),
    ]);
    const annotation = run.lines.find((line) => line.text.startsWith('::error'))!.text;
    const anyPriorityLine = text.split('\n').findIndex((line) => line.includes('"rulePriority": 1')) + 1;
    expect(annotation).toMatch(
      new RegExp(`^::error title=Lifecycle policy ECR would refuse,file=lifecycle.json,line=${anyPriorityLine}::`),
    );
    expect(run.log).not.toMatch(/^\[command\]/m);
    expect(world().sandbox.calls.slice(callsBefore)).toEqual([]);
    await expect(world().ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [repository] }))).rejects.toThrow(
      RepositoryNotFoundException,
    );
  });

  test('a policy file that expires tagged images by age with no count rule before it is applied, with a warning', async () => {
    const repository = uniqueName('lc-age');
    const text = JSON.stringify({
      rules: [rule(1, { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 90 })],
    });

    const run = await runBuildPush(
      world(),
      { repository, builder: 'classic', 'create-repository': 'true', 'lifecycle-policy': 'lifecycle.json' },
      { sha: newSha(), workspace: withPolicy(repository, text) },
    );

    expect(errorsOf(run)).toEqual([]);
    expect(warnings(run).join('\n')).toContain(
      'lifecycle.json: rules[0] expires tagged images 90 days after their push, and no rule before it keeps a count of the newest',
    );
    const policy = await world().ecr.send(new GetLifecyclePolicyCommand({ repositoryName: repository }));
    expect(policy.lifecyclePolicyText).toBe(text);
  });
});

/** build-push's lifecycle inputs: a policy on the repository it creates, none on one that exists. */
import { describe, expect, test } from '@jest/globals';
import { GetLifecyclePolicyCommand, LifecyclePolicyNotFoundException } from '@aws-sdk/client-ecr';
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
});

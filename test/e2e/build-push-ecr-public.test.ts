/**
 * build-push with `registry: public`: the repository is in the caller's Amazon ECR Public registry. Every call goes
 * to ECR Public's API in us-east-1 while the job's region is another (the sandbox refuses a request signed for any
 * other region), the image is pushed to the repositoryUri the sandbox gives (its registry's host, then the alias and
 * the name, as public.ecr.aws/<alias>/<name>), and the inputs ECR Public cannot honour fail before anything is built.
 */
import { describe, expect, test } from '@jest/globals';
import { DescribeImagesCommand, DescribeRegistriesCommand, ECRPUBLICClient } from '@aws-sdk/client-ecr-public';
import { makeContext, newSha, registryDigest, runBuildPush, uniqueName } from '../support/build-push';
import { errorsOf } from '../support/run-action';
import { clientConfig } from '../support/sandbox-harness';
import { useBuildWorld } from '../support/use-build-world';

const world = useBuildWorld();
// The job runs in another region than ECR Public's.
const JOB_REGION = { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-1' };
const ecrPublic = () => new ECRPUBLICClient({ ...clientConfig(world().sandbox), region: 'us-east-1' });

describe('build-push to ECR Public (registry: public)', () => {
  test('creates the public repository, pushes to its URI and outputs the image; a second run finds it and builds nothing', async () => {
    const repository = uniqueName('public');
    const sha = newSha();
    const workspace = makeContext({ 'a.txt': `public ${sha}\n` });
    const inputs = { repository, registry: 'public', 'create-repository': 'true', builder: 'classic' };
    const callsBefore = world().sandbox.calls.length;

    const first = await runBuildPush(world(), inputs, { sha, workspace, env: JOB_REGION });

    expect(errorsOf(first)).toEqual([]);
    const alias = (await ecrPublic().send(new DescribeRegistriesCommand({}))).registries?.[0]?.aliases?.[0]?.name;
    const uri = `${new URL(world().infra.registryEndpoint).host}/${alias}/${repository}`;
    expect(first.outputs).toMatchObject({ built: 'true', image: `${uri}@${first.outputs.digest}` });
    expect(first.outputs.tags.split('\n')).toEqual([`${uri}:${sha}`, `${uri}:${sha.slice(0, 7)}`]);
    expect(await registryDigest(world().infra, `${alias}/${repository}`, sha)).toBe(first.outputs.digest);
    const services = new Set(
      world()
        .sandbox.calls.slice(callsBefore)
        .map((call) => call.service),
    );
    expect([...services]).toEqual(['ecr-public']);

    const second = await runBuildPush(world(), inputs, { sha, workspace, env: JOB_REGION });

    expect(errorsOf(second)).toEqual([]);
    expect(second.outputs).toMatchObject({ built: 'false', digest: first.outputs.digest, image: first.outputs.image });
    const images = await ecrPublic().send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageTag: sha }] }));
    expect(images.imageDetails?.[0]?.imageDigest).toBe(first.outputs.digest);
  });

  test('a new extra tag on an image already there fails naming tags: ECR Public cannot tag a stored image', async () => {
    const repository = uniqueName('public-tags');
    const sha = newSha();
    const workspace = makeContext({ 'a.txt': `public tags ${sha}\n` });
    const inputs = { repository, registry: 'public', 'create-repository': 'true', builder: 'classic' };
    const first = await runBuildPush(world(), inputs, { sha, workspace, env: JOB_REGION });
    expect(errorsOf(first)).toEqual([]);

    const second = await runBuildPush(world(), { ...inputs, tags: 'release-1' }, { sha, workspace, env: JOB_REGION });

    expect(errorsOf(second)).toEqual([
      expect.stringMatching(/^Input 'tags': ECR Public's .* without release-1, .*Set skip-existing to false/),
    ]);
    expect(second.log).not.toMatch(/^\[command\]/m);
    const alias = (await ecrPublic().send(new DescribeRegistriesCommand({}))).registries?.[0]?.aliases?.[0]?.name;
    expect(await registryDigest(world().infra, `${alias}/${repository}`, 'release-1')).toBeUndefined();
  });

  test.each([
    ['scan-severity-threshold', { 'scan-severity-threshold': 'high' }, 'ECR Public does not scan images'],
    ['lifecycle-keep-tagged', { 'lifecycle-keep-tagged': '10' }, 'ECR Public repositories have no lifecycle policies'],
    ['registry-id', { 'registry-id': '210987654321' }, "the caller's own public registry"],
  ])('refuses %s before any AWS call or build', async (input, extra, why) => {
    const callsBefore = world().sandbox.calls.length;
    const run = await runBuildPush(
      world(),
      { repository: uniqueName('refused'), registry: 'public', 'create-repository': 'true', builder: 'classic', ...extra },
      { sha: newSha(), workspace: makeContext({ 'a.txt': 'x' }), env: JOB_REGION },
    );
    expect(errorsOf(run)).toEqual([expect.stringMatching(new RegExp(`^Input '${input}' .*${why.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))]);
    expect(world().sandbox.calls.slice(callsBefore)).toEqual([]);
    expect(run.outputs).toEqual({});
    expect(run.log).not.toMatch(/^\[command\]/m);
  });
});

import { describe as group, expect, test } from '@jest/globals';
import type { IamStatement } from '@ecs-deploy/sandbox';
import { makeContext, newSha, runBuildPush, uniqueName } from '../support/build-push';
import { needed, policyOf, runAs } from '../support/least-privilege';
import { documentedPolicyAfter, forAccount, without } from '../support/readme-policies';
import { errorsOf } from '../support/run-action';
import { useBuildWorld } from '../support/use-build-world';

// build-push's ECR calls, against the sandbox of the real registry. The layer uploads (BatchCheckLayerAvailability,
// InitiateLayerUpload, UploadLayerPart, CompleteLayerUpload) go to the registry itself, which is a plain registry
// here: only the ECR API calls are authorized by the sandbox. One real build; every other run finds the image of
// its commit and builds nothing, so each refused call comes before any build.
group('build-push: the documented policy is enough; each ECR permission it calls is needed', () => {
  const world = useBuildWorld();
  const repository = uniqueName('lp-web');
  const sha = newSha();
  let workspace: string;
  let promotions = 0;
  const neededByRun = new Map<string, string[]>();
  const REGISTRY_PROTOCOL = new Set([
    // The registry cache's layers are pulled from the registry itself, which the sandbox does not front.
    'ecr:GetDownloadUrlForLayer',
    'ecr:BatchCheckLayerAvailability',
    'ecr:InitiateLayerUpload',
    'ecr:UploadLayerPart',
    'ecr:CompleteLayerUpload',
  ]);
  const statements = () => forAccount(policyOf('build-push').statements, world().sandbox.accountId, { repository: 'lp-web-*' });
  const asRole = (inputs: Record<string, string>, policy: IamStatement[]) =>
    runAs('build-push', inputs, policy, {
      sandbox: world().sandbox,
      run: (given, env) => runBuildPush(world(), given, { sha, workspace, env }),
    });
  // A tag of its own each time, so that adding it needs BatchGetImage and PutImage.
  const RUNS: Record<string, () => Record<string, string>> = {
    'a first build, creating the repository': () => ({ repository, 'create-repository': 'true' }),
    'a re-run of the same commit': () => ({ repository }),
    'a promotion: a new tag on the image of this commit': () => ({ repository, tags: `release-${++promotions}` }),
  };

  test('the documented policy builds, skips and promotes', async () => {
    workspace = makeContext({ 'index.html': '<h1>least privilege</h1>\n' });
    for (const [name, inputs] of Object.entries(RUNS)) {
      const { run, calls } = await asRole(inputs(), statements());
      expect({ name, denied: calls.filter((call) => call.accessDenied).map((call) => call.accessDenied) }).toEqual({ name, denied: [] });
      expect(errorsOf(run)).toEqual([]);
      neededByRun.set(name, needed(calls));
    }
    const used = new Set([...neededByRun.values()].flat());
    // Those needed only with an input: CreateRepository has its own test below; scans are not run here.
    const visible = policyOf('build-push').permissions.filter(
      (permission) => permission.need === 'required' && !REGISTRY_PROTOCOL.has(permission.action),
    );
    const unused = visible.filter((permission) => !used.has(permission.action));
    expect(unused.map((permission) => permission.action)).toEqual([]);
  });

  const rows = ['ecr:DescribeRepositories', 'ecr:GetAuthorizationToken', 'ecr:DescribeImages', 'ecr:BatchGetImage', 'ecr:PutImage'];

  test.concurrent.each(rows)('without %s the step fails, naming it', async (permission) => {
    const name = Object.keys(RUNS).find(
      (candidate) => candidate !== 'a first build, creating the repository' && neededByRun.get(candidate)?.includes(permission),
    );
    if (!name) throw new Error(`no run of build-push needed ${permission}`);
    const { run, calls } = await asRole(RUNS[name](), without(statements(), permission));

    expect(run.exitCode).toBe(1);
    expect(calls.find((call) => call.accessDenied)?.accessDenied).toMatch(new RegExp(`^${permission} on `));
    expect(errorsOf(run).join('\n')).toContain(permission);
    expect(run.log).not.toMatch(/^\[command\]/m);
  });

  test('without ecr:CreateRepository, create-repository fails naming it, before any build', async () => {
    const { run, calls } = await asRole(
      { repository: uniqueName('lp-web'), 'create-repository': 'true' },
      without(statements(), 'ecr:CreateRepository'),
    );

    expect(run.exitCode).toBe(1);
    expect(calls.find((call) => call.accessDenied)?.accessDenied).toMatch(/^ecr:CreateRepository on /);
    expect(errorsOf(run).join('\n')).toContain('ecr:CreateRepository');
    expect(run.log).not.toMatch(/^\[command\]/m);
  });
});

// build-push with registry: public, under README's ECR Public policy. As above, the layer uploads and PutImage go to
// the registry itself; the sandbox authorizes ECR Public's API calls, GetAuthorizationToken also on
// sts:GetServiceBearerToken. One real build; the other runs find the commit's image and build nothing.
group('build-push to ECR Public: the documented ECR Public policy is enough; each ECR Public permission it calls is needed', () => {
  const world = useBuildWorld();
  const repository = uniqueName('lp-public');
  const sha = newSha();
  let workspace: string;
  const ROWS_NOT_AUTHORIZED_BY_THE_SANDBOX = new Set([
    'ecr-public:BatchCheckLayerAvailability',
    'ecr-public:InitiateLayerUpload',
    'ecr-public:UploadLayerPart',
    'ecr-public:CompleteLayerUpload',
    'ecr-public:PutImage',
  ]);
  const statements = () =>
    forAccount(documentedPolicyAfter('build-push', '**ECR Public policy.**'), world().sandbox.accountId, { repository: 'lp-public-*' });
  const asRole = (inputs: Record<string, string>, policy: IamStatement[]) =>
    runAs('build-push', { registry: 'public', ...inputs }, policy, {
      sandbox: world().sandbox,
      run: (given, env) => runBuildPush(world(), given, { sha, workspace, env }),
    });
  const rerun = { repository };

  test('the documented policy builds into a repository it creates, then skips; every row the sandbox authorizes was needed', async () => {
    workspace = makeContext({ 'index.html': '<h1>least privilege, public</h1>\n' });
    const used = new Set<string>();
    for (const inputs of [{ repository, 'create-repository': 'true' }, rerun]) {
      const { run, calls } = await asRole(inputs, statements());
      expect(calls.filter((call) => call.accessDenied).map((call) => call.accessDenied)).toEqual([]);
      expect(errorsOf(run)).toEqual([]);
      for (const permission of needed(calls)) used.add(permission);
    }
    const rows = policyOf('build-push').permissions.filter(
      (row) => row.why.startsWith('with `registry` public') && !ROWS_NOT_AUTHORIZED_BY_THE_SANDBOX.has(row.action),
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((row) => !used.has(row.action)).map((row) => row.action)).toEqual([]);
  });

  test.each([
    'ecr-public:DescribeRepositories',
    'ecr-public:GetAuthorizationToken',
    'sts:GetServiceBearerToken',
    'ecr-public:DescribeImages',
  ])('without %s a re-run fails, naming it', async (permission) => {
    const { run, calls } = await asRole(rerun, without(statements(), permission));

    expect(run.exitCode).toBe(1);
    expect(calls.find((call) => call.accessDenied)?.accessDenied).toMatch(new RegExp(`^${permission} on `));
    expect(errorsOf(run).join('\n')).toContain(permission);
    expect(run.log).not.toMatch(/^\[command\]/m);
  });

  test('without ecr-public:CreateRepository, create-repository fails naming it, before any build', async () => {
    const { run, calls } = await asRole(
      { repository: uniqueName('lp-public'), 'create-repository': 'true' },
      without(statements(), 'ecr-public:CreateRepository'),
    );

    expect(run.exitCode).toBe(1);
    expect(calls.find((call) => call.accessDenied)?.accessDenied).toMatch(/^ecr-public:CreateRepository on /);
    expect(errorsOf(run).join('\n')).toContain('ecr-public:CreateRepository');
    expect(run.log).not.toMatch(/^\[command\]/m);
  });
});

import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  PutImageCommand,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import { start, type Sandbox } from '../src/index';
import { clientConfig } from '../../../test/support/sandbox-harness';

// Another account's repository answers the sandbox's account only what its repository policy grants (ECR user
// guide, "Private repository policies"), and no call may create a repository in another account's registry.

const CENTRAL = '210987654321';
const CALLER = 'arn:aws:sts::000000000000:assumed-role/sandbox-deploy-role/sandbox-session';
let sandbox: Sandbox;
let ecr: ECRClient;
let count = 0;

beforeAll(async () => {
  sandbox = await start();
  ecr = new ECRClient(clientConfig(sandbox, 1));
});
afterAll(() => sandbox.stop());

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: Error) => ({ name: error.name, message: error.message }),
  );

/** A repository of CENTRAL whose policy has these statements (none: no policy at all). */
async function central(statements?: Array<Record<string, unknown>>): Promise<string> {
  const repositoryName = `central-${++count}`;
  await sandbox.seed({
    otherAccountRepositories: [
      { registryId: CENTRAL, repositoryName, ...(statements ? { policyText: { Version: '2012-10-17', Statement: statements } } : {}) },
    ],
  });
  return repositoryName;
}

const allow = (Principal: unknown, Action: string | string[]) => ({ Effect: 'Allow', Principal, Action });
const describeIn = (name: string) => ecr.send(new DescribeRepositoriesCommand({ registryId: CENTRAL, repositoryNames: [name] }));
const refusal = (action: string, name: string, because = `because no resource-based policy allows the ${action} action`) => ({
  name: 'AccessDeniedException',
  message: `User: ${CALLER} is not authorized to perform: ${action} on resource: arn:aws:ecr:us-east-1:${CENTRAL}:repository/${name} ${because}`,
});

describe("CreateRepository in another account's registry", () => {
  test('is AccessDeniedException in ECR’s wording, and creates the repository nowhere', async () => {
    expect(await failure(ecr.send(new CreateRepositoryCommand({ registryId: CENTRAL, repositoryName: 'made-here' })))).toEqual(
      refusal('ecr:CreateRepository', 'made-here'),
    );
    await expect(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['made-here'] }))).rejects.toThrow(
      RepositoryNotFoundException,
    );
    expect(await failure(describeIn('made-here'))).toMatchObject({ name: 'RepositoryNotFoundException' });
  });

  test('naming the caller’s own account as registryId still creates it there', async () => {
    const created = await ecr.send(new CreateRepositoryCommand({ registryId: sandbox.accountId, repositoryName: 'own-by-id' }));
    expect(created.repository?.registryId).toBe(sandbox.accountId);
  });
});

describe("a repository policy's Principal", () => {
  test.each<[string, unknown]>([
    ['the account root ARN', { AWS: 'arn:aws:iam::000000000000:root' }],
    ['the account ID', { AWS: '000000000000' }],
    ['"*"', '*'],
    ['{"AWS": "*"}', { AWS: '*' }],
    ['the caller’s role', { AWS: ['arn:aws:iam::111122223333:root', 'arn:aws:iam::000000000000:role/sandbox-deploy-role'] }],
  ])('%s grants the sandbox’s account', async (_what, principal) => {
    const name = await central([allow(principal, 'ecr:DescribeRepositories')]);
    expect((await describeIn(name)).repositories?.[0]).toMatchObject({ registryId: CENTRAL, repositoryName: name });
  });

  test.each<[string, unknown]>([
    ['another account', { AWS: 'arn:aws:iam::111122223333:root' }],
    ['another role of the account', { AWS: 'arn:aws:iam::000000000000:role/someone-else' }],
    ['a service', { Service: 'codebuild.amazonaws.com' }],
  ])('%s does not', async (_what, principal) => {
    const name = await central([allow(principal, 'ecr:DescribeRepositories')]);
    expect(await failure(describeIn(name))).toEqual(refusal('ecr:DescribeRepositories', name));
  });
});

describe("a repository policy's Action", () => {
  test.each(['ecr:DescribeRepositories', 'ECR:describerepositories', 'ecr:*', 'ecr:Describe*', '*'])(
    '%s grants DescribeRepositories',
    async (action) => {
      const name = await central([allow({ AWS: '000000000000' }, action)]);
      expect((await describeIn(name)).repositories).toHaveLength(1);
    },
  );

  test('a pull grant is not a describe or a push grant', async () => {
    const name = await central([allow({ AWS: 'arn:aws:iam::000000000000:root' }, ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'])]);
    expect(await failure(describeIn(name))).toEqual(refusal('ecr:DescribeRepositories', name));
    expect(
      await failure(ecr.send(new PutImageCommand({ registryId: CENTRAL, repositoryName: name, imageTag: 'v1', imageManifest: '{}' }))),
    ).toEqual(refusal('ecr:PutImage', name));
  });

  test('an explicit Deny wins over an Allow', async () => {
    const name = await central([
      allow('*', 'ecr:*'),
      { Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'ecr:DescribeImages' },
    ]);
    expect((await describeIn(name)).repositories).toHaveLength(1);
    expect(await failure(ecr.send(new DescribeImagesCommand({ registryId: CENTRAL, repositoryName: name })))).toEqual(
      refusal('ecr:DescribeImages', name, 'with an explicit deny in a resource-based policy'),
    );
  });
});

describe('without a repository policy', () => {
  test('every call on the repository is refused', async () => {
    const name = await central();
    expect(await failure(describeIn(name))).toEqual(refusal('ecr:DescribeRepositories', name));
    expect(await failure(ecr.send(new DescribeImagesCommand({ registryId: CENTRAL, repositoryName: name })))).toEqual(
      refusal('ecr:DescribeImages', name),
    );
  });

  test("listing another account's repositories is refused", async () => {
    expect(await failure(ecr.send(new DescribeRepositoriesCommand({ registryId: CENTRAL })))).toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining(`ecr:DescribeRepositories on resource: arn:aws:ecr:us-east-1:${CENTRAL}:repository/*`),
    });
  });
});

describe('seeding another account’s repository', () => {
  test.each<[string, Record<string, unknown>]>([
    ['a policy that is not JSON', { policyText: '{not json' }],
    ['a statement with a Condition', { policyText: { Statement: [{ ...allow('*', 'ecr:*'), Condition: { StringEquals: {} } }] } }],
    ['a statement without a Principal', { policyText: { Statement: [{ Effect: 'Allow', Action: 'ecr:*' }] } }],
  ])('refuses %s', async (_what, fields) => {
    await expect(
      sandbox.seed({ otherAccountRepositories: [{ registryId: CENTRAL, repositoryName: `bad-${++count}`, ...fields }] }),
    ).rejects.toThrow(/Invalid repository policy provided/);
  });

  test("refuses the sandbox's own account", async () => {
    await expect(sandbox.seed({ otherAccountRepositories: [{ registryId: sandbox.accountId, repositoryName: 'own' }] })).rejects.toThrow(
      /own account/,
    );
  });
});

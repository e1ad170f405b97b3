import { describe, expect, test } from '@jest/globals';
import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRPUBLICClient,
  GetAuthorizationTokenCommand,
  ImageNotFoundException,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr-public';
import { mockClient } from 'aws-sdk-client-mock';
import { silentLogger } from '@ecs-deploy/core/common';
import { ecrPublic } from '../../../src/use-cases/build-push/public-registry';
import { imagePrefix } from '../../../src/use-cases/build-push/registry';
import type { BuildRequest } from '../../../src/use-cases/build-push/request';

const client = () => new ECRPUBLICClient({ region: 'us-east-1' });
const request = (values: Partial<BuildRequest> = {}) => ({ repository: 'web', createRepository: false, ...values }) as BuildRequest;
const URI = 'public.ecr.aws/my-alias/web';

describe('ECR Public behind the registry seam', () => {
  test('creates a missing repository with its name alone: ECR Public has no mutability or scan settings', async () => {
    const ecr = mockClient(ECRPUBLICClient);
    ecr.on(DescribeRepositoriesCommand).rejects(new RepositoryNotFoundException({ message: 'none', $metadata: {} }));
    ecr.on(CreateRepositoryCommand).resolves({ repository: { repositoryName: 'web', repositoryUri: URI } });
    const facts = await ecrPublic(client()).ensureRepository(request({ createRepository: true }), 'sha', silentLogger());
    expect(ecr.commandCalls(CreateRepositoryCommand)[0].args[0].input).toEqual({ repositoryName: 'web' });
    expect(facts).toEqual({ uri: URI, exclusionFilters: [], created: true });
    ecr.restore();
  });

  test('names the missing repository, and creates nothing, without create-repository', async () => {
    const ecr = mockClient(ECRPUBLICClient);
    ecr.on(DescribeRepositoriesCommand).rejects(new RepositoryNotFoundException({ message: 'none', $metadata: {} }));
    await expect(ecrPublic(client()).ensureRepository(request(), 'sha', silentLogger())).rejects.toThrow(
      `Input 'repository': ECR Public has no repository "web" in this account's public registry`,
    );
    expect(ecr.commandCalls(CreateRepositoryCommand)).toHaveLength(0);
    ecr.restore();
  });

  test('logs in to the host of the repository URI with the token, masking it and its password', async () => {
    const ecr = mockClient(ECRPUBLICClient);
    const token = Buffer.from('AWS:secret-password').toString('base64');
    ecr.on(GetAuthorizationTokenCommand).resolves({ authorizationData: { authorizationToken: token } });
    const masked: string[] = [];
    const credentials = await ecrPublic(client()).credentials((value) => masked.push(value), URI);
    expect(credentials).toEqual({ host: 'public.ecr.aws', username: 'AWS', password: 'secret-password', token });
    expect(masked).toEqual([token, 'secret-password']);
    ecr.restore();
  });

  test('finds the image by tag with DescribeImages, and none when ECR Public says ImageNotFound', async () => {
    const ecr = mockClient(ECRPUBLICClient);
    ecr.on(DescribeImagesCommand, { imageIds: [{ imageTag: 'abc' }] }).resolves({
      imageDetails: [{ imageDigest: 'sha256:d', imageTags: ['abc'], imageSizeInBytes: 12 }],
    });
    ecr
      .on(DescribeImagesCommand, { imageIds: [{ imageTag: 'new' }] })
      .rejects(new ImageNotFoundException({ message: 'no', $metadata: {} }));
    const registry = ecrPublic(client());
    expect(await registry.findImage('web', 'abc')).toEqual({ digest: 'sha256:d', tags: ['abc'], sizeInBytes: 12 });
    expect(await registry.findImage('web', 'new')).toBeUndefined();
    ecr.restore();
  });

  test('refuses to add a tag to a stored image, naming tags and skip-existing', async () => {
    await expect(ecrPublic(client()).addTags('web', 'sha256:d', ['latest'])).rejects.toThrow(/Input 'tags'.*Set skip-existing to false/);
  });

  test('has no scan gate', () => {
    expect(ecrPublic(client()).waitForScan).toBeUndefined();
  });
});

describe('imagePrefix', () => {
  test("is the repository URI without the name: the alias stays in an ECR Public image's name", () => {
    expect(imagePrefix(URI, 'web', 'public.ecr.aws')).toBe('public.ecr.aws/my-alias');
    expect(imagePrefix('123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web', 'team/web', 'x')).toBe(
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
    );
    expect(imagePrefix(undefined, 'web', 'host:5000')).toBe('host:5000');
  });
});

import { describe, expect, test } from '@jest/globals';
import { DescribeImagesCommand, ECRClient, ImageNotFoundException } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { refuseImmutableMoves, tagIsImmutable } from '../../../src/use-cases/build-push/tag-mutability';

const SHA = '0123456789abcdef0123456789abcdef01234567';

describe('tagIsImmutable', () => {
  test.each<[string | undefined, string[], string, boolean]>([
    ['MUTABLE', [], 'latest', false],
    ['IMMUTABLE', [], 'latest', true],
    ['IMMUTABLE_WITH_EXCLUSION', ['cache'], 'cache', false],
    ['IMMUTABLE_WITH_EXCLUSION', ['cache'], 'latest', true],
    ['IMMUTABLE_WITH_EXCLUSION', ['latest', 'env-*'], 'env-prod', false],
    ['MUTABLE_WITH_EXCLUSION', ['release-*'], 'release-1', true],
    ['MUTABLE_WITH_EXCLUSION', ['release-*'], 'latest', false],
    [undefined, [], 'latest', false],
  ])('%s with exclusions %j: %s immutable is %s', (tagMutability, exclusionFilters, tag, expected) => {
    expect(tagIsImmutable({ tagMutability, exclusionFilters }, tag)).toBe(expected);
  });
});

describe('refuseImmutableMoves', () => {
  const client = () => new ECRClient({ region: 'us-east-1' });
  const immutable = { tagMutability: 'IMMUTABLE', exclusionFilters: [], created: false };

  test("a tag already on this commit's image (a re-run) is kept", async () => {
    const ecr = mockClient(ECRClient);
    ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: 'sha256:a', imageTags: [SHA, 'latest'] }] });
    await expect(refuseImmutableMoves(client(), { repository: 'web', facts: immutable }, ['latest'], SHA)).resolves.toBeUndefined();
    ecr.restore();
  });

  test('a new tag that is not a moving one is fine; nothing is asked of a mutable tag', async () => {
    const ecr = mockClient(ECRClient);
    ecr.on(DescribeImagesCommand).rejects(new ImageNotFoundException({ message: 'none', $metadata: {} }));
    await refuseImmutableMoves(client(), { repository: 'web', facts: immutable }, ['v1.2.3'], SHA);
    await refuseImmutableMoves(client(), { repository: 'web', facts: { ...immutable, tagMutability: 'MUTABLE' } }, ['latest'], SHA);
    expect(ecr.commandCalls(DescribeImagesCommand)).toHaveLength(1);
    ecr.restore();
  });

  test('a tag naming another image is refused with its digest and the repository setting', async () => {
    const ecr = mockClient(ECRClient);
    ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: 'sha256:b', imageTags: ['other', 'stable'] }] });
    await expect(refuseImmutableMoves(client(), { repository: 'web', facts: immutable }, ['stable'], SHA)).rejects.toThrow(
      "Input 'tags' holds stable, which already names image sha256:b in web, and the repository's tags are immutable (imageTagMutability IMMUTABLE)",
    );
    ecr.restore();
  });

  test('latest on a repository about to be created immutable is refused without asking ECR', async () => {
    const ecr = mockClient(ECRClient);
    await expect(
      refuseImmutableMoves(
        client(),
        { repository: 'web', facts: { tagMutability: 'IMMUTABLE_WITH_EXCLUSION', exclusionFilters: ['cache'], created: true } },
        ['latest'],
        SHA,
      ),
    ).rejects.toThrow("Input 'tags' holds latest, a tag meant to move to each new build");
    expect(ecr.commandCalls(DescribeImagesCommand)).toHaveLength(0);
    ecr.restore();
  });
});

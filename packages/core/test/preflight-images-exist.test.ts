import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { BatchGetImageCommand, DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ClientFactory } from '../src/common/aws';
import { imagesExistCheck } from '../src/preflight/checks/images-exist';
import type { RegistrableDefinition } from '../src/task-definition/strip';
import { preflightFailure, preflightOf } from './support/preflight';

// The images-exist pre-flight check: ECR look-ups through a mocked ECR client, other registries through a real
// local HTTP server that speaks the Registry API v2 manifest HEAD with a Bearer challenge.

const ecrMock = mockClient(ECRClient);
const regions: string[] = [];
const aws: ClientFactory = (Client, region) => {
  regions.push(region);
  return new Client({ region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } } as never);
};
const WEB = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web';
const DIGEST = `sha256:${'a'.repeat(64)}`;
const INDEX = 'application/vnd.oci.image.index.v1+json';

const revision = (images: string[], extra: Partial<RegistrableDefinition> = {}): RegistrableDefinition => ({
  family: 'web',
  containerDefinitions: images.map((image, i) => ({ name: i === 0 ? 'app' : `sidecar${i}`, image })),
  ...extra,
});
const check = (definition: RegistrableDefinition, timeoutMs = 2_000) => imagesExistCheck({ definition, aws, registryTimeoutMs: timeoutMs });
const notFound = (name: string, message = 'not found') => Object.assign(new Error(message), { name });
const indexOf = (...architectures: string[]) =>
  JSON.stringify({
    schemaVersion: 2,
    mediaType: INDEX,
    manifests: [
      ...architectures.map((architecture) => ({ digest: DIGEST, platform: { architecture, os: 'linux' } })),
      { digest: DIGEST, platform: { architecture: 'unknown', os: 'unknown' } },
    ],
  });

beforeEach(() => {
  ecrMock.reset();
  regions.length = 0;
});

describe('images-exist, ECR images', () => {
  test('an image found by tag passes, looked up in the registry of the account its host names', async () => {
    ecrMock.on(DescribeImagesCommand).resolves({
      imageDetails: [{ imageDigest: DIGEST, imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json' }],
    });
    const report = await preflightOf(check(revision([`${WEB}:v2`])));
    expect(report.rows[0]).toMatchObject({ status: 'pass', message: `container "app" runs ${WEB}:v2 (${DIGEST})` });
    expect(ecrMock.commandCalls(DescribeImagesCommand)[0].args[0].input).toEqual({
      registryId: '123456789012',
      repositoryName: 'web',
      imageIds: [{ imageTag: 'v2' }],
    });
  });

  test('an image pinned by digest is looked up by its digest', async () => {
    ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST }] });
    await preflightOf(check(revision([`${WEB}:v2@${DIGEST}`])));
    expect(ecrMock.commandCalls(DescribeImagesCommand)[0].args[0].input.imageIds).toEqual([{ imageDigest: DIGEST }]);
  });

  test("an image in another region's registry is looked up with a client in that region", async () => {
    ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST }] });
    await preflightOf(check(revision(['210987654321.dkr.ecr.eu-west-1.amazonaws.com/shared/proxy:1.4'])));
    expect(regions).toEqual(['eu-west-1']);
    expect(ecrMock.commandCalls(DescribeImagesCommand)[0].args[0].input).toMatchObject({
      registryId: '210987654321',
      repositoryName: 'shared/proxy',
    });
  });

  test('a missing tag fails naming the container, the image and the newest tags of the repository', async () => {
    ecrMock
      .on(DescribeImagesCommand, { imageIds: [{ imageTag: 'v9' }] })
      .rejects(notFound('ImageNotFoundException'))
      .on(DescribeImagesCommand, { filter: { tagStatus: 'TAGGED' } })
      .resolves({
        imageDetails: [
          { imageTags: ['v1'], imagePushedAt: new Date('2026-01-01') },
          { imageTags: ['v3', 'latest'], imagePushedAt: new Date('2026-03-01') },
          { imageTags: ['v2'], imagePushedAt: new Date('2026-02-01') },
        ],
      });
    const error = await preflightFailure(check(revision([`${WEB}:v9`])));
    expect(error.message).toBe(
      `container "app" runs ${WEB}:v9, which is not in repository web of registry 123456789012 (us-east-1): its newest tags are v3, latest, v2, v1. ` +
        'Push the image, or correct the tag or digest. Nothing was changed.',
    );
    expect(error.input).toBe('image');
  });

  test('a missing repository is worded apart from a missing image', async () => {
    ecrMock.on(DescribeImagesCommand).rejects(notFound('RepositoryNotFoundException'));
    const error = await preflightFailure(check(revision([`${WEB}-typo:v1`])));
    expect(error.message).toMatch(
      /^container "app" runs .*web-typo:v1, whose repository web-typo does not exist in registry 123456789012 \(us-east-1\)\. /,
    );
  });

  test('every container is checked, not only the one the step changes', async () => {
    ecrMock
      .on(DescribeImagesCommand, { repositoryName: 'web' })
      .resolves({ imageDetails: [{ imageDigest: DIGEST }] })
      .on(DescribeImagesCommand, { repositoryName: 'envoy' })
      .rejects(notFound('RepositoryNotFoundException'));
    const error = await preflightFailure(check(revision([`${WEB}:v2`, '123456789012.dkr.ecr.us-east-1.amazonaws.com/envoy:v1'])));
    expect(error.message).toMatch(/^container "sidecar1" runs .*envoy:v1, whose repository envoy does not exist/);
  });

  test("a template's placeholder left in a container the step does not change fails, saying the step fills only its own container", async () => {
    ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST }] });
    const error = await preflightFailure(check(revision([`${WEB}:v2`, '${AGENT_IMAGE}'])));
    expect(error.message).toBe(
      'container "sidecar1" runs "${AGENT_IMAGE}", which is not an image reference: ${AGENT_IMAGE} is a placeholder nothing filled in. ' +
        "The step fills in only the image of the container it changes (its 'container' and 'image' inputs): write the other containers' images into the task definition, or fill the placeholder in an earlier step. " +
        'Nothing was changed.',
    );
  });

  test('a role that may not call ecr:DescribeImages gets a warning naming it, never a failure', async () => {
    ecrMock
      .on(DescribeImagesCommand)
      .rejects(
        notFound(
          'AccessDeniedException',
          'User: arn:aws:sts::1:assumed-role/deploy/x is not authorized to perform: ecr:DescribeImages on resource: web',
        ),
      );
    const report = await preflightOf(check(revision([`${WEB}:v2`])));
    expect(report.rows[0]).toMatchObject({
      status: 'warn',
      message: `container "app" runs ${WEB}:v2, not checked: the role may not call ecr:DescribeImages. Grant ecr:DescribeImages to have it checked.`,
    });
  });

  test("another account's repository whose policy does not grant the read gets a warning naming that repository policy", async () => {
    ecrMock
      .on(DescribeImagesCommand)
      .rejects(
        notFound(
          'AccessDeniedException',
          'User: arn:aws:sts::1:assumed-role/deploy/x is not authorized to perform: ecr:DescribeImages on resource: ' +
            'arn:aws:ecr:us-east-1:210987654321:repository/web because no resource-based policy allows the ecr:DescribeImages action',
        ),
      );
    const report = await preflightOf(check(revision([`210987654321.dkr.ecr.us-east-1.amazonaws.com/web:v2`])));
    expect(report.rows[0]).toMatchObject({
      status: 'warn',
      message:
        'container "app" runs 210987654321.dkr.ecr.us-east-1.amazonaws.com/web:v2, not checked: the repository policy of web in account 210987654321 does not grant ecr:DescribeImages. ' +
        "Have that account's repository policy grant this account ecr:DescribeImages (and the task execution role its pulls) to have it checked.",
    });
  });

  test("an index without the task's architecture fails; with it, passes", async () => {
    ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST, imageManifestMediaType: INDEX }] });
    ecrMock.on(BatchGetImageCommand).resolves({ images: [{ imageManifest: indexOf('amd64') }] });
    const error = await preflightFailure(check(revision([`${WEB}:v2`], { runtimePlatform: { cpuArchitecture: 'ARM64' } })));
    expect(error.message).toContain(
      `container "app" runs ${WEB}:v2, but its index has linux/amd64, and the task runs on ARM64 (linux/arm64, runtimePlatform.cpuArchitecture)`,
    );
    const report = await preflightOf(check(revision([`${WEB}:v2`])));
    expect(report.rows[0]).toMatchObject({ status: 'pass', message: expect.stringContaining("an index with the task's architecture") });
    expect(ecrMock.commandCalls(BatchGetImageCommand)[0].args[0].input).toMatchObject({
      imageIds: [{ imageDigest: DIGEST }],
      acceptedMediaTypes: [INDEX],
    });
  });

  test('an index whose manifest the role may not read is a warning naming ecr:BatchGetImage', async () => {
    ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST, imageManifestMediaType: INDEX }] });
    ecrMock.on(BatchGetImageCommand).rejects(notFound('AccessDeniedException', 'not authorized'));
    const report = await preflightOf(check(revision([`${WEB}:v2`])));
    expect(report.rows[0]).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('whose architectures were not checked: the role may not call ecr:BatchGetImage'),
    });
  });
});

/** A registry answering the v2 manifest HEAD: anonymous requests get a Bearer challenge; the token realm is served too. */
describe('images-exist, other registries', () => {
  let server: Server;
  let host: string;
  const requests: string[] = [];
  const manifests: Record<string, { type: string; body: string }> = {
    'team/api:1.0': { type: 'application/vnd.docker.distribution.manifest.v2+json', body: '{}' },
    'team/multi:1.0': { type: INDEX, body: indexOf('amd64', 'arm64') },
  };
  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      requests.push(`${request.method} ${request.url} ${request.headers.authorization ?? ''}`.trim());
      const url = new URL(request.url ?? '/', 'http://registry');
      if (url.pathname === '/token') {
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ token: `anon-${url.searchParams.get('scope')}` }));
        return;
      }
      const match = /^\/v2\/(.+)\/manifests\/(.+)$/.exec(url.pathname);
      const name = match?.[1] ?? '';
      if (name.startsWith('private/')) {
        response.writeHead(401, { 'www-authenticate': 'Basic realm="private"' }).end();
        return;
      }
      if (request.headers.authorization !== `Bearer anon-repository:${name}:pull`) {
        response
          .writeHead(401, {
            'www-authenticate': `Bearer realm="http://${host}/token",service="test-registry",scope="repository:${name}:pull"`,
          })
          .end();
        return;
      }
      const manifest = manifests[`${name}:${match?.[2]}`];
      if (!manifest) return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': manifest.type, 'docker-content-digest': DIGEST });
      response.end(request.method === 'GET' ? manifest.body : undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => void (requests.length = 0));

  test('an image found after the anonymous token dance passes', async () => {
    const report = await preflightOf(check(revision([`${host}/team/api:1.0`])));
    expect(report.rows[0]).toMatchObject({
      status: 'pass',
      message: `container "app" runs ${host}/team/api:1.0 (${DIGEST}), found on ${host}`,
    });
    expect(requests).toEqual([
      'HEAD /v2/team/api/manifests/1.0',
      'GET /token?service=test-registry&scope=repository%3Ateam%2Fapi%3Apull',
      'HEAD /v2/team/api/manifests/1.0 Bearer anon-repository:team/api:pull',
    ]);
  });

  test('a tag the registry does not have fails naming the host', async () => {
    const error = await preflightFailure(check(revision([`${host}/team/api:2.0`])));
    expect(error.message).toBe(
      `container "app" runs ${host}/team/api:2.0, which ${host} does not have (HEAD /v2/team/api/manifests/2.0 answered 404). ` +
        'Push the image, or correct its name, tag or digest. Nothing was changed.',
    );
  });

  test("an index is read for its platforms: one with the task's architecture passes", async () => {
    const report = await preflightOf(check(revision([`${host}/team/multi:1.0`], { runtimePlatform: { cpuArchitecture: 'ARM64' } })));
    expect(report.rows[0]).toMatchObject({ status: 'pass', message: expect.stringContaining("an index with the task's architecture") });
  });

  test('a registry that needs credentials is a warning naming the host', async () => {
    const report = await preflightOf(check(revision([`${host}/private/api:1.0`])));
    expect(report.rows[0]).toMatchObject({
      status: 'warn',
      message: `container "app" runs ${host}/private/api:1.0, not checked: ${host} answered 401 to an anonymous request (it needs credentials).`,
    });
  });

  test('a container with repositoryCredentials is a warning, and its registry is not asked', async () => {
    const definition = revision([`${host}/team/api:1.0`]);
    (definition.containerDefinitions ?? [])[0].repositoryCredentials = {
      credentialsParameter: 'arn:aws:secretsmanager:us-east-1:1:secret:hub',
    };
    const report = await preflightOf(check(definition));
    expect(report.rows[0]).toMatchObject({ status: 'warn', message: expect.stringContaining('with repositoryCredentials, not checked') });
    expect(requests).toEqual([]);
  });

  test('a registry that does not answer within the timeout is a warning naming the host', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const quiet = `127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const report = await preflightOf(check(revision([`${quiet}/team/api:1.0`]), 300));
      expect(report.rows[0]).toMatchObject({
        status: 'warn',
        message: `container "app" runs ${quiet}/team/api:1.0, not checked: registry ${quiet} did not answer within 0.3s.`,
      });
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  test('a registry nothing listens on is a warning naming the host', async () => {
    // A port that was just free: nothing listens on it.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const gone = `127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const report = await preflightOf(check(revision([`${gone}/team/api:1.0`])));
    expect(report.rows[0]).toMatchObject({
      status: 'warn',
      message: `container "app" runs ${gone}/team/api:1.0, not checked: registry ${gone} could not be reached (ECONNREFUSED).`,
    });
  });
});

describe('images-exist, an index ECR does not hand over', () => {
  test('a BatchGetImage answer that is not the index leaves the architectures unchecked, a warning and never a failure', async () => {
    ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST, imageManifestMediaType: INDEX }] });
    ecrMock.on(BatchGetImageCommand).resolves({
      images: [],
      failures: [{ failureReason: 'Image does not match the accepted media types' }],
    });
    const report = await preflightOf(check(revision([`${WEB}:v2`], { runtimePlatform: { cpuArchitecture: 'ARM64' } })));
    expect(report.rows[0]).toMatchObject({
      status: 'warn',
      message: `container "app" runs ${WEB}:v2 (${DIGEST}), whose architectures were not checked: BatchGetImage answered Error: Image does not match the accepted media types.`,
    });
  });
});

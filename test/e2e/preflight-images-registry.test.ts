import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import { DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuildInfra, type BuildInfra } from '../support/build-infra';
import { mutatingCalls } from '../support/bad-input';
import { createService, ecsClient, REGISTRY } from '../support/ecs-fixtures';
import { pushManifest } from '../support/registry/push-manifest';
import { errorsOf, runBundledAction } from '../support/run-action';
import { clientConfig, startSandbox, type SandboxHandle } from '../support/sandbox-harness';

// The images-exist check against the sandbox's ECR in front of the real docker-registry: what ECR answers for an
// image index (its imageManifestMediaType, then the index itself through BatchGetImage) decides whether the task's
// architecture is there, and a missing tag's message names the tags the repository does hold.

let infra: BuildInfra;
let sandbox: SandboxHandle;
const repository = `arch-${Date.now().toString(36)}`;
const image = (tag: string) => `${sandbox.accountId}.dkr.ecr.${sandbox.region}.amazonaws.com/${repository}:${tag}`;

/** Pushes an OCI index listing the image `tag` holds as its only platform, linux/amd64. */
async function pushAmd64Index(tag: string, from: string): Promise<void> {
  const auth = { Authorization: `Basic ${Buffer.from(`${infra.username}:${infra.password}`).toString('base64')}` };
  const manifest = await fetch(`${infra.registryEndpoint}/v2/${repository}/manifests/${from}`, {
    headers: { ...auth, Accept: 'application/vnd.oci.image.manifest.v1+json' },
  });
  const body = await manifest.text();
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: manifest.headers.get('docker-content-digest'),
        size: Buffer.byteLength(body),
        platform: { architecture: 'amd64', os: 'linux' },
      },
    ],
  });
  const put = await fetch(`${infra.registryEndpoint}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT',
    headers: { ...auth, 'Content-Type': 'application/vnd.oci.image.index.v1+json' },
    body: index,
  });
  if (put.status !== 201) throw new Error(`index PUT answered ${put.status}: ${await put.text()}`);
}

beforeAll(async () => {
  infra = ensureBuildInfra();
  sandbox = await startSandbox({
    timeScale: 0.2,
    registry: { endpoint: infra.registryEndpoint, username: infra.username, password: infra.password },
  });
  await new ECRClient(clientConfig(sandbox)).send(new CreateRepositoryCommand({ repositoryName: repository }));
  await pushManifest(infra, repository, 'v1', 'amd64 build');
  await pushAmd64Index('multi', 'v1');
  await createService(sandbox, { service: 'arm', image: `${REGISTRY}/arm:v1`, desiredCount: 1 });
}, 15 * 60_000);
afterAll(async () => {
  await sandbox?.stop();
});

/** The service's revision as a file, moved to ARM64 (Graviton) and running `tag` of the repository. */
async function armFile(tag: string): Promise<string> {
  const described = await ecsClient(sandbox).send(new DescribeTaskDefinitionCommand({ taskDefinition: 'arm' }));
  const definition = described.taskDefinition as Record<string, unknown> & { containerDefinitions: Array<Record<string, unknown>> };
  definition.runtimePlatform = { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' };
  definition.containerDefinitions[0].image = image(tag);
  const file = join(mkdtempSync(join(tmpdir(), 'arch-')), `${tag}.json`);
  writeFileSync(file, JSON.stringify(definition));
  return file;
}

test('an index without the ARM64 platform the task runs on is refused before any revision is registered', async () => {
  const file = await armFile('multi');
  const before = (await ecsClient(sandbox).send(new ListTaskDefinitionsCommand({ familyPrefix: 'arm' }))).taskDefinitionArns;
  const callsBefore = sandbox.calls.length;

  const run = await runBundledAction('deploy-ecs', { cluster: 'prod', service: 'arm', 'task-definition': file }, { env: sandbox.env() });

  expect(run.exitCode).toBe(1);
  expect(errorsOf(run)[0]).toContain(
    `container "arm" runs ${image('multi')}, but its index has linux/amd64, and the task runs on ARM64 (linux/arm64, runtimePlatform.cpuArchitecture)`,
  );
  expect(sandbox.calls.slice(callsBefore).map((call) => call.operation)).toEqual(
    expect.arrayContaining(['DescribeImages', 'BatchGetImage']),
  );
  expect(mutatingCalls(sandbox.calls.slice(callsBefore))).toEqual([]);
  expect((await ecsClient(sandbox).send(new ListTaskDefinitionsCommand({ familyPrefix: 'arm' }))).taskDefinitionArns).toEqual(before);
});

test('a tag the repository does not hold is refused naming the tags it does hold', async () => {
  const run = await runBundledAction(
    'deploy-ecs',
    { cluster: 'prod', service: 'arm', 'task-definition': await armFile('v2') },
    { env: sandbox.env() },
  );

  expect(run.exitCode).toBe(1);
  expect(errorsOf(run)[0]).toMatch(
    new RegExp(
      `^container "arm" runs ${image('v2').replace(/[.]/g, '\\.')}, which is not in repository ${repository} of registry ${sandbox.accountId} \\(us-east-1\\): its newest tags are (multi, v1|v1, multi)\\.`,
    ),
  );
});

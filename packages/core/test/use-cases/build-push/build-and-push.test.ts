import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  ImageNotFoundException,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { ActionFailure, silentLogger, type CommandExecutor, type ExecOptions } from '../../../src/common';
import { buildAndPush, type BuildOutputs, type BuildRequest } from '../../../src/use-cases/build-push';
import { fakeClock } from '../../support/fake-clock';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const DIGEST = `sha256:${'a'.repeat(64)}`;

function request(overrides: Partial<BuildRequest> = {}): BuildRequest {
  return {
    region: 'us-east-1',
    repository: 'team/web',
    context: '/workspace',
    dockerfile: '/workspace/Dockerfile',
    buildArgs: [],
    labels: [],
    noCache: false,
    secrets: [],
    ssh: [],
    platforms: [],
    extraTags: [],
    push: true,
    cache: true,
    skipExisting: true,
    createRepository: false,
    scanTimeoutMs: 60_000,
    ...overrides,
  };
}

/**
 * docker with buildx installed, buildah and podman not. `docker buildx build` writes DIGEST to its metadata file,
 * as buildx does after a push; every call is recorded.
 */
function fakeDocker() {
  const calls: { tool: string; args: string[]; options: ExecOptions }[] = [];
  const exec: CommandExecutor = async (tool, args, options) => {
    calls.push({ tool, args, options });
    if (tool !== 'docker') throw new Error(`Unable to locate executable file: ${tool}`);
    if (args[0] === 'buildx' && args[1] === 'build')
      writeFileSync(args[args.indexOf('--metadata-file') + 1], JSON.stringify({ 'containerimage.digest': DIGEST }));
    return { exitCode: 0, stdout: '', stderr: '' };
  };
  return { exec, calls, builds: () => calls.filter((call) => call.args.includes('build')) };
}

function ecrWith() {
  const ecr = mockClient(ECRClient);
  ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryName: 'team/web' }] });
  ecr.on(GetAuthorizationTokenCommand).resolves({
    authorizationData: [{ authorizationToken: Buffer.from('AWS:pa55word').toString('base64'), proxyEndpoint: `https://${REGISTRY}` }],
  });
  return ecr;
}

function ports(exec: CommandExecutor) {
  const outputs: BuildOutputs[] = [];
  const summaries: string[] = [];
  const secrets: string[] = [];
  const log = silentLogger();
  return {
    outputs,
    summaries,
    secrets,
    log,
    ports: {
      log,
      clock: fakeClock(),
      exec,
      setSecret: (value: string) => void secrets.push(value),
      writeSummary: async (markdown: string) => void summaries.push(markdown),
      setOutputs: (built: BuildOutputs) => void outputs.push(built),
      env: { GITHUB_SHA: SHA },
    },
  };
}

const client = () => new ECRClient({ region: 'us-east-1' });

describe('buildAndPush', () => {
  test('an image already tagged with the commit is not built again: its digest is the output, built is false', async () => {
    const ecr = ecrWith();
    ecr
      .on(DescribeImagesCommand)
      .resolves({ imageDetails: [{ imageDigest: DIGEST, imageTags: [SHA, SHA.slice(0, 7)], imageSizeInBytes: 1024 }] });
    const docker = fakeDocker();
    const world = ports(docker.exec);

    const report = await buildAndPush(request(), { ecr: client() }, world.ports);

    expect(docker.builds()).toEqual([]);
    expect(world.outputs).toEqual([expect.objectContaining({ image: `${REGISTRY}/team/web@${DIGEST}`, digest: DIGEST, built: false })]);
    expect(report.built).toBe(false);
    expect(world.log.lines).toContain(
      `${REGISTRY}/team/web:${SHA} already exists (${DIGEST}); skip-existing is true, so nothing is built.`,
    );
    expect(world.secrets).toEqual([Buffer.from('AWS:pa55word').toString('base64'), 'pa55word']);
    expect(world.summaries[0]).toContain('no: an image tagged with this commit already existed');
  });

  test('a builder made for the build is removed even when the build fails', async () => {
    const ecr = ecrWith();
    ecr.on(DescribeImagesCommand).rejects(new ImageNotFoundException({ message: 'none', $metadata: {} }));
    const docker = fakeDocker();
    const exec: CommandExecutor = async (tool, args, options) =>
      args[0] === 'buildx' && args[1] === 'build'
        ? (docker.calls.push({ tool, args, options }), { exitCode: 1, stdout: '', stderr: 'ERROR: failed to solve' })
        : docker.exec(tool, args, options);
    const world = ports(exec);

    await expect(buildAndPush(request(), { ecr: client() }, world.ports)).rejects.toThrow(/docker buildx build failed with exit code 1/);
    const created = docker.calls.find((call) => call.args[1] === 'create')!.args[3];
    const build = docker.calls.find((call) => call.args[1] === 'build')!;
    expect(build.args.slice(0, 4)).toEqual(['buildx', 'build', '--builder', created]);
    expect(docker.calls.at(-1)!.args).toEqual(['buildx', 'rm', created]);
  });

  test('without an image for the commit it builds with buildx, pushes, and outputs the digest ECR holds', async () => {
    const ecr = ecrWith();
    ecr
      .on(DescribeImagesCommand)
      .rejectsOnce(new ImageNotFoundException({ message: 'none', $metadata: {} }))
      .resolves({ imageDetails: [{ imageDigest: DIGEST, imageTags: [SHA, SHA.slice(0, 7)] }] });
    const docker = fakeDocker();
    const world = ports(docker.exec);

    const report = await buildAndPush(request(), { ecr: client() }, world.ports);

    expect(docker.builds().map((call) => call.args.slice(0, 2))).toEqual([['buildx', 'build']]);
    // No `docker login`: the credential reaches docker through a copy of its configuration, never a command line.
    expect(docker.calls.filter((call) => call.args[0] === 'login')).toEqual([]);
    expect(docker.calls.some((call) => JSON.stringify(call).includes('pa55word'))).toBe(false);
    expect(report).toMatchObject({ built: true, builder: 'buildx', digest: DIGEST, image: `${REGISTRY}/team/web@${DIGEST}` });
    expect(world.outputs).toEqual([expect.objectContaining({ digest: DIGEST, built: true })]);
    expect(world.log.lines).toContain(`Pushed ${REGISTRY}/team/web@${DIGEST}`);
  });

  test("a build secret's value, read by the builder from the step's environment, is masked before the build", async () => {
    const ecr = ecrWith();
    ecr
      .on(DescribeImagesCommand)
      .rejectsOnce(new ImageNotFoundException({ message: 'none', $metadata: {} }))
      .resolves({ imageDetails: [{ imageDigest: DIGEST, imageTags: [SHA, SHA.slice(0, 7)] }] });
    const docker = fakeDocker();
    const world = ports(docker.exec);

    await buildAndPush(
      request({ secrets: [{ id: 'npm_token', env: 'NPM_TOKEN' }] }),
      { ecr: client() },
      {
        ...world.ports,
        env: { GITHUB_SHA: SHA, NPM_TOKEN: 's3cret-npm' },
      },
    );

    expect(world.secrets).toContain('s3cret-npm');
    const build = docker.builds()[0];
    expect(build.args).toContain('id=npm_token,env=NPM_TOKEN');
    expect(JSON.stringify(docker.calls)).not.toContain('s3cret-npm');
  });

  test("each line of a multi-line secret, a variable's or a file's, is masked before the build starts", async () => {
    const ecr = ecrWith();
    ecr
      .on(DescribeImagesCommand)
      .rejectsOnce(new ImageNotFoundException({ message: 'none', $metadata: {} }))
      .resolves({ imageDetails: [{ imageDigest: DIGEST, imageTags: [SHA] }] });
    const file = join(mkdtempSync(join(tmpdir(), 'secret-file-')), '.npmrc');
    writeFileSync(file, '//registry.npmjs.org/:_authToken=npm-file-token-1\n  always-auth=true\n');
    const docker = fakeDocker();
    const world = ports(docker.exec);
    // What was masked by the time each docker call started.
    const maskedAtBuild: string[][] = [];
    const exec: CommandExecutor = async (tool, args, options) => {
      if (args.includes('build')) maskedAtBuild.push([...world.secrets]);
      return docker.exec(tool, args, options);
    };

    await buildAndPush(
      request({
        secrets: [
          { id: 'key', env: 'DEPLOY_KEY' },
          { id: 'npmrc', file },
        ],
      }),
      { ecr: client() },
      {
        ...world.ports,
        exec,
        env: { GITHUB_SHA: SHA, DEPLOY_KEY: '-----BEGIN KEY-----\r\nb3BlbnNzaC1rZXktdjE\r\n}\r\n-----END KEY-----\r\n' },
      },
    );

    const lines = [
      '-----BEGIN KEY-----',
      'b3BlbnNzaC1rZXktdjE',
      '-----END KEY-----',
      '//registry.npmjs.org/:_authToken=npm-file-token-1',
      'always-auth=true',
    ];
    expect(maskedAtBuild).toEqual([expect.arrayContaining(lines)]);
    // A lone brace is the file's structure: masking it would star every brace in the log.
    expect(world.secrets).not.toContain('}');
    ecr.restore();
  });

  test('scan findings at or above the threshold fail the step after the image is output', async () => {
    const ecr = ecrWith();
    ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST, imageTags: [SHA, SHA.slice(0, 7)] }] });
    ecr.on(DescribeImageScanFindingsCommand).resolves({
      imageScanStatus: { status: 'COMPLETE' },
      imageScanFindings: {
        findings: [
          { name: 'CVE-2026-0001', severity: 'CRITICAL' },
          { name: 'CVE-2026-0002', severity: 'LOW' },
        ],
      },
    });
    const world = ports(fakeDocker().exec);

    const failure = buildAndPush(request({ scanThreshold: 'HIGH' }), { ecr: client() }, world.ports);

    await expect(failure).rejects.toThrow(ActionFailure);
    await expect(failure).rejects.toThrow(
      `ECR's scan of ${REGISTRY}/team/web@${DIGEST} found 1 finding at or above HIGH:\n  CRITICAL CVE-2026-0001`,
    );
    expect(world.outputs).toEqual([expect.objectContaining({ digest: DIGEST })]);
    expect(world.summaries[0]).toContain('1 at or above HIGH: failed');
  });
});

describe('buildAndPush when the workflow is cancelled', () => {
  test('during the build: the step ends at once without waiting for docker, outputs no image, and the summary says the build was interrupted', async () => {
    const ecr = ecrWith();
    ecr.on(DescribeImagesCommand).rejects(new ImageNotFoundException({ message: 'none', $metadata: {} }));
    const controller = new AbortController();
    // docker is still building when the runner's SIGINT arrives: its build never ends in this test.
    const exec: CommandExecutor = async (tool, args, options) => {
      if (args[0] === 'buildx' && args[1] === 'build') {
        controller.abort();
        return new Promise(() => {});
      }
      return fakeDocker().exec(tool, args, options);
    };
    const world = ports(exec);

    const failure = await buildAndPush(request(), { ecr: client() }, { ...world.ports, signal: controller.signal }).catch(
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(ActionFailure);
    expect((failure as Error).message).toMatch(
      /^The workflow was cancelled while buildx was building \S+team\/web \(and pushing it: ECR may hold some of its layers/,
    );
    expect((failure as Error).message).toContain('this step outputs no image');
    expect(world.outputs).toEqual([]);
    expect(world.summaries).toHaveLength(1);
    expect(world.summaries[0]).toContain('Build team/web: interrupted');
    // After the signal: no look at ECR for the pushed image, no scan wait.
    expect(ecr.commandCalls(DescribeImagesCommand)).toHaveLength(1);
    ecr.restore();
  });

  test('during a buildx build on a builder made for it: the builder is removed before the step ends', async () => {
    const ecr = ecrWith();
    ecr.on(DescribeImagesCommand).rejects(new ImageNotFoundException({ message: 'none', $metadata: {} }));
    const controller = new AbortController();
    const docker = fakeDocker();
    // The runner's default builder (driver docker) cannot export the cache, so a docker-container builder is made.
    const exec: CommandExecutor = async (tool, args, options) => {
      if (args[0] === 'buildx' && args[1] === 'inspect')
        return { exitCode: 0, stdout: 'Name:   default\nDriver: docker\n\nNodes:\n', stderr: '' };
      if (args[0] === 'buildx' && args[1] === 'build') {
        docker.calls.push({ tool, args, options });
        controller.abort();
        return new Promise(() => {});
      }
      return docker.exec(tool, args, options);
    };
    const world = ports(exec);

    const failure = await buildAndPush(request(), { ecr: client() }, { ...world.ports, signal: controller.signal }).catch(
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(ActionFailure);
    const created = docker.calls.find((call) => call.args[1] === 'create')!.args[3];
    expect(created).toMatch(/^build-push-/);
    expect(docker.calls.at(-1)!.args).toEqual(['buildx', 'rm', created]);
    ecr.restore();
  });
});

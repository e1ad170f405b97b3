import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { ConfigurationError, resolveRegion } from '@ecs-deploy/core/common';
import { stepInputs } from '@ecs-deploy/core/platform';
import { BUILDERS, ECR_PUBLIC_REGION, REGISTRY_KINDS, SEVERITIES, type BuildRequest, type Severity } from '@ecs-deploy/core/use-cases';
import { readLifecyclePolicyFile } from './lifecycle-policy';
import { readBuildSecrets, readSsh } from './build-secrets';
import { readLabels } from './labels';
import { refuseForEcrPublic } from './public-registry-inputs';
import { repositoryNameProblem } from './repository-name';

// A Docker tag (distribution spec): a word character, then up to 127 word characters, dots and dashes.
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/;

/** Reads and validates every input, and checks the context and Dockerfile exist, before any AWS call. */
export function readBuildInputs(
  inputs = stepInputs(),
  workspace = process.env.GITHUB_WORKSPACE ?? process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): BuildRequest {
  const repository = inputs.required('repository');
  const nameProblem = repositoryNameProblem(repository);
  if (nameProblem) throw new ConfigurationError(`Input 'repository' ${nameProblem}; got "${repository}".`, 'repository');
  const registry = inputs.oneOf('registry', REGISTRY_KINDS, 'private') ?? 'private';
  if (registry === 'public') refuseForEcrPublic(inputs, repository);

  const context = resolve(workspace, inputs.optional('context') ?? '.');
  if (!existsSync(context) || !statSync(context).isDirectory()) {
    throw new ConfigurationError(
      `Input 'context' names "${inputs.optional('context') ?? '.'}", which is not a directory in the workspace (${workspace}).`,
      'context',
    );
  }
  const dockerfileInput = inputs.optional('dockerfile');
  const dockerfile = dockerfileInput
    ? isAbsolute(dockerfileInput)
      ? dockerfileInput
      : resolve(workspace, dockerfileInput)
    : join(context, 'Dockerfile');
  if (!existsSync(dockerfile) || !statSync(dockerfile).isFile()) {
    throw new ConfigurationError(
      dockerfileInput
        ? `Input 'dockerfile' names "${dockerfileInput}", which does not exist; give the path of the Dockerfile relative to the workspace.`
        : `Input 'dockerfile' is not set and the context has no Dockerfile (${dockerfile}); add one or set 'dockerfile' to its path.`,
      'dockerfile',
    );
  }

  const extraTags = inputs.list('tags');
  const badTag = extraTags.find((tag) => !TAG.test(tag));
  if (badTag !== undefined) {
    throw new ConfigurationError(
      `Input 'tags' holds "${badTag}", which is not a valid tag: up to 128 letters, digits, underscores, dots and dashes, not starting with a dot or dash.`,
      'tags',
    );
  }
  const platforms = inputs.list('platforms').flatMap((line) =>
    line
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean),
  );
  const badPlatform = platforms.find((platform) => !PLATFORM.test(platform));
  if (badPlatform !== undefined) {
    throw new ConfigurationError(
      `Input 'platforms' holds "${badPlatform}"; a platform is os/arch or os/arch/variant, e.g. linux/amd64 or linux/arm64/v8.`,
      'platforms',
    );
  }
  const registryId = inputs.optional('registry-id');
  if (registryId !== undefined && !/^[0-9]{12}$/.test(registryId)) {
    throw new ConfigurationError(
      `Input 'registry-id' is "${registryId}"; it is the 12-digit AWS account ID whose registry holds the repository, e.g. 123456789012.`,
      'registry-id',
    );
  }
  const keepTagged = inputs.integer('lifecycle-keep-tagged', { min: 1, max: 10_000 });
  const expireUntaggedDays = inputs.integer('lifecycle-expire-untagged-days', { min: 1, max: 36_500 });
  const createRepository = inputs.boolean('create-repository', false);
  if ((keepTagged !== undefined || expireUntaggedDays !== undefined) && !createRepository) {
    const input = keepTagged !== undefined ? 'lifecycle-keep-tagged' : 'lifecycle-expire-untagged-days';
    throw new ConfigurationError(
      `Input '${input}' sets the lifecycle policy of a repository this step creates, and create-repository is false; set create-repository to true, or give an existing repository its policy in ECR.`,
      input,
    );
  }
  const policyFile = readLifecyclePolicyFile(inputs, workspace, { keepTagged, expireUntaggedDays, createRepository });
  const threshold = inputs.oneOf('scan-severity-threshold', ['none', ...SEVERITIES.map((s) => s.toLowerCase())], 'none') as string;

  return {
    // ECR Public's API is in us-east-1 only, whatever the job's region.
    region: registry === 'public' ? ECR_PUBLIC_REGION : resolveRegion(inputs.optional('region')),
    repository,
    context,
    dockerfile,
    buildArgs: inputs.keyValues('build-args'),
    target: inputs.optional('target'),
    labels: readLabels(inputs),
    noCache: inputs.boolean('no-cache', false),
    secrets: readBuildSecrets(inputs, workspace, env),
    ssh: readSsh(inputs, workspace, env),
    platforms,
    extraTags,
    push: inputs.boolean('push', true),
    cache: inputs.boolean('cache', true),
    skipExisting: inputs.boolean('skip-existing', true),
    createRepository,
    lifecycle: policyFile
      ? { policyFile }
      : keepTagged !== undefined || expireUntaggedDays !== undefined
        ? { keepTagged, expireUntaggedDays }
        : undefined,
    scanThreshold: threshold === 'none' ? undefined : (threshold.toUpperCase() as Severity),
    scanTimeoutMs: inputs.duration('scan-timeout', '10m'),
    builder: inputs.oneOf('builder', BUILDERS),
    registryId,
    registry,
  };
}

import { isAbsolute, resolve } from 'node:path';
import { ConfigurationError, type Inputs } from '@ecs-deploy/core/common';
import { loadLifecyclePolicyFile, type LifecyclePolicyFile } from '@ecs-deploy/core/use-cases';

/**
 * Input 'lifecycle-policy': a JSON lifecycle policy file for the repository this step creates, read and checked as
 * ECR would check it before anything is built or changed. It replaces the two lifecycle-* inputs, so it is refused
 * with them (which policy would win is not for build-push to guess), and, like them, without create-repository.
 */
export function readLifecyclePolicyFile(
  inputs: Inputs,
  workspace: string,
  others: { keepTagged?: number; expireUntaggedDays?: number; createRepository: boolean },
): LifecyclePolicyFile | undefined {
  const given = inputs.optional('lifecycle-policy');
  if (given === undefined) return undefined;
  const clash =
    others.keepTagged !== undefined
      ? 'lifecycle-keep-tagged'
      : others.expireUntaggedDays !== undefined
        ? 'lifecycle-expire-untagged-days'
        : undefined;
  if (clash)
    throw new ConfigurationError(
      `Inputs 'lifecycle-policy' and '${clash}' both set the lifecycle policy of the repository this step creates; give one: the file's rules, or the lifecycle-* inputs.`,
      'lifecycle-policy',
    );
  if (!others.createRepository)
    throw new ConfigurationError(
      "Input 'lifecycle-policy' sets the lifecycle policy of a repository this step creates, and create-repository is false; set create-repository to true, or give an existing repository its policy in ECR.",
      'lifecycle-policy',
    );
  return loadLifecyclePolicyFile(isAbsolute(given) ? given : resolve(workspace, given), given);
}

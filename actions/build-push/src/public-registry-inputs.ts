import { ConfigurationError, type Inputs } from '@ecs-deploy/core/common';
import { ECR_PUBLIC_REGION } from '@ecs-deploy/core/use-cases';

// ECR Public's repositoryName is at most 205 characters (ECR Public API reference, CreateRepository).
const PUBLIC_NAME_MAX = 205;

/**
 * With `registry: public`, refuses the inputs ECR Public cannot honour, naming each and why, before any AWS call:
 * it has no image scanning, no lifecycle policies and no tag immutability, its API is in us-east-1 only, and
 * build-push pushes to the caller's own public registry.
 */
export function refuseForEcrPublic(inputs: Inputs, repository: string): void {
  const refuse = (input: string, why: string) => {
    throw new ConfigurationError(`Input '${input}' ${why}`, input);
  };
  const threshold = inputs.optional('scan-severity-threshold');
  if (threshold !== undefined && threshold.toLowerCase() !== 'none')
    refuse('scan-severity-threshold', `is ${threshold}, and ECR Public does not scan images (registry is public); leave it at none.`);
  for (const input of ['lifecycle-keep-tagged', 'lifecycle-expire-untagged-days', 'lifecycle-policy'])
    if (inputs.optional(input) !== undefined)
      refuse(input, 'is set, and ECR Public repositories have no lifecycle policies (registry is public); leave it out.');
  if (inputs.optional('registry-id') !== undefined)
    refuse(
      'registry-id',
      "is set, and with registry public build-push pushes to the caller's own public registry (its alias is in the repository's URI); leave it out.",
    );
  const region = inputs.optional('region');
  if (region !== undefined && region !== ECR_PUBLIC_REGION)
    refuse(
      'region',
      `is ${region}, and the ECR Public API is only in ${ECR_PUBLIC_REGION} (registry is public), which build-push uses whatever the job's region; leave it out or set ${ECR_PUBLIC_REGION}.`,
    );
  if (repository.length > PUBLIC_NAME_MAX)
    refuse('repository', `is ${repository.length} characters long, and an ECR Public repository name is at most ${PUBLIC_NAME_MAX}.`);
}

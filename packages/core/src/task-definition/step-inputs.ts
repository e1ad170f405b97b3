import { ConfigurationError } from '../common/errors';
import type { ContainerKeyValue, Inputs } from '../common/inputs';
import { imageGivenTwice, type RevisionChanges } from './render';
import { secretReferenceProblem } from './secret-references';

/**
 * The inputs that change the revision's containers: container, image, images, environment and secrets. What can be
 * judged without the revision is judged here (a reference ECS would not resolve, a container given an image twice
 * by name); whether each container exists is judged when the revision is rendered, in pre-flight.
 */
export function readRevisionChanges(
  inputs: Inputs,
): Required<Pick<RevisionChanges, 'images' | 'environment' | 'secrets'>> & RevisionChanges {
  const container = inputs.optional('container');
  const image = inputs.image('image');
  const images = inputs.containerImages('images');
  const twice = container !== undefined && image !== undefined ? images.find((entry) => entry.container === container) : undefined;
  if (twice) throw imageGivenTwice(twice.container, twice.line);
  return {
    ...(container !== undefined ? { container } : {}),
    ...(image !== undefined ? { image } : {}),
    images,
    environment: inputs.containerKeyValues('environment'),
    secrets: secretsInput(inputs, 'secrets'),
  };
}

/** NAME=REFERENCE lines: each reference an SSM parameter name or ARN, or a Secrets Manager secret ARN. */
export function secretsInput(inputs: Inputs, name: string): ContainerKeyValue[] {
  const secrets = inputs.containerKeyValues(name);
  for (const secret of secrets) {
    const problem = secret.value === '' ? 'it is empty' : secretReferenceProblem(secret.value);
    if (problem) {
      const where = `line ${secret.line} (${secret.container ? `${secret.container}:` : ''}${secret.name})`;
      throw new ConfigurationError(
        `Input '${name}' ${where} must reference an SSM parameter by name or ARN, or a Secrets Manager secret by ARN; got "${secret.value}": ${problem}.`,
        name,
      );
    }
  }
  return secrets;
}

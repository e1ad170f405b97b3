import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { secretValues } from '../common/secret-values';

/**
 * The credentials in a task definition's container environments, picked as secretValues picks them among inputs
 * (credential-named values, the password of a URL). Every action that reads a revision whose containers it may
 * quote (a crashed container's last log lines) masks these first: the revision may carry a DATABASE_URL that an
 * earlier deploy put there, which this step's own inputs never named.
 */
export function containerSecretValues(containers: readonly ContainerDefinition[] | undefined): string[] {
  return secretValues(
    (containers ?? []).flatMap((container) =>
      (container.environment ?? []).map((variable) => ({ name: variable.name ?? '', value: variable.value ?? '' })),
    ),
  );
}

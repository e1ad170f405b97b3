import { ECRClient } from '@aws-sdk/client-ecr';
import type { ClientFactory } from '../../common/aws';
import type { RegistrableDefinition } from '../../task-definition/strip';
import type { CheckResult, PreflightCheck } from '../check';
import { lookUpEcrImage } from '../images/ecr-lookup';
import { locateImage } from '../images/image-location';
import type { ImageOutcome } from '../images/outcome';
import { lookUpRegistryImage } from '../images/registry-lookup';

/** Long enough for a registry on another continent, short enough that an unreachable one costs the deploy little. */
export const REGISTRY_TIMEOUT_MS = 3_000;

export interface ImagesExistOptions {
  /** The revision about to run, rendered with the step's changes (or how to read it, when the service's live one is the base). */
  definition: RegistrableDefinition | (() => Promise<RegistrableDefinition>);
  /** ECR clients in each image's region: an image's host names its account and region, which may not be the step's. */
  aws: ClientFactory;
  /** The input a missing image is most likely to come from; `image` by default. */
  input?: string;
  registryTimeoutMs?: number;
}

/**
 * Every image the new revision runs exists, every container's and not only the one the step changes: ECS pulls
 * them all, and one missing image stops every task with CannotPullContainerError minutes after the service was
 * updated. ECR images are looked up in their own account's registry and region; images of other registries with
 * an anonymous manifest HEAD. All look-ups run at once. A look-up without an answer (AccessDenied, a registry that
 * needs credentials or does not answer) is a warning, never a failure.
 */
export function imagesExistCheck(options: ImagesExistOptions): PreflightCheck<undefined> {
  return {
    id: 'images-exist',
    title: 'Images exist',
    protects: false,
    permissions: ['ecr:DescribeImages', 'ecr:BatchGetImage'],
    run: async () => {
      const definition = typeof options.definition === 'function' ? await options.definition() : options.definition;
      const architecture = definition.runtimePlatform?.cpuArchitecture;
      const ecrClients = new Map<string, ECRClient>();
      const ecrIn = (region: string) => ecrClients.get(region) ?? ecrClients.set(region, options.aws(ECRClient, region)).get(region)!;
      const lookUps = new Map<string, Promise<ImageOutcome>>();
      const containers = (definition.containerDefinitions ?? []).filter((container) => container.image);
      const outcomes = await Promise.all(
        containers.map(async (container) => {
          const image = container.image as string;
          const credentials = container.repositoryCredentials?.credentialsParameter;
          const key = `${image}\n${credentials ?? ''}`;
          if (!lookUps.has(key))
            lookUps.set(key, lookUp(image, architecture, credentials, ecrIn, options.registryTimeoutMs ?? REGISTRY_TIMEOUT_MS));
          return { container: container.name ?? '(unnamed)', outcome: await (lookUps.get(key) as Promise<ImageOutcome>) };
        }),
      );
      return combine(outcomes, options.input ?? 'image');
    },
  };
}

function lookUp(
  image: string,
  architecture: string | undefined,
  credentialsParameter: string | undefined,
  ecrIn: (region: string) => ECRClient,
  timeoutMs: number,
): Promise<ImageOutcome> {
  const location = locateImage(image);
  if (location.kind === 'unparsed') {
    const text = `runs "${image}", which is not an image reference: ${location.problem}`;
    // A template's placeholder in a container the step does not change: nothing of the step ever fills it.
    const fix = location.placeholder
      ? "The step fills in only the image of the container it changes (its 'container' and 'image' inputs): write the other containers' images into the task definition, or fill the placeholder in an earlier step."
      : undefined;
    return Promise.resolve({ status: 'fail', text, fix });
  }
  if (location.kind === 'ecr') return lookUpEcrImage(ecrIn(location.region), location, architecture);
  return lookUpRegistryImage(location, architecture, { timeoutMs, credentialsParameter });
}

/** One row for the check: the failures (then the warnings) by container, or every image found. */
function combine(outcomes: Array<{ container: string; outcome: ImageOutcome }>, input: string): CheckResult<undefined> {
  const said = (status: ImageOutcome['status']) =>
    outcomes.filter(({ outcome }) => outcome.status === status).map(({ container, outcome }) => `container "${container}" ${outcome.text}`);
  const fixes = [...new Set(outcomes.flatMap(({ outcome }) => (outcome.status !== 'pass' && outcome.fix ? [outcome.fix] : [])))];
  const failed = said('fail');
  const warned = said('warn');
  if (failed.length)
    return {
      status: 'fail',
      input,
      detail: `${[...failed, ...warned].join('; ')}.`,
      fix: `${fixes.join(' ')} Nothing was changed.`.trim(),
    };
  if (warned.length) return { status: 'warn', detail: `${warned.join('; ')}.`, fix: fixes.length ? fixes.join(' ') : undefined };
  if (outcomes.length === 0) return { status: 'pass', detail: 'the revision names no image' };
  return { status: 'pass', detail: said('pass').join('; ') };
}

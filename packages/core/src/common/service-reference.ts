import { parseArn } from './arn-inputs';
import { ConfigurationError } from './errors';
import { arnPrefix } from './partitions';

/** A service named by an input other than `service`: its cluster and name, and its account when given by ARN. */
export interface ServiceReference {
  cluster: string;
  service: string;
  /** The account of a service given by ARN, checked against the step's own once that is known. */
  account?: string;
  /** `cluster/service`, as the log and the summary call it. */
  label: string;
}

/**
 * ECS cluster and service names: "Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens
 * are allowed" (API reference, CreateCluster clusterName and CreateService serviceName).
 */
const NAME = /^[A-Za-z0-9_-]{1,255}$/;

/** The two forms, the ARN in the region's partition (arn:aws-cn:ecs:... in the China regions). */
const forms = (region: string) =>
  `cluster/service (e.g. staging/web) or the service ARN ${arnPrefix(region)}:ecs:<region>:<account>:service/<cluster>/<name>`;

/**
 * A service of the step's region named as `cluster/service`, or by its ARN of the new form (which names its cluster).
 * An ARN of another region is refused naming the region: ECS finds a service only in its own region, and the step's
 * clients work in one.
 */
export function parseServiceReference(input: string, value: string, region: string): ServiceReference {
  const fail = (problem: string): never => {
    throw new ConfigurationError(`Input '${input}' must name a service as ${forms(region)}; got "${value}": ${problem}.`, input);
  };
  if (value.startsWith('arn:')) {
    const arn = parseArn(value);
    if (!arn) return fail('it starts with arn: but is not an ARN (arn:partition:service:region:account:resource)');
    if (arn.service !== 'ecs') return fail(`it is an ARN of ${arn.service}, not of ECS`);
    if (arn.type !== 'service') return fail(`it is the ARN of an ECS ${arn.type}, not of a service`);
    if (!/^\d{12}$/.test(arn.account)) return fail(`it names the account "${arn.account}", which is not 12 digits`);
    if (arn.region !== region) {
      throw new ConfigurationError(
        `Input '${input}' names a service in ${arn.region}, but this step works in ${region} (its 'region' input or AWS_REGION): ` +
          `it compares with a service of the same account and region only. Give a service in ${region}.`,
        input,
      );
    }
    const parts = arn.id.split('/');
    if (parts.length === 1) return fail('a service ARN of the old form (service/<name>) does not name its cluster; give cluster/service');
    return reference(parts, fail, arn.account);
  }
  return reference(value.split('/'), fail);
}

function reference(parts: string[], fail: (problem: string) => never, account?: string): ServiceReference {
  if (parts.length === 1) fail('it names no cluster');
  if (parts.length > 2) fail('cluster and service names hold no "/"');
  const [cluster, service] = parts;
  if (!cluster || !service) fail(`the ${cluster ? 'service' : 'cluster'} name is empty`);
  for (const [what, name] of [
    ['cluster', cluster],
    ['service', service],
  ] as const) {
    if (!NAME.test(name)) fail(`the ${what} name "${name}" may hold only letters, digits, hyphens and underscores (up to 255)`);
  }
  return { cluster, service, label: `${cluster}/${service}`, ...(account ? { account } : {}) };
}

import { ConfigurationError } from './errors';
import { arnPrefix, partitionOf } from './partitions';

/** The ECS resources an input may name by ARN. */
export type EcsResource = 'cluster' | 'service' | 'task-definition';

export interface EcsArnInputs {
  cluster?: string;
  service?: string;
  'task-definition'?: string;
}

export interface Arn {
  /** aws, aws-cn, aws-us-gov, aws-eusc...: the region's partition (common/partitions.ts). */
  partition: string;
  service: string;
  region: string;
  account: string;
  type: string;
  /** What follows the resource type: `prod`, `prod/web`, `web:12`. */
  id: string;
}

/** The ARN of each resource as the region's partition writes it (arn:aws-cn:ecs:... in the China regions). */
const example = (resource: EcsResource, region: string): string =>
  `${arnPrefix(region)}:ecs:<region>:<account>:${{ cluster: 'cluster/<name>', service: 'service/<cluster>/<name>', 'task-definition': 'task-definition/<family>:<revision>' }[resource]}`;

/** The parts of an ARN, or undefined when the value is not one. */
export function parseArn(value: string): Arn | undefined {
  const match = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):([^:]*):([^/:]+)[/:](.+)$/.exec(value);
  if (!match) return undefined;
  const [, partition, service, region, account, type, id] = match;
  return { partition, service, region, account, type, id };
}

/**
 * The cluster, service and task definition inputs that are ARNs must be ECS ARNs of that kind, in the step's
 * region, of one account, and a service ARN of the cluster given: ECS would answer each of these mistakes with a
 * "not found" that does not say why (a resource is found only in its own region and account).
 */
export function checkEcsArnInputs(inputs: EcsArnInputs, region: string): void {
  const accounts: [EcsResource, string][] = [];
  for (const resource of ['cluster', 'service', 'task-definition'] as const) {
    const value = inputs[resource];
    if (!value?.startsWith('arn:')) continue;
    const arn = parseArn(value);
    const fail = (problem: string) => {
      throw new ConfigurationError(`Input '${resource}' ${problem}; got "${value}".`, resource);
    };
    const give = `give the ${resource.replace('-', ' ')}'s name or its ARN, ${example(resource, region)}`;
    if (!arn) fail(`starts with arn: but is not an ARN (arn:partition:service:region:account:resource): ${give}`);
    else if (arn.service !== 'ecs') fail(`is an ARN of ${arn.service}, not of ECS: ${give}`);
    else if (arn.type !== resource) fail(`is the ARN of an ECS ${arn.type}, not of a ${resource.replace('-', ' ')}: ${give}`);
    else if (!/^\d{12}$/.test(arn.account)) fail(`names the account "${arn.account}", which is not 12 digits: ${give}`);
    else if (`arn:${arn.partition}` !== arnPrefix(region) && arn.region === region)
      fail(
        `is an ARN of the ${arn.partition} partition, but ${region} is in ${partitionOf(region).name}, whose ARNs start ${arnPrefix(region)}: ${give}`,
      );
    else if (arn.region !== region) {
      fail(
        `names a ${resource.replace('-', ' ')} in ${arn.region}, but this step works in ${region} (its 'region' input or AWS_REGION), and ECS finds it only in its own region: set 'region' to ${arn.region}, or give the one in ${region}`,
      );
    } else accounts.push([resource, arn.account]);
  }
  const [first, ...others] = accounts;
  const stranger = others.find(([, account]) => account !== first[1]);
  if (first && stranger) {
    throw new ConfigurationError(
      `Input '${stranger[0]}' is in account ${stranger[1]}, but '${first[0]}' is in account ${first[1]}: ECS uses a ${stranger[0].replace('-', ' ')} only in its own account. Give both from the account this job's role is in.`,
      stranger[0],
    );
  }
  checkServiceOfCluster(inputs);
}

/** A service ARN of the new form (service/<cluster>/<name>) names its cluster, which must be the cluster given. */
function checkServiceOfCluster({ cluster, service }: EcsArnInputs): void {
  const serviceArn = service?.startsWith('arn:') ? parseArn(service) : undefined;
  const clusterOfService = serviceArn?.id.includes('/') ? serviceArn.id.slice(0, serviceArn.id.indexOf('/')) : undefined;
  if (!clusterOfService || !cluster) return;
  const clusterName = cluster.startsWith('arn:') ? cluster.slice(cluster.lastIndexOf('/') + 1) : cluster;
  if (clusterName !== clusterOfService) {
    throw new ConfigurationError(
      `Input 'service' is the ARN of a service in cluster "${clusterOfService}", but 'cluster' is "${clusterName}": give the service of that cluster, or set 'cluster' to ${clusterOfService}.`,
      'service',
    );
  }
}

import { ConfigurationError } from '../common/errors';
import { REGION_SHAPE } from '../common/regions';

/** A service deployment, as its ARN names it: arn:aws:ecs:<region>:<account>:service-deployment/<cluster>/<service>/<id>. */
export interface ServiceDeploymentArn {
  arn: string;
  region: string;
  account: string;
  cluster: string;
  service: string;
  id: string;
}

const SHAPE = 'arn:aws:ecs:<region>:<account>:service-deployment/<cluster>/<service>/<id>';
const WHERE = "such as deploy-ecs's service-deployment-arn output or an ARN ListServiceDeployments lists";

/**
 * Reads an input that names a service deployment by its ARN. Each wrong shape is said with what it looks like
 * instead (a service ARN, deploy-ecs's ecs-svc/… deployment id), since ECS itself would only answer "not found".
 */
export function parseServiceDeploymentArn(value: string, input: string): ServiceDeploymentArn {
  const fail = (problem: string): never => {
    throw new ConfigurationError(`Input '${input}' ${problem}: give a service deployment ARN, ${SHAPE}, ${WHERE}; got "${value}".`, input);
  };
  if (/^ecs-svc\//.test(value)) fail("is an ECS deployment id (deploy-ecs's deployment-id output), not a service deployment ARN");
  const arn = /^arn:aws[a-z-]*:([a-z0-9-]+):([a-z0-9-]*):([^:]*):([^/:]+)\/(.*)$/.exec(value);
  if (!arn) return fail('is not an ARN');
  const [, service, region, account, type, rest] = arn;
  if (service !== 'ecs') fail(`is an ARN of ${service}, not of ECS`);
  if (type !== 'service-deployment') fail(`is the ARN of an ECS ${type}, not of a service deployment`);
  if (!REGION_SHAPE.test(region)) fail(`names the region "${region}", which is not a region`);
  if (!/^\d{12}$/.test(account)) fail(`names the account "${account}", which is not 12 digits`);
  const parts = rest.split('/');
  if (parts.length !== 3 || parts.some((part) => part === '')) fail('does not end in <cluster>/<service>/<id> after service-deployment/');
  const [cluster, serviceName, id] = parts;
  return { arn: value, region, account, cluster, service: serviceName, id };
}

import { nameFromArn, taskId } from '../common/identifiers';
import type { LogLocation } from '../logs/log-tail';

/** Links into the AWS console, so the evidence in a failed job is one click from the real thing. */
export function serviceDeploymentsLink(region: string, cluster: string, service: string): string {
  return `https://${region}.console.aws.amazon.com/ecs/v2/clusters/${encodeURIComponent(nameFromArn(cluster))}/services/${encodeURIComponent(nameFromArn(service))}/deployments?region=${region}`;
}

export function taskLink(region: string, cluster: string, taskArn: string): string {
  return `https://${region}.console.aws.amazon.com/ecs/v2/clusters/${encodeURIComponent(nameFromArn(cluster))}/tasks/${taskId(taskArn)}/configuration?region=${region}`;
}

export function logStreamLink(region: string, location: LogLocation): string {
  // The console double-encodes the group and stream inside its fragment.
  const encode = (value: string) => encodeURIComponent(value).replace(/%/g, '$25');
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${location.region ?? region}#logsV2:log-groups/log-group/${encode(location.group)}/log-events/${encode(location.stream)}`;
}

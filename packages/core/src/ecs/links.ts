import { nameFromArn, taskId } from '../common/identifiers';
import { consoleBase } from '../common/partitions';
import type { LogLocation } from '../logs/log-tail';

/**
 * Links into the AWS console, so the evidence in a failed job is one click from the real thing. Each is in the
 * region's partition's console, and undefined in a partition whose console the suite does not know (consoleBase).
 */
export function serviceDeploymentsLink(region: string, cluster: string, service: string): string | undefined {
  const base = consoleBase(region);
  return (
    base &&
    `${base}/ecs/v2/clusters/${encodeURIComponent(nameFromArn(cluster))}/services/${encodeURIComponent(nameFromArn(service))}/deployments?region=${region}`
  );
}

export function taskLink(region: string, cluster: string, taskArn: string): string | undefined {
  const base = consoleBase(region);
  return (
    base && `${base}/ecs/v2/clusters/${encodeURIComponent(nameFromArn(cluster))}/tasks/${taskId(taskArn)}/configuration?region=${region}`
  );
}

export function logStreamLink(region: string, location: LogLocation): string | undefined {
  // The console double-encodes the group and stream inside its fragment.
  const encode = (value: string) => encodeURIComponent(value).replace(/%/g, '$25');
  const base = consoleBase(region);
  return (
    base &&
    `${base}/cloudwatch/home?region=${location.region ?? region}#logsV2:log-groups/log-group/${encode(location.group)}/log-events/${encode(location.stream)}`
  );
}

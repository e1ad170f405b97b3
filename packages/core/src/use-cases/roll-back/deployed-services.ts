import { ConfigurationError } from '../../common/errors';
import { isRevisionReference } from '../../common/identifiers';

/** One entry of deploy-ecs's `services` output, the fields a rollback needs. */
export interface DeployedService {
  cluster: string;
  service: string;
  status: string;
  taskDefinitionArn: string;
  /** The last revision that completed a deployment before the release; empty when there was none. */
  previousTaskDefinitionArn: string;
}

const GIVE = "give deploy-ecs's services output as it is (services: ${{ steps.deploy.outputs.services }})";

/** Reads the 'services' input: a JSON array, one object per service, as deploy-ecs writes it. */
export function parseDeployedServices(text: string): DeployedService[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw refuse(`is not JSON (${(error as Error).message}): ${GIVE}`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    throw refuse(
      `must be a JSON array with one object per service; got ${Array.isArray(parsed) ? 'an empty array' : `a JSON ${typeOf(parsed)}`}: ${GIVE}`,
    );
  }
  const entries = parsed.map((entry, index) => readEntry(entry, index));
  const seen = new Set<string>();
  for (const entry of entries) {
    const name = serviceName(entry.service);
    if (seen.has(name)) throw refuse(`holds service "${name}" twice: each service has one entry`);
    seen.add(name);
  }
  return entries;
}

function readEntry(entry: unknown, index: number): DeployedService {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw refuse(
      `entry ${index + 1} must be an object with cluster, service and previous-task-definition-arn; got a JSON ${typeOf(entry)}: ${GIVE}`,
    );
  }
  const record = entry as Record<string, unknown>;
  const text = (key: string, required: boolean): string => {
    const value = record[key];
    if (value === undefined && !required) return '';
    if (typeof value !== 'string' || (required && value === '')) {
      throw refuse(
        `entry ${index + 1} needs "${key}" as a ${required ? 'non-empty ' : ''}string; got ${JSON.stringify(value) ?? 'nothing'}: ${GIVE}`,
      );
    }
    return value;
  };
  const service = text('service', true);
  const previous = record['previous-task-definition-arn'];
  if (typeof previous !== 'string') {
    throw refuse(
      `entry ${index + 1} (service "${service}") needs "previous-task-definition-arn" as a string (empty when there is none); got ${JSON.stringify(previous) ?? 'nothing'}: ${GIVE}`,
    );
  }
  if (previous !== '' && !isRevisionReference(previous)) {
    throw refuse(
      `entry ${index + 1} (service "${service}") has previous-task-definition-arn "${previous}", which names no one revision (family:revision or a task definition ARN)`,
    );
  }
  return {
    cluster: text('cluster', true),
    service,
    status: text('status', false),
    taskDefinitionArn: text('task-definition-arn', false),
    previousTaskDefinitionArn: previous,
  };
}

/**
 * Each 'service' line's target from its 'services' entry (undefined when the entry's previous-task-definition-arn is
 * empty: the history decides). The two name the same services in the same cluster, or the step is refused: a
 * service deployed in the step but missing from 'service' would stay on the bad release unnoticed, and a line
 * missing from 'services' would take a target from somewhere the user did not say.
 */
export function targetsFromDeployedServices(
  lines: readonly string[],
  cluster: string,
  deployed: readonly DeployedService[],
): Map<string, string | undefined> {
  const byName = new Map(deployed.map((entry) => [serviceName(entry.service), entry]));
  const names = lines.map(serviceName);
  const notListed = deployed.filter((entry) => !names.includes(serviceName(entry.service))).map((entry) => serviceName(entry.service));
  if (notListed.length > 0) {
    throw refuse(
      `holds ${quoted(notListed)}, not among the 'service' lines (${quoted(names)}): list every service the deploy released in 'service', or give 'services' only the entries of the services to roll back`,
    );
  }
  const targets = new Map<string, string | undefined>();
  for (const line of lines) {
    const entry = byName.get(serviceName(line));
    if (!entry) {
      throw new ConfigurationError(
        `Input 'service' names "${serviceName(line)}", which input 'services' holds no entry for (it holds ${quoted([...byName.keys()])}): give the deploy-ecs output that deployed it, or roll it back in a step of its own.`,
        'service',
      );
    }
    if (clusterName(entry.cluster) !== clusterName(cluster)) {
      throw refuse(`gives service "${serviceName(line)}" cluster "${entry.cluster}", not the 'cluster' input's "${cluster}"`);
    }
    targets.set(line, entry.previousTaskDefinitionArn === '' ? undefined : entry.previousTaskDefinitionArn);
  }
  return targets;
}

const serviceName = (value: string) => value.split('/').pop() as string;
const clusterName = (value: string) => value.split('/').pop() as string;
const quoted = (names: readonly string[]) => names.map((name) => `"${name}"`).join(', ');
const typeOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

function refuse(problem: string): ConfigurationError {
  return new ConfigurationError(`Input 'services' ${problem}.`, 'services');
}

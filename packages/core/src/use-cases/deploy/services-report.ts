import { shortTaskDefinition } from '../../common/identifiers';
import { heading, section, table } from '../../report/markdown';
import type { DeployOutputs, DeployStatus } from './request';

/**
 * One service of a many-service deploy, as deploy-ecs's `services` output holds it (auto-rollback reads it: keep
 * the keys and their meaning). `previous-task-definition-arn` is the scalar output's: the revision that last
 * completed ('' when none); `reason` is '' when the service succeeded.
 */
export interface ServiceResult {
  cluster: string;
  service: string;
  status: DeployStatus;
  'task-definition-arn': string;
  'previous-task-definition-arn': string;
  'deployment-id': string;
  'service-deployment-arn': string;
  'duration-seconds': number;
  reason: string;
}

/**
 * Worst first: what the step's `status` is when services end differently. A failure of any kind outranks every
 * green end, and a verdict (failed, timed out) a rollout ECS undid or one the workflow stopped.
 */
const WORST_FIRST: readonly DeployStatus[] = [
  'failed',
  'timed-out',
  'rolled-back',
  'cancelled',
  'paused',
  'baking',
  'registered',
  'registered-only',
  'succeeded',
];

export function worstStatus(statuses: readonly DeployStatus[]): DeployStatus {
  return WORST_FIRST.find((status) => statuses.includes(status)) ?? 'succeeded';
}

/** Whether the service's end fails the step. */
export function failsTheStep(status: DeployStatus): boolean {
  return status === 'failed' || status === 'timed-out' || status === 'rolled-back' || status === 'cancelled';
}

/** One service's result from the outputs its deploy set, and the reason it gave when it failed. */
export function serviceResult(cluster: string, service: string, outputs: DeployOutputs | undefined, failure?: string): ServiceResult {
  const status = outputs?.status ?? (failure === undefined ? 'succeeded' : 'failed');
  return {
    cluster,
    service,
    status,
    'task-definition-arn': outputs?.taskDefinitionArn ?? '',
    'previous-task-definition-arn': outputs?.previousTaskDefinitionArn ?? '',
    'deployment-id': outputs?.deploymentId ?? '',
    'service-deployment-arn': outputs?.serviceDeploymentArn ?? '',
    'duration-seconds': outputs?.durationSeconds ?? 0,
    reason: failsTheStep(status) ? (failure ?? status) : '',
  };
}

const ICONS: Partial<Record<DeployStatus, string>> = { failed: '❌', 'timed-out': '⌛', 'rolled-back': '↩️', cancelled: '⏹️' };

/** The job summary: one row per service, then the report of each service that failed. */
export function servicesSummaryMarkdown(results: readonly ServiceResult[], failedReports: readonly string[]): string {
  const worst = worstStatus(results.map((result) => result.status));
  const failing = results.filter((result) => failsTheStep(result.status));
  const title = failing.length
    ? `❌ Deploy ${results.length} services: ${failing.length} did not succeed`
    : `✅ Deploy ${results.length} services: ${worst}`;
  const rows = results.map((result) => [
    `${ICONS[result.status] ?? '✅'} ${result.service}`,
    result.status,
    `${shortTaskDefinition(result['previous-task-definition-arn'] || undefined)} → ${shortTaskDefinition(result['task-definition-arn'] || undefined)}`,
    result['deployment-id'],
    `${result['duration-seconds']}s`,
    result.reason,
  ]);
  return section(heading(title), table(['Service', 'Status', 'Revision', 'Deployment', 'Duration', 'Reason'], rows), ...failedReports);
}

/** The step's failure: which services did not succeed, and why each. */
export function servicesFailureMessage(results: readonly ServiceResult[]): string {
  const failing = results.filter((result) => failsTheStep(result.status));
  const lines = failing.map((result) => `${result.service} (${result.status}): ${result.reason}`);
  return `${failing.length} of ${results.length} services did not succeed:\n${lines.join('\n')}`;
}

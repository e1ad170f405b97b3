import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import type { Logger } from '../common/logger';
import { stagePosition } from './lifecycle-stages';
import { describeHook, trafficWeights } from './service-deployment-verdict';
import { KNOWN_SERVICE_DEPLOYMENT_STATUSES } from './service-deployment-statuses';
import type { StageSeen } from './watch-loop';

/**
 * The lifecycle stages of one service deployment as the polls see them: each change of stage, status or traffic
 * weights is logged when it is first seen and kept for the job summary's timeline; each change of a lifecycle
 * hook's status, of the circuit breaker's count and of the triggered alarms is logged. A stage or status this suite does not know is shown as ECS wrote it.
 */
export class StageTimeline {
  private readonly entries: StageSeen[] = [];
  private lastKey = '';
  private readonly hooks = new Map<string, string>();
  private breakerSaid = '';
  private alarmsSaid = '';

  constructor(private readonly log: Logger) {}

  note(sd: ServiceDeployment, at: number): void {
    const weights = trafficWeights(sd);
    const entry: StageSeen = { at, stage: sd.lifecycleStage ?? '(no stage yet)', status: sd.status, ...weights };
    const key = `${entry.stage}|${entry.status}|${entry.productionTrafficWeight}|${entry.testTrafficWeight}`;
    if (key !== this.lastKey) {
      this.lastKey = key;
      this.entries.push(entry);
      this.log.info(stageLine(entry));
    }
    // The circuit breaker's count and the alarms, when they change: what a failure will be blamed on.
    const breaker = sd.deploymentCircuitBreaker;
    const breakerSaid = breaker?.failureCount
      ? `Circuit breaker: ${breaker.failureCount} failed tasks of its threshold ${breaker.threshold ?? '?'} (${breaker.status})`
      : '';
    if (breakerSaid && breakerSaid !== this.breakerSaid) this.log.info(breakerSaid);
    this.breakerSaid = breakerSaid;
    const alarms =
      sd.alarms?.status === 'TRIGGERED' ? `Deployment alarms TRIGGERED: ${(sd.alarms.triggeredAlarmNames ?? []).join(', ')}` : '';
    if (alarms && alarms !== this.alarmsSaid) this.log.info(alarms);
    this.alarmsSaid = alarms;
    for (const hook of sd.lifecycleHookDetails ?? []) {
      const id = hook.hookId ?? describeHook(hook);
      const said = `${hook.status}${hook.expiresAt ? ` (expires ${new Date(hook.expiresAt).toISOString()}${hook.timeoutAction ? `, then ${hook.timeoutAction}` : ''})` : ''}`;
      if (this.hooks.get(id) === said) continue;
      this.hooks.set(id, said);
      this.log.info(`${describeHook(hook)}: ${said}`);
    }
  }

  seen(): StageSeen[] {
    return [...this.entries];
  }
}

/** `BAKE_TIME (IN_PROGRESS): production 100%, test 100% on the new revision`. */
export function stageLine(entry: StageSeen): string {
  if (entry.line) return entry.line;
  const unknown = [
    entry.stage !== '(no stage yet)' && stagePosition(entry.stage) < 0 ? 'a stage' : undefined,
    entry.status && !KNOWN_SERVICE_DEPLOYMENT_STATUSES.has(entry.status) ? 'a status' : undefined,
  ].filter(Boolean);
  const note = unknown.length ? `; ${unknown.join(' and ')} this action does not know, shown as ECS reports it` : '';
  return `Stage ${entry.stage} (${entry.status ?? 'no status'}${note})${weightsText(entry)}`;
}

export function weightsText(entry: Pick<StageSeen, 'productionTrafficWeight' | 'testTrafficWeight'>): string {
  const parts = [
    entry.productionTrafficWeight !== undefined ? `production ${entry.productionTrafficWeight}%` : undefined,
    entry.testTrafficWeight !== undefined ? `test ${entry.testTrafficWeight}%` : undefined,
  ].filter(Boolean);
  return parts.length ? `: ${parts.join(', ')} on the new revision` : '';
}

import type { ECSTaskSet } from '@aws-sdk/client-codedeploy';
import type { Logger } from '../../common/logger';
import type { CodeDeployDeploymentRead } from '../../codedeploy/read-deployment';
import type { StageSeen } from '../../ecs/watch-loop';

/**
 * What a person watching a CodeDeploy deployment wants to see, as the polls see it: the deployment's status, each
 * lifecycle event's status when it changes, and the task sets' traffic weights (Blue the original, Green the
 * replacement) when they change. Each change is logged once and kept for the job summary's timeline.
 */
export class CodeDeployEventLog {
  private readonly entries: StageSeen[] = [];
  private status?: string;
  private readonly events = new Map<string, string>();
  private weights = '';

  constructor(private readonly log: Logger) {}

  note(read: CodeDeployDeploymentRead, at: number): void {
    const status = read.deployment.status;
    if (status && status !== this.status) {
      this.status = status;
      this.add(at, `CodeDeploy deployment ${read.deploymentId}: ${status}`, { stage: status, status });
    }
    for (const event of read.target?.lifecycleEvents ?? []) {
      const name = event.lifecycleEventName ?? '?';
      const eventStatus = event.status ?? 'Unknown';
      if (this.events.get(name) === eventStatus || (eventStatus === 'Pending' && !this.events.has(name))) continue;
      this.events.set(name, eventStatus);
      this.add(at, `Lifecycle event ${name}: ${eventStatus}`, { stage: name, status: eventStatus });
    }
    const taskSets = read.target?.taskSetsInfo ?? [];
    const weights = taskSets.map(describeTaskSet).join(', ');
    if (taskSets.length && weights !== this.weights) {
      this.weights = weights;
      const green = taskSets.find((t) => t.taskSetLabel === 'Green');
      this.add(at, `Task sets: ${weights}`, {
        stage: 'traffic',
        ...(green?.trafficWeight !== undefined ? { productionTrafficWeight: green.trafficWeight } : {}),
      });
    }
  }

  seen(): StageSeen[] {
    return [...this.entries];
  }

  private add(at: number, line: string, entry: Omit<StageSeen, 'at' | 'line'>): void {
    this.entries.push({ at, ...entry, line });
    this.log.info(line);
  }
}

/** `Green ecs-svc/123 (web:4) 10% traffic, 2/2 running`. */
function describeTaskSet(taskSet: ECSTaskSet): string {
  const weight = taskSet.trafficWeight !== undefined ? ` ${taskSet.trafficWeight}% traffic` : '';
  return `${taskSet.taskSetLabel ?? '?'} ${taskSet.identifer ?? '?'}${weight}, ${taskSet.runningCount ?? 0}/${taskSet.desiredCount ?? 0} running`;
}

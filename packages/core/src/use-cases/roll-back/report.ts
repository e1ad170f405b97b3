import { formatDuration } from '../../common/duration';
import { shortTaskDefinition, taskId } from '../../common/identifiers';
import { codeBlock, heading, link, section, table } from '../../report/markdown';
import { renderTimeline, type TimelineEntry } from '../../report/timeline';
import type { CurrentDeployment } from '../../ecs/deployment-history';
import { codeDeployDeploymentLink } from '../../codedeploy/links';
import { serviceDeploymentsLink } from '../../ecs/links';
import { explainStop } from '../../ecs/stop-reasons';
import type { WatchOutcome } from '../../ecs/watch-loop';

export type RollbackVerdict = 'rolled-back' | 'already-there' | 'started' | 'failed';

/** Everything the summary and the annotation tell: why, from where to where, how, and what happened when. */
export interface RollbackStory {
  region: string;
  cluster: string;
  service: string;
  reason?: string;
  /** The revision the service ran (or was moving to) when this step began. */
  fromArn?: string;
  targetArn: string;
  chosenBy: string;
  /** The release being rolled back, from the deployment history. */
  release?: CurrentDeployment;
  mechanism?: string;
  verdict: RollbackVerdict;
  /** When this step started the rollback (or started watching ECS's own). */
  startedAt: number;
  finishedAt: number;
  outcome?: WatchOutcome;
}

export function headline(story: RollbackStory): string {
  const route = `${shortTaskDefinition(story.fromArn)} → ${shortTaskDefinition(story.targetArn)}`;
  const took = formatDuration(story.finishedAt - story.startedAt);
  switch (story.verdict) {
    case 'rolled-back':
      return `Rolled back ${story.service} (${route}) in ${took} with ${story.mechanism}.`;
    case 'started':
      return `Started rolling back ${story.service} (${route}) with ${story.mechanism}; wait is false, so not watching it finish.`;
    case 'already-there':
      return alreadyThere(story);
    case 'failed':
      return `Rollback of ${story.service} (${route}) FAILED: the service is not back on ${shortTaskDefinition(story.targetArn)} and needs a person.`;
  }
}

/** ECS rolled the release back to the target itself (its circuit breaker, a deployment alarm or a lifecycle hook), and that rollback failed: ECS tries only once. */
export function rollbackFailedByEcs(story: RollbackStory): string {
  const release = story.release;
  const sd = release?.serviceDeploymentArn ? ` (service deployment ${release.serviceDeploymentArn.split('/').pop()})` : '';
  return (
    `${headline({ ...story, verdict: 'failed' })} ECS already rolled ${story.service} back to ${shortTaskDefinition(story.targetArn)}${sd} ` +
    `and that rollback failed (ROLLBACK_FAILED); ECS does not roll back again, and deploying the same revision once more would likely fail the same way. ` +
    `Look at the stopped tasks of ${shortTaskDefinition(story.targetArn)} for why.`
  );
}

function alreadyThere(story: RollbackStory): string {
  const target = shortTaskDefinition(story.targetArn);
  const release = story.release;
  const released = release?.targetTaskDefinitionArn ?? release?.taskDefinitionArn;
  if (release?.ownRollback && released !== story.targetArn) {
    return `Nothing to roll back: CodeDeploy already rolled ${story.service} back from ${shortTaskDefinition(released)} to ${target} on its own (${release.ownRollback}).`;
  }
  if (release?.status?.startsWith('ROLLBACK') && release.status !== 'ROLLBACK_FAILED' && released !== story.targetArn) {
    return `Nothing to roll back: ECS already rolled ${story.service} back from ${shortTaskDefinition(released)} to ${target} on its own (service deployment ${release.status}).`;
  }
  return `Nothing to roll back: ${story.service} already runs ${target}.`;
}

export function rollbackSummaryMarkdown(story: RollbackStory): string {
  const icon = story.verdict === 'failed' ? '❌' : story.verdict === 'already-there' ? 'ℹ️' : '↩️';
  const facts = table(
    ['', ''],
    [
      ['Reason', story.reason ?? '(no reason given)'],
      ['Service', `${story.service} (cluster ${story.cluster}, ${story.region})`],
      ['From', shortTaskDefinition(story.fromArn)],
      ['To', `${shortTaskDefinition(story.targetArn)}, chosen by ${story.chosenBy}`],
      ['Mechanism', story.mechanism ?? 'none: nothing to change'],
      ['Rolled back', story.verdict === 'rolled-back' || story.verdict === 'started' ? 'true' : 'false'],
      ['Duration', formatDuration(story.finishedAt - story.startedAt)],
    ],
  );
  return section(
    heading(`${icon} Auto-rollback ${story.service}`),
    headline(story),
    facts,
    section(heading('Timeline (seconds since the release started)', 3), codeBlock(timeline(story))),
    consoleLink(story),
  );
}

/** The release in the console, where the suite knows the partition's console (none in the ISO partitions, for one). */
function consoleLink(story: RollbackStory): string | undefined {
  const deploymentId = story.release?.deploymentId;
  const url = deploymentId
    ? codeDeployDeploymentLink(story.region, deploymentId)
    : serviceDeploymentsLink(story.region, story.cluster, story.service);
  if (!url) return undefined;
  return link(deploymentId ? `CodeDeploy deployment ${deploymentId} in the console` : 'Service deployments in the console', url);
}

function timeline(story: RollbackStory): string[] {
  const entries: TimelineEntry[] = [];
  const release = story.release;
  const releaseName = shortTaskDefinition(release?.targetTaskDefinitionArn ?? release?.taskDefinitionArn);
  if (release?.createdAt) entries.push({ at: release.createdAt.getTime(), text: `deployment of ${releaseName} started` });
  if (release?.finishedAt) entries.push({ at: release.finishedAt.getTime(), text: `deployment of ${releaseName} ended ${release.status}` });
  entries.push({
    at: story.startedAt,
    text: `${story.mechanism ?? `auto-rollback: the service already runs ${shortTaskDefinition(story.targetArn)}`}${story.reason ? ` (reason: ${story.reason})` : ''}`,
  });
  for (const event of story.outcome?.events ?? []) {
    if (event.createdAt) entries.push({ at: new Date(event.createdAt).getTime(), text: event.message ?? '' });
  }
  for (const task of story.outcome?.failedTasks ?? []) {
    if (task.stoppedAt)
      entries.push({ at: new Date(task.stoppedAt).getTime(), text: `task ${taskId(task.taskArn)} stopped: ${explainStop(task)}` });
  }
  entries.push({ at: story.finishedAt, text: `verdict: ${story.verdict}` });
  const origin = Math.min(...entries.map((entry) => entry.at));
  return renderTimeline(origin, entries);
}

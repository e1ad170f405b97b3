/**
 * The moments of a step a person looks for on the chart, read from what the step did and said:
 * - deploy: a deploy-ecs step that starts a deployment (not one that follows a deployment already started);
 * - stage: each lifecycle stage a deploy-ecs step reported ("Stage POST_TEST_TRAFFIC_SHIFT (…)"), and each change
 *   of a rolling deployment's rollout state ("ecs-svc/…: 3/3 running, 0 pending [COMPLETED]");
 * - verdict: verify-health's answer (healthy or not), and a deploy-ecs step that failed, with its status;
 * - rollback: auto-rollback when it rolled back (spanning the step), ECS's circuit breaker rolling a deploy back
 *   (at ECS's own "rolling back" event), and verify-health answering a PAUSE hook with ROLLBACK.
 */
import type { RecordedStep } from '../record';

export type MarkKind = 'deploy' | 'stage' | 'verdict' | 'rollback';

export interface Mark {
  kind: MarkKind;
  /** Milliseconds since the epoch, on the record's clock. */
  at: number;
  /** Where a mark that lasts ends (a rollback step). */
  until?: number;
  label: string;
  /** The title of the step it comes from. */
  step: string;
  /** Whether it is good news (a healthy verdict) or bad (an unhealthy one, a failed deploy); verdicts only. */
  ok?: boolean;
}

const STAGE_LINE = /^Stage ([A-Z_]+) \(/;
const ROLLOUT_LINE = /^ecs-svc\/\S+: .*\[([A-Z_]+)\]$/;
const ECS_ROLLING_BACK = /rolling back to deployment/;
const GATE_ROLLED_BACK = /Rolled back service deployment/;

const lineAt = (step: RecordedStep, pattern: RegExp) => step.lines.find((line) => pattern.test(line.text))?.at;

/** Each stage the step reported, and each rollout state, once: when it was first reported. */
function stagesOf(step: RecordedStep): Mark[] {
  const marks: Mark[] = [];
  const current = new Map<RegExp, string>();
  for (const line of step.lines) {
    for (const pattern of [STAGE_LINE, ROLLOUT_LINE]) {
      const stage = pattern.exec(line.text)?.[1];
      if (stage === undefined || stage === current.get(pattern)) continue;
      current.set(pattern, stage);
      marks.push({ kind: 'stage', at: line.at, label: stage, step: step.title });
    }
  }
  return marks;
}

function deployMarks(step: RecordedStep): Mark[] {
  const marks: Mark[] = [];
  if (!step.inputs['service-deployment-arn']) marks.push({ kind: 'deploy', at: step.startedAt, label: step.title, step: step.title });
  marks.push(...stagesOf(step));
  if (step.outputs.status === 'rolled-back')
    marks.push({
      kind: 'rollback',
      at: lineAt(step, ECS_ROLLING_BACK) ?? step.finishedAt,
      label: 'circuit breaker',
      step: step.title,
    });
  if (step.exitCode !== 0)
    marks.push({ kind: 'verdict', at: step.finishedAt, label: step.outputs.status || 'failed', step: step.title, ok: false });
  return marks;
}

function verifyMarks(step: RecordedStep): Mark[] {
  const healthy = step.outputs.healthy === 'true';
  const marks: Mark[] = [{ kind: 'verdict', at: step.finishedAt, label: healthy ? 'healthy' : 'unhealthy', step: step.title, ok: healthy }];
  if (step.outputs['deployment-action'] === 'rolled-back')
    marks.push({ kind: 'rollback', at: lineAt(step, GATE_ROLLED_BACK) ?? step.finishedAt, label: 'gate rolls back', step: step.title });
  return marks;
}

function rollbackMarks(step: RecordedStep): Mark[] {
  if (step.outputs['rolled-back'] !== 'true') return [];
  return [{ kind: 'rollback', at: step.startedAt, until: step.finishedAt, label: step.title, step: step.title }];
}

const BY_ACTION: Record<string, (step: RecordedStep) => Mark[]> = {
  'deploy-ecs': deployMarks,
  'verify-health': verifyMarks,
  'auto-rollback': rollbackMarks,
};

/** Every mark of the steps, oldest first. */
export function marksOf(steps: readonly RecordedStep[]): Mark[] {
  return steps.flatMap((step) => BY_ACTION[step.action]?.(step) ?? []).sort((a, b) => a.at - b.at);
}

/**
 * The release chains the blue/green benchmark runs (test/bench/blue-green.ts), each as a starter workflow runs its
 * steps, one bundled action after another, while a user's requests go through the production listener (or the
 * rolling service's load balancer). The release answers 500 to users (RESPONSE_STATUS) and 200 to /health, the
 * target groups' check, so ECS and the load balancer take it in.
 */
import type { Sandbox } from '@ecs-deploy/sandbox';
import { BLUE_GREEN_REPOSITORY, watchAnswers, type ListenerAnswer } from '../support/blue-green';
import { runBundledAction, type ActionRun } from '../support/run-action';

export const BAD_RELEASE = { image: `${BLUE_GREEN_REPOSITORY}:v2`, environment: 'RESPONSE_STATUS=500' };
/** verify-health as the bench runs it on production: a round a second, 3 failing rounds in a row fail it (its default). */
export const PRODUCTION_CHECK = { interval: '1s', 'failure-threshold': '3' };
/** A user's request every ~10 ms (one after another, 10 ms apart): the moments below are known to that. */
const GAP_MS = 10;

export interface Target {
  cluster: string;
  service: string;
  container: string;
  /** Where users' requests go: the production listener, or the rolling service's load balancer. */
  url: string;
}

export interface ChainRun {
  release: ActionRun;
  verify: ActionRun;
  rollback: ActionRun;
  answers: ListenerAnswer[];
}

const action = (sandbox: Sandbox, name: string, inputs: Record<string, string>) => runBundledAction(name, inputs, { env: sandbox.env() });

/** deploy-ecs (`waitUntil` on a blue/green service), verify-health on `target.url`, auto-rollback, under users' requests. */
export async function releaseCheckRollBack(sandbox: Sandbox, target: Target, waitUntil?: 'bake'): Promise<ChainRun> {
  const traffic = watchAnswers(`${target.url}/`, GAP_MS);
  try {
    const { cluster, service, container } = target;
    const release = await action(sandbox, 'deploy-ecs', {
      cluster,
      service,
      container,
      ...BAD_RELEASE,
      ...(waitUntil ? { 'wait-until': waitUntil } : {}),
    });
    const expected = waitUntil === 'bake' ? 'baking' : 'succeeded';
    if (release.outputs.status !== expected) throw new Error(`release ended ${release.outputs.status}, not ${expected}:\n${release.log}`);
    const verify = await action(sandbox, 'verify-health', { url: `${target.url}/`, ...PRODUCTION_CHECK });
    if (verify.outputs.healthy !== 'false') throw new Error(`verify-health did not catch the release:\n${verify.log}`);
    const rollback = await action(sandbox, 'auto-rollback', {
      cluster,
      service,
      'task-definition': release.outputs['previous-task-definition-arn'],
      reason: 'verify-health failed',
    });
    if (rollback.outputs['rolled-back'] !== 'true')
      throw new Error(`rollback ended rolled-back=${rollback.outputs['rolled-back']}:\n${rollback.log}`);
    return { release, verify, rollback, answers: await traffic.stop() };
  } finally {
    await traffic.stop();
  }
}

/**
 * From users' answers: the first the release gave (a 500), and the first the old revision gave after the release's
 * last: from then on only the old revision answers.
 */
export function outageOf(answers: ListenerAnswer[], oldTag = 'v1', newTag = 'v2'): { firstBad: number; restored: number } {
  const first = answers.findIndex((answer) => answer.body === newTag);
  const last = answers.findLastIndex((answer) => answer.body === newTag);
  const restored = answers.slice(last + 1).find((answer) => answer.status === 200 && answer.body === oldTag);
  if (first < 0 || !restored) throw new Error(`no outage measured: ${answers.length} answers, the release's at ${first}..${last}`);
  return { firstBad: answers[first].at, restored: restored.at };
}

/**
 * The test gate: deploy-ecs to the PAUSE hook, verify-health on the test listener answering it (ROLLBACK for this
 * release), until ECS has rolled the deployment back, under users' requests to production.
 */
export async function releaseThroughGate(sandbox: Sandbox, target: Target & { testUrl: string }) {
  const traffic = watchAnswers(`${target.url}/`, GAP_MS);
  try {
    const { cluster, service, container } = target;
    const release = await action(sandbox, 'deploy-ecs', { cluster, service, container, ...BAD_RELEASE, 'wait-until': 'paused' });
    if (release.outputs.status !== 'paused') throw new Error(`release ended ${release.outputs.status}, not paused:\n${release.log}`);
    const arn = release.outputs['service-deployment-arn'];
    const gate = await action(sandbox, 'verify-health', {
      url: `${target.testUrl}/`,
      interval: '0.5s',
      cluster,
      service,
      'continue-deployment': arn,
    });
    if (gate.outputs['deployment-action'] !== 'rolled-back')
      throw new Error(`the gate ended ${gate.outputs['deployment-action']}:\n${gate.log}`);
    await ended(sandbox, arn);
    return { release, gate, arn, answers: await traffic.stop() };
  } finally {
    await traffic.stop();
  }
}

/** Waits (wall time, bounded) until the sandbox recorded the service deployment's last status. */
async function ended(sandbox: Sandbox, arn: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const finished = ['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'];
  while (!sandbox.history.some((e) => e.serviceDeploymentArn === arn && finished.includes(e.status ?? ''))) {
    if (Date.now() > deadline) throw new Error(`service deployment ${arn} did not end within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

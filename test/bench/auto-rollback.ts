/**
 * auto-rollback under a steady load through the load balancer, with real processes of the sample service: a
 * release that ECS and the load balancer call healthy answers 500; verify-health catches it and auto-rollback
 * returns the service to the previous revision. Registered in run.ts; medians over `runs`.
 */
import { createService } from '../support/ecs-fixtures';
import { startLoad } from '../support/load';
import { createTargetGroup } from '../support/load-balancer';
import { runBundledAction } from '../support/run-action';
import { SAMPLE_REPOSITORY, sampleContainer } from '../support/sample-service';
import { startSampleStack } from '../support/sample-stack';
import { chartLane } from './charts';
import { formatRow } from './stats';

const REQUESTS_PER_SECOND = 25;
const breaker = { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: true } };

export async function autoRollbackBench(runs: number): Promise<string[]> {
  // timeScale 1: ECS's and the load balancer's real intervals (health checks every 5 s, 2 to be healthy).
  const stack = await startSampleStack({ timeScale: 1 });
  const { sandbox, database } = stack;
  const outage: number[] = [];
  const failed: number[] = [];
  const detection: number[] = [];
  const restore: number[] = [];
  const beyondRollout: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const name = `rollback${i}`;
      const { targetGroupArn, url } = await createTargetGroup(sandbox, `${name}-tg`, 5, '200-599');
      const { cluster, service } = await createService(sandbox, {
        service: name,
        image: `${SAMPLE_REPOSITORY}:v1`,
        deploymentConfiguration: breaker,
        containers: [sampleContainer(name, database.url, { healthCheck: undefined })],
        loadBalancers: [{ targetGroupArn, containerName: name, containerPort: 8080 }],
      });
      const load = startLoad(`${url}/`, { perSecond: REQUESTS_PER_SECOND, maxDurationMs: 300_000 });
      const releaseInputs = { cluster, service, image: `${SAMPLE_REPOSITORY}:v2`, environment: 'FAIL_MODE=500' };
      const release = await runBundledAction('deploy-ecs', releaseInputs, { env: sandbox.env() });
      if (release.outputs.status !== 'succeeded') throw new Error(`release ended ${release.outputs.status}:\n${release.log}`);
      const verifyInputs = { url: `${url}/`, interval: '1s' };
      const verify = await runBundledAction('verify-health', verifyInputs, { env: sandbox.env() });
      if (verify.outputs.healthy !== 'false') throw new Error(`verify-health did not catch the release:\n${verify.log}`);
      const rollbackInputs = {
        cluster,
        service,
        'task-definition': release.outputs['previous-task-definition-arn'],
        reason: 'verify-health failed',
      };
      const rollback = await runBundledAction('auto-rollback', rollbackInputs, { env: sandbox.env() });
      if (rollback.outputs['rolled-back'] !== 'true')
        throw new Error(`rollback ended rolled-back=${rollback.outputs['rolled-back']}:\n${rollback.log}`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const traffic = await load.stop();
      if (i === 0) {
        const lane = chartLane(
          'auto-rollback',
          'v2 answers 500 yet looks healthy: verify-health fails it, auto-rollback returns to v1 (real intervals)',
        );
        lane.step('Deploy v2', 'deploy-ecs', releaseInputs, release);
        lane.step('Verify v2', 'verify-health', verifyInputs, verify);
        lane.step('Roll back v2', 'auto-rollback', rollbackInputs, rollback);
        lane.load(`${url}/`, traffic);
      }
      const times = traffic.failures.map((f) => f.at);
      if (times.length === 0) throw new Error('the release failed no request: nothing was measured');
      const firstBad = Math.min(...times);
      const lastBad = Math.max(...times);
      outage.push(lastBad - firstBad);
      failed.push(traffic.failed);
      detection.push(verify.finishedAt - firstBad);
      restore.push(lastBad - rollback.startedAt);
      // The same rolling update put the release in front of users (deploy-ecs's start → first bad answer): bringing
      // a revision back costs at least that much; the rest is the rollback's own cost.
      beyondRollout.push(lastBad - rollback.startedAt - (firstBad - release.startedAt));
    }
  } finally {
    await stack.stop();
  }
  return [
    formatRow('auto-rollback chain: first bad answer → answering well again', outage, 'ms'),
    formatRow(`auto-rollback chain: failed requests at ${REQUESTS_PER_SECOND}/s`, failed, 'requests'),
    formatRow('verify-health: first bad answer → step fails (1s interval)', detection, 'ms'),
    formatRow('auto-rollback: step starts → last failed request', restore, 'ms'),
    formatRow('auto-rollback: that, beyond the rollout that put v2 in service', beyondRollout, 'ms', 5000),
  ];
}

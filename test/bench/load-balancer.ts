/**
 * The sandbox's load balancer under a deploy: what a user sending a steady 25 requests a second through it
 * sees while the bundled deploy-ecs rolls out a release of the real sample service, with
 * minimumHealthyPercent 100 (zero failures is the goal) and with 0 (the contrast), and what the proxy adds
 * to a request. Registered in run.ts; `npx tsx test/bench/load-balancer.ts` runs it alone.
 */
import type { DeploymentConfiguration } from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Sandbox } from '@ecs-deploy/sandbox';
import { startLoad, type LoadResult } from '../support/load';
import { runBundledAction } from '../support/run-action';
import { clientConfig } from '../support/sandbox-harness';
import { SAMPLE_REPOSITORY } from '../support/sample-service';
import { sampleServiceBehindLoadBalancer, startSampleStack } from '../support/sample-stack';
import type { Lane } from '../demo/record';
import { chartLane } from './charts';
import { formatRow, median } from './stats';

const PER_SECOND = 25;

/** `lane`: where the run's step and traffic are recorded for the bench's charts. */
async function deployUnderLoad(
  sandbox: Sandbox,
  databaseUrl: string,
  name: string,
  config: DeploymentConfiguration,
  lane?: Lane,
): Promise<LoadResult> {
  const { cluster, service, url } = await sampleServiceBehindLoadBalancer(sandbox, databaseUrl, name, {
    desiredCount: 2,
    deploymentConfiguration: config,
    healthCheckGracePeriodSeconds: 10,
  });
  const load = startLoad(`${url}/items`, { perSecond: PER_SECOND, maxDurationMs: 60_000 });
  const inputs = { cluster, service, image: `${SAMPLE_REPOSITORY}:v2` };
  const run = await runBundledAction('deploy-ecs', inputs, { env: sandbox.env() });
  const result = await load.stop();
  lane?.step('Deploy v2', 'deploy-ecs', inputs, run);
  lane?.load(`${url}/items`, result);
  if (run.outputs.status !== 'succeeded') throw new Error(`deploy under load ended ${run.outputs.status}:\n${run.log}`);
  return result;
}

/** Median latency (µs) of requests straight to a task and through its load balancer, one at a time. */
async function proxyOverhead(sandbox: Sandbox, databaseUrl: string): Promise<number[]> {
  const { targetGroupArn, url } = await sampleServiceBehindLoadBalancer(sandbox, databaseUrl, 'overhead', { desiredCount: 1 });
  const direct = `http://127.0.0.1:${await taskPort(sandbox, targetGroupArn)}/`;
  const time = async (target: string) => {
    const samples: number[] = [];
    for (let i = 0; i < 200; i++) {
      const started = performance.now();
      await (await fetch(target)).arrayBuffer();
      samples.push(performance.now() - started);
    }
    return median(samples) * 1000;
  };
  return [await time(direct), await time(`${url}/`)];
}

async function taskPort(sandbox: Sandbox, targetGroupArn: string): Promise<number> {
  const elb = new ElasticLoadBalancingV2Client(clientConfig(sandbox));
  const health = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
  return health.TargetHealthDescriptions?.[0]?.Target?.Port as number;
}

export async function loadBalancerBench(runs: number): Promise<string[]> {
  const stack = await startSampleStack({ timeScale: 0.1 });
  const { sandbox, database } = stack;
  try {
    const rolling: LoadResult[] = [];
    const allAtOnce: LoadResult[] = [];
    for (let i = 0; i < runs; i++) {
      const chart = (name: string, title: string) => (i === 0 ? chartLane(name, title) : undefined);
      rolling.push(
        await deployUnderLoad(
          sandbox,
          database.url,
          `rolling${i}`,
          { minimumHealthyPercent: 100, maximumPercent: 200 },
          chart('rolling', 'rolling deploy, minimumHealthyPercent 100 / maximumPercent 200: no request should fail'),
        ),
      );
      allAtOnce.push(
        await deployUnderLoad(
          sandbox,
          database.url,
          `at-once${i}`,
          { minimumHealthyPercent: 0, maximumPercent: 100 },
          chart('at-once', 'deploy with minimumHealthyPercent 0 / maximumPercent 100 (the contrast)'),
        ),
      );
    }
    const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)] ?? 0;
    const [direct, proxied] = await proxyOverhead(sandbox, database.url);
    return [
      formatRow(
        `sandbox LB: failed requests, rolling deploy (100%/200%)`,
        rolling.map((r) => r.failed),
        'requests',
        0,
      ),
      formatRow(
        `sandbox LB: requests sent during that deploy (${PER_SECOND}/s)`,
        rolling.map((r) => r.sent),
        'requests',
      ),
      formatRow(
        'sandbox LB: p95 latency during that deploy',
        rolling.map((r) => p95(r.latenciesMs)),
        'ms',
      ),
      formatRow(
        'sandbox LB: failed requests, deploy with 0%/100% (contrast)',
        allAtOnce.map((r) => r.failed),
        'requests',
      ),
      formatRow('sandbox LB: median request, direct to the task (200 requests)', [direct], 'µs'),
      formatRow('sandbox LB: median request, through the load balancer', [proxied], 'µs'),
    ];
  } finally {
    await stack.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await loadBalancerBench(Number(process.env.BENCH_RUNS ?? 5))).join('\n'));

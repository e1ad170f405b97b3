/**
 * Driving ECS blue/green (BLUE_GREEN, LINEAR, CANARY) service deployments on the manual clock, through the SDK:
 * a sandbox for the test file, a service whose first deployment completed with a second revision registered, and
 * a walk of half-second steps reading the latest service deployment until a condition holds. The blue-green-*
 * test files share it, each on a sandbox of its own.
 */
import { afterAll, beforeAll } from '@jest/globals';
import {
  DescribeServiceDeploymentsCommand,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  UpdateServiceCommand,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { DescribeRulesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { start, type Sandbox } from '../../src/index';
import {
  createBlueGreenService,
  registerRevision,
  type BlueGreenOptions,
  type BlueGreenService,
} from '../../../../test/support/blue-green';
import { ecsClient, elbClient } from './harness';

export const PASS_MS = 100;
/** Every stage lasts at least 1 s of sandbox time: a walk in half-second steps sees each one. */
export const STEP_MS = 500;
const ENDED = ['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'];

export const ended = (sd: ServiceDeployment) => ENDED.includes(sd.status as string);
export const atStage = (stage: string) => (sd: ServiceDeployment) => sd.lifecycleStage === stage || ended(sd);

/** A BLUE_GREEN deployment's stages after the first, written out as the developer guide lists them. */
export const BLUE_GREEN_STAGES = [
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
];

/**
 * A sandbox on the manual clock for the calling test file: started in beforeAll, stopped in afterAll. The Sandbox
 * handed back reads the started one at each use, so the file can name it (and pass it to helpers) at module level.
 */
export function useManualSandbox(): Sandbox {
  let started: Sandbox | undefined;
  beforeAll(async () => {
    started = await start({ clock: 'manual' });
  });
  afterAll(async () => {
    await started?.stop();
  });
  const current = () => {
    if (!started) throw new Error('the sandbox of useManualSandbox has not started: use it inside a test or a hook');
    return started;
  };
  return new Proxy({} as Sandbox, {
    get(_target, key) {
      const sandbox = current();
      const value = Reflect.get(sandbox, key, sandbox);
      return typeof value === 'function' ? value.bind(sandbox) : value;
    },
    has: (_target, key) => key in current(),
  });
}

/** The walk's helpers, on `sandbox` (a file's useManualSandbox). Services go in cluster `bg`. */
export function blueGreenWalk(sandbox: Sandbox) {
  async function latest(bg: BlueGreenService): Promise<ServiceDeployment> {
    const ecs = ecsClient(sandbox);
    const briefs =
      (await ecs.send(new ListServiceDeploymentsCommand({ cluster: bg.cluster, service: bg.service }))).serviceDeployments ?? [];
    const arn = briefs.sort((a, b) => Number(b.createdAt) - Number(a.createdAt))[0].serviceDeploymentArn as string;
    return (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] })))
      .serviceDeployments?.[0] as ServiceDeployment;
  }

  /** Advances pass by pass until `until` holds (or `maxMs` of sandbox time), collecting the stages seen. */
  async function walk(bg: BlueGreenService, until: (sd: ServiceDeployment) => boolean, maxMs = 20 * 60_000) {
    const stages: string[] = [];
    for (let elapsed = 0; ; elapsed += STEP_MS) {
      const sd = await latest(bg);
      if (sd.lifecycleStage && stages[stages.length - 1] !== sd.lifecycleStage) stages.push(sd.lifecycleStage);
      if (until(sd)) return { sd, stages };
      if (elapsed > maxMs) throw new Error(`not reached in ${maxMs} ms: ${JSON.stringify(sd)}`);
      await sandbox.advance(STEP_MS);
    }
  }

  /** The rule's forward weights by target group. */
  async function weights(ruleArn: string): Promise<Record<string, number>> {
    const rules = (await elbClient(sandbox).send(new DescribeRulesCommand({ RuleArns: [ruleArn] }))).Rules ?? [];
    const groups = rules[0]?.Actions?.[0]?.ForwardConfig?.TargetGroups ?? [];
    return Object.fromEntries(groups.map((g) => [g.TargetGroupArn as string, g.Weight as number]));
  }

  /** Share of the rule's traffic going to `arn`, in percent. */
  async function share(ruleArn: string, arn: string): Promise<number> {
    const w = await weights(ruleArn);
    const total = Object.values(w).reduce((a, b) => a + b, 0);
    return total === 0 ? 0 : Math.round(((w[arn] ?? 0) * 1000) / total) / 10;
  }

  /**
   * A blue/green service whose first deployment completed, and a second revision registered (not deployed).
   * Lifecycle hooks are added after the first deployment (an update that starts none), so they hold the second.
   */
  async function steady(name: string, options: Partial<BlueGreenOptions> = {}) {
    const { lifecycleHooks, ...rest } = options;
    const bg = await createBlueGreenService(sandbox, { service: name, cluster: 'bg', waitForSteady: false, ...rest });
    await walk(bg, ended);
    if (lifecycleHooks)
      await ecsClient(sandbox).send(
        new UpdateServiceCommand({ cluster: bg.cluster, service: bg.service, deploymentConfiguration: { lifecycleHooks } }),
      );
    const v2 = await registerRevision(sandbox, bg, 'v2');
    return { bg, v2 };
  }

  async function deploy(bg: BlueGreenService, taskDefinition: string) {
    await ecsClient(sandbox).send(new UpdateServiceCommand({ cluster: bg.cluster, service: bg.service, taskDefinition }));
  }

  async function liveTasks(bg: BlueGreenService): Promise<number> {
    return ((await ecsClient(sandbox).send(new ListTasksCommand({ cluster: bg.cluster, serviceName: bg.service }))).taskArns ?? []).length;
  }

  return { latest, walk, share, steady, deploy, liveTasks };
}

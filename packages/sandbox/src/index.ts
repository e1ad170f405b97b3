/**
 * A local stand-in for Amazon ECS, CloudWatch Logs, Elastic Load Balancing v2 (target groups, each with a
 * load balancer of its own, and load balancers whose listeners forward by rules and weights), CloudWatch
 * alarms, CodeDeploy's blue/green deployments of ECS services, SSM Parameter Store and Secrets Manager that speaks their wire protocols, so the unmodified AWS SDK (and the bundled actions, through
 * AWS_ENDPOINT_URL) can be tested against it.
 */
import { Arns } from './arns';
import { RateLimiter } from './http/rate-limits';
import { ManualClock, ScaledClock, type Clock } from './clock';
import type { Context } from './context';
import { emptyCodeDeployState } from './codedeploy/state';
import { emptyEcsState } from './ecs/state';
import { FaultInjector } from './http/faults';
import { IamAuthorizer } from './http/iam';
import { listen } from './http/server';
import { LogStore } from './logs/state';
import { ProcessRuntime } from './runtime/process';
import type { TaskRuntime } from './runtime/runtime';
import { ScriptedRuntime } from './runtime/scripted';
import { putSecret } from './runtime/secrets';
import { ParameterStore } from './ssm/state';
import { ScalableTargets } from './autoscaling/state';
import { SecretsManagerStore } from './secretsmanager/state';
import { RoleStore } from './iam/state';
import { EventBridgeState } from './events/state';
import { SchedulerState } from './schedules/state';
import { Scheduler } from './scheduler/scheduler';
import { applySeed, loadSeedFile } from './seed';
import { snapshot } from './snapshot';
import { emptyEcrState } from './ecr/state';
import { emptyEcrPublicState } from './ecr-public/state';
import type { ApiCall, PlacementFailure, Sandbox, SandboxOptions, SeedState } from './types';
import { clusterName } from './arns';
import { turnTargetsUnhealthy } from './elb/fault-targets';
import { LoadBalancing } from './elb/load-balancing';
import { TaskEvents } from './tasks/events';
import { reportingSlowStop } from './slow-stop';

export type {
  ApiCall,
  CodeDeployHookEvent,
  CodeDeployHookHandler,
  AppliedFault,
  FaultEffect,
  FaultRule,
  CatalogEntry,
  FaultKind,
  FaultOptions,
  IamPolicy,
  IamStatement,
  LoadBalancerInfo,
  PlacementFailure,
  Sandbox,
  SandboxEvent,
  SandboxEventKind,
  SandboxOptions,
  SeedState,
  TaskOutcome,
  RegistryOptions,
  ScanFinding,
} from './types';
export type { TaskRuntime, RuntimeTask, RuntimeCallbacks, ContainerExit, NetworkBinding } from './runtime/runtime';
export { circuitBreakerThreshold } from './scheduler/circuit-breaker';

/** A 'task-fails-to-start' fault rule fails the next task it armed for, as a task whose container cannot start. */
function withInjectedStartFailures(runtime: TaskRuntime, faults: FaultInjector, clock: Clock): TaskRuntime {
  const failing = new Map<string, () => void>();
  return {
    start(task, callbacks) {
      const reason = faults.takeStartFailure(task.family);
      if (reason === undefined) return runtime.start(task, callbacks);
      // Told after the call that started it has answered, as a real start failure would be.
      const cancel = clock.after(0, () => {
        failing.delete(task.taskArn);
        callbacks.failedToStart(reason, task.containers[0]?.name);
      });
      failing.set(task.taskArn, cancel);
    },
    stop(taskArn) {
      const cancel = failing.get(taskArn);
      if (!cancel) return runtime.stop(taskArn);
      failing.delete(taskArn);
      cancel();
      return Promise.resolve([]);
    },
    close: () => runtime.close(),
  };
}

export async function start(options: SandboxOptions = {}): Promise<Sandbox> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  if (options.clock === 'manual' && options.catalog) {
    throw new Error(
      "clock: 'manual' runs scripted tasks only: a catalog runs real processes, which do not wait for sandbox.advance(). Leave out the catalog, or the manual clock.",
    );
  }
  const manual = options.clock === 'manual' ? new ManualClock(options.timeScale ?? 1) : undefined;
  const clock = manual ?? new ScaledClock(options.timeScale ?? 1);
  const arns = new Arns(region, accountId);
  const scripted = new ScriptedRuntime(clock);
  const faults = new FaultInjector(options.faults);
  const iam = new IamAuthorizer(arns, options.iam);
  const runtime = withInjectedStartFailures(
    options.catalog ? new ProcessRuntime({ clock, catalog: options.catalog, scripted, region }) : scripted,
    faults,
    clock,
  );
  const ctx: Context = {
    region,
    accountId,
    arns,
    clock,
    ecs: emptyEcsState(),
    codedeploy: emptyCodeDeployState(),
    logs: new LogStore(arns),
    ssm: new ParameterStore(region, accountId),
    secretsManager: new SecretsManagerStore(region, accountId),
    iam: new RoleStore(accountId, clock.now()),
    events: new EventBridgeState(region, accountId),
    schedules: new SchedulerState(region, accountId),
    autoscaling: new ScalableTargets(),
    runtime,
    elb: new LoadBalancing(
      clock,
      () => scheduler.kick(),
      (group, url) => options.onLoadBalancer?.({ targetGroupName: group.name, targetGroupArn: group.arn, url }),
    ),
    alarms: new Map(),
    history: [],
    ecr: emptyEcrState(
      options.registry,
      options.catalog && Object.keys(options.catalog),
      (image) => scripted.outcomeFor(image) !== undefined,
    ),
    ecrPublic: emptyEcrPublicState(),
    placementFailures: [],
    lambdaHooks: new Map(Object.entries(options.lambdaHooks ?? {})),
    codeDeployHooks: new Map(),
    taskEvents: new TaskEvents(),
    // The scheduler needs the context and the context needs the scheduler's kick.
    kick: () => scheduler.kick(),
  };
  const scheduler = new Scheduler(ctx);
  const calls: ApiCall[] = [];
  /** Makes the cluster (or one of its capacity providers) unable to place tasks, until the function returned is called. */
  const failPlacement = (failure: PlacementFailure) => {
    const entry = { ...failure };
    ctx.placementFailures.push(entry);
    return () => {
      const at = ctx.placementFailures.indexOf(entry);
      if (at >= 0) ctx.placementFailures.splice(at, 1);
      scheduler.kick();
    };
  };
  faults.connect({
    targetsTurnUnhealthy: (effect, input) => turnTargetsUnhealthy(ctx, effect, input),
    placementFails: (effect, input) => {
      const named = (input as { cluster?: unknown } | undefined)?.cluster;
      const cluster = effect.cluster ?? clusterName(typeof named === 'string' ? named : undefined);
      const end = failPlacement({ cluster, capacityProvider: effect.capacityProvider, reason: effect.reason });
      const cancel = effect.forMs === undefined ? undefined : clock.after(effect.forMs, end);
      return () => {
        cancel?.();
        end();
      };
    },
  });

  const rates = new RateLimiter(options.rateLimits ?? {});
  let listening;
  try {
    if (options.seed) await applySeed(ctx, typeof options.seed === 'string' ? loadSeedFile(options.seed) : options.seed);
    scheduler.start();
    listening = await listen({ ctx, calls, faults, iam, rates }, options.port ?? 0);
  } catch (error) {
    scheduler.stop();
    clock.dispose();
    await ctx.elb.close();
    await runtime.close();
    throw error;
  }
  const { server, port } = listening;
  const endpoint = `http://127.0.0.1:${port}`;
  let stopped: Promise<void> | undefined;

  return {
    endpoint,
    region,
    accountId,
    env: () => ({
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: 'sandbox',
      AWS_SECRET_ACCESS_KEY: 'sandbox',
    }),
    script: (image, outcome) => scripted.script(image, outcome),
    advance: async (ms) => {
      if (!manual) throw new Error("advance() needs a sandbox started with clock: 'manual'; this one's clock follows real time.");
      await manual.advance(ms);
    },
    putSecret: (nameOrArn, value) => putSecret(ctx, nameOrArn, value, clock.now()),
    setFaults: (next) => faults.set(next),
    setRateLimits: (next) => rates.set(next),
    setIamPolicy: (policy, accessKey) => iam.set(policy, accessKey),
    seed: async (state: SeedState) => applySeed(ctx, state),
    setScanFindings: (repository, reference, findings) => {
      const byReference = ctx.ecr.findings.get(repository) ?? new Map();
      ctx.ecr.findings.set(repository, byReference.set(reference, findings));
    },
    calls,
    history: ctx.history,
    snapshot: () => snapshot(ctx),
    loadBalancerUrl: (targetGroupArn) => {
      const url = ctx.elb.url(targetGroupArn);
      if (!url)
        throw new Error(
          `no target group ${targetGroupArn} in the sandbox: create it with CreateTargetGroup or the seed's targetGroups first`,
        );
      return url;
    },
    listenerUrl: (listenerArn) => {
      const url = ctx.elb.listeners.url(listenerArn);
      if (!url) throw new Error(`no listener ${listenerArn} in the sandbox: create it with CreateListener first`);
      return url;
    },
    targetGroupArn: (name) => [...ctx.elb.groups.values()].find((g) => g.name === name)?.arn,
    failPlacement,
    registerLambdaHook: (functionArn, handler) => {
      if (!functionArn.startsWith('arn:')) throw new Error(`registerLambdaHook: expected a Lambda function ARN, got ${functionArn}`);
      ctx.lambdaHooks.set(functionArn, handler);
      return () => {
        if (ctx.lambdaHooks.get(functionArn) === handler) ctx.lambdaHooks.delete(functionArn);
      };
    },
    registerCodeDeployHook: (functionArn, handler) => {
      if (!functionArn.startsWith('arn:')) throw new Error(`registerCodeDeployHook: expected a Lambda function ARN, got ${functionArn}`);
      ctx.codeDeployHooks.set(functionArn, handler);
      return () => {
        if (ctx.codeDeployHooks.get(functionArn) === handler) ctx.codeDeployHooks.delete(functionArn);
      };
    },
    stop: () => {
      stopped ??= (async () => {
        scheduler.stop();
        clock.dispose();
        await reportingSlowStop('the load balancers', ctx.elb.close());
        await reportingSlowStop("the tasks' processes", runtime.close());
        server.closeAllConnections();
        await reportingSlowStop('the API server', new Promise<void>((resolve) => server.close(() => resolve())));
      })();
      return stopped;
    },
  };
}
export { ECS_RATE_LIMITS, type RateLimit } from './http/rate-limits';
export { reportingSlowStop } from './slow-stop';

/**
 * A blue/green service in the sandbox, set up through the SDK as a platform team would: two target groups
 * (primary and alternate), one load balancer with a production listener and a test listener (each with a
 * rule forwarding to the primary group), a task definition of a small HTTP program, and an ECS-native
 * BLUE_GREEN (or LINEAR, CANARY) service whose advancedConfiguration names them.
 *
 * The program answers `/health` with HEALTH_STATUS (default 200) and anything else with its image tag and
 * RESPONSE_STATUS (default 200), so a request through a listener tells which revision answered: `answers(url, n)`,
 * `watchAnswers(url)`. RESPONSE_STATUS=500 is a release that ECS and the load balancer call healthy and users do not.
 * Start the sandbox with `catalog: blueGreenCatalog()` (real processes need the scaled clock).
 */
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type CanaryConfiguration,
  type DeploymentAlarms,
  type DeploymentCircuitBreaker,
  type DeploymentConfiguration,
  type DeploymentLifecycleHook,
  type DeploymentStrategy,
  type LinearConfiguration,
} from '@aws-sdk/client-ecs';
import type { CatalogEntry, Sandbox } from '@ecs-deploy/sandbox';
import { createHash } from 'node:crypto';
import { REGISTRY } from './ecs-fixtures';
import { createTargetGroup } from './load-balancer';
import { clientConfig } from './sandbox-harness';

/** The repository of the blue/green program's image; tag it per revision (`:v1`, `:v2`). */
export const BLUE_GREEN_REPOSITORY = `${REGISTRY}/blue-green-web`;

const PROGRAM = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  if (req.url === '/health') return res.writeHead(Number(process.env.HEALTH_STATUS || 200)).end();
  res.writeHead(Number(process.env.RESPONSE_STATUS || 200)).end(process.env.IMAGE_TAG);
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

/** The catalog entry for `start({ catalog })`; merge it with others (`{ ...blueGreenCatalog(), ...mine }`). */
export function blueGreenCatalog(): Record<string, CatalogEntry> {
  return { [BLUE_GREEN_REPOSITORY]: { entryPoint: ['node', '-e'], command: [PROGRAM] } };
}

export interface BlueGreenOptions {
  service: string;
  /** Default 'prod'; created if missing. */
  cluster?: string;
  /** The first revision's image tag, default 'v1'. */
  tag?: string;
  /** Default 2. */
  desiredCount?: number;
  /** Default BLUE_GREEN. */
  strategy?: DeploymentStrategy;
  /** Default 0 (required by ECS for BLUE_GREEN). */
  bakeTimeInMinutes?: number;
  linearConfiguration?: LinearConfiguration;
  canaryConfiguration?: CanaryConfiguration;
  /**
   * Set by an UpdateService once the first deployment completed (a deploymentConfiguration-only update, which
   * starts no deployment), so they hold the deployments a test makes, not the service's creation. With
   * waitForSteady false they are given to CreateService.
   */
  lifecycleHooks?: DeploymentLifecycleHook[];
  /**
   * Merged into the live deploymentConfiguration by an UpdateService once the first deployment completed (after
   * lifecycleHooks; a deploymentConfiguration-only update starts no deployment), so that it holds the deployments a
   * test makes, not the service's creation: a long bake there keeps a release in flight. Ignored with waitForSteady false.
   */
  afterFirstDeployment?: DeploymentConfiguration;
  alarms?: DeploymentAlarms;
  deploymentCircuitBreaker?: DeploymentCircuitBreaker;
  /** The container's environment, e.g. { HEALTH_STATUS: '500' } or { RESPONSE_STATUS: '500' }. */
  environment?: Record<string, string>;
  /** The target groups' deregistration delay (CLEAN_UP waits for blue's targets to drain). Default 5 s (ECS time). */
  deregistrationDelaySeconds?: number;
  /** false: return once the service is created, without waiting for its first deployment. Default true. */
  waitForSteady?: boolean;
  /** The service's health check grace period (CreateService healthCheckGracePeriodSeconds); default none. */
  healthCheckGracePeriodSeconds?: number;
}

export interface BlueGreenService {
  cluster: string;
  service: string;
  serviceArn: string;
  /** The task definition family (the service name) and its first revision. */
  family: string;
  taskDefinitionArn: string;
  containerName: string;
  /** loadBalancers[0].targetGroupArn and advancedConfiguration.alternateTargetGroupArn. */
  primaryTargetGroupArn: string;
  alternateTargetGroupArn: string;
  loadBalancerArn: string;
  productionListenerArn: string;
  testListenerArn: string;
  /** advancedConfiguration.productionListenerRule and testListenerRule. */
  productionRuleArn: string;
  testRuleArn: string;
  roleArn: string;
  /** The listeners' local addresses: requests there go where the rules' weights send them. */
  productionUrl: string;
  testUrl: string;
}

/**
 * An ELBv2 name for one of the service's resources (at most 32 characters, alphanumerics and hyphens). ELBv2 answers
 * the existing load balancer or target group for a name given again, so names cut to 32 characters would let two
 * services sharing a long prefix (or one service's blue and green groups) share one: the second service's listener on
 * port 80 then fails as DuplicateListener, but only when the first ran before it in the same sandbox. A name that does
 * not fit keeps a prefix and a digest of the whole service name instead.
 */
export function elbName(service: string, suffix: string): string {
  const whole = `${service}-${suffix}`;
  if (whole.length <= 32) return whole;
  const digest = createHash('sha256').update(service).digest('hex').slice(0, 6);
  return `${service.slice(0, 32 - suffix.length - digest.length - 2).replace(/-+$/, '')}-${digest}-${suffix}`;
}

const elbClient = (sandbox: Sandbox) => new ElasticLoadBalancingV2Client(clientConfig(sandbox));
const ecsClient = (sandbox: Sandbox) => new ECSClient(clientConfig(sandbox));

/** A listener whose one rule (priority 1, every path) forwards to `targetGroupArn`; answers both ARNs. */
async function listenerWithRule(elb: ElasticLoadBalancingV2Client, loadBalancerArn: string, port: number, targetGroupArn: string) {
  const forward = [{ Type: 'forward' as const, TargetGroupArn: targetGroupArn }];
  const listener = await elb.send(
    new CreateListenerCommand({ LoadBalancerArn: loadBalancerArn, Protocol: 'HTTP', Port: port, DefaultActions: forward }),
  );
  const listenerArn = listener.Listeners?.[0]?.ListenerArn as string;
  const rule = await elb.send(
    new CreateRuleCommand({
      ListenerArn: listenerArn,
      Priority: 1,
      Conditions: [{ Field: 'path-pattern', Values: ['/*'] }],
      Actions: forward,
    }),
  );
  return { listenerArn, ruleArn: rule.Rules?.[0]?.RuleArn as string };
}

/** Registers a revision of the service's task definition running image tag `tag` (of `repository`); answers its ARN. */
export async function registerRevision(
  sandbox: Sandbox,
  bg: Pick<BlueGreenService, 'family' | 'containerName'>,
  tag: string,
  environment: Record<string, string> = {},
  repository = BLUE_GREEN_REPOSITORY,
): Promise<string> {
  const registered = await ecsClient(sandbox).send(
    new RegisterTaskDefinitionCommand({
      family: bg.family,
      executionRoleArn: `arn:aws:iam::${sandbox.accountId}:role/ecsTaskExecutionRole`,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        {
          name: bg.containerName,
          image: `${repository}:${tag}`,
          essential: true,
          portMappings: [{ containerPort: 8080 }],
          environment: Object.entries(environment).map(([name, value]) => ({ name, value })),
        },
      ],
    }),
  );
  return registered.taskDefinition?.taskDefinitionArn as string;
}

/** Creates everything a blue/green service needs and (by default) waits until its first deployment completed. */
export async function createBlueGreenService(sandbox: Sandbox, options: BlueGreenOptions): Promise<BlueGreenService> {
  const elb = elbClient(sandbox);
  const ecs = ecsClient(sandbox);
  const cluster = options.cluster ?? 'prod';
  const service = options.service;
  const { targetGroupArn: primaryTargetGroupArn } = await createTargetGroup(
    sandbox,
    elbName(service, 'blue'),
    options.deregistrationDelaySeconds ?? 5,
  );
  const { targetGroupArn: alternateTargetGroupArn } = await createTargetGroup(
    sandbox,
    elbName(service, 'green'),
    options.deregistrationDelaySeconds ?? 5,
  );
  const loadBalancer = await elb.send(new CreateLoadBalancerCommand({ Name: elbName(service, 'lb'), Subnets: ['subnet-1', 'subnet-2'] }));
  const loadBalancerArn = loadBalancer.LoadBalancers?.[0]?.LoadBalancerArn as string;
  const production = await listenerWithRule(elb, loadBalancerArn, 80, primaryTargetGroupArn);
  const test = await listenerWithRule(elb, loadBalancerArn, 8080, primaryTargetGroupArn);
  const roleArn = `arn:aws:iam::${sandbox.accountId}:role/ecsInfrastructureRoleForLoadBalancers`;
  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  const bg = { family: service, containerName: service };
  const taskDefinitionArn = await registerRevision(sandbox, bg, options.tag ?? 'v1', options.environment);
  const created = await ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: service,
      taskDefinition: taskDefinitionArn,
      desiredCount: options.desiredCount ?? 2,
      ...(options.healthCheckGracePeriodSeconds === undefined
        ? {}
        : { healthCheckGracePeriodSeconds: options.healthCheckGracePeriodSeconds }),
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'], securityGroups: ['sg-0a1b2c3d'] } },
      loadBalancers: [
        {
          targetGroupArn: primaryTargetGroupArn,
          containerName: service,
          containerPort: 8080,
          advancedConfiguration: {
            alternateTargetGroupArn,
            productionListenerRule: production.ruleArn,
            testListenerRule: test.ruleArn,
            roleArn,
          },
        },
      ],
      deploymentConfiguration: {
        strategy: options.strategy ?? 'BLUE_GREEN',
        bakeTimeInMinutes: options.bakeTimeInMinutes ?? 0,
        linearConfiguration: options.linearConfiguration,
        canaryConfiguration: options.canaryConfiguration,
        lifecycleHooks: options.waitForSteady === false ? options.lifecycleHooks : undefined,
        alarms: options.alarms,
        deploymentCircuitBreaker: options.deploymentCircuitBreaker,
      },
    }),
  );
  const result: BlueGreenService = {
    cluster,
    service,
    serviceArn: created.service?.serviceArn as string,
    ...bg,
    taskDefinitionArn,
    primaryTargetGroupArn,
    alternateTargetGroupArn,
    loadBalancerArn,
    productionListenerArn: production.listenerArn,
    testListenerArn: test.listenerArn,
    productionRuleArn: production.ruleArn,
    testRuleArn: test.ruleArn,
    roleArn,
    productionUrl: sandbox.listenerUrl(production.listenerArn),
    testUrl: sandbox.listenerUrl(test.listenerArn),
  };
  if (options.waitForSteady === false) return result;
  await waitForBlueGreenSteady(sandbox, result);
  if (options.lifecycleHooks)
    await ecs.send(new UpdateServiceCommand({ cluster, service, deploymentConfiguration: { lifecycleHooks: options.lifecycleHooks } }));
  if (options.afterFirstDeployment) {
    const live = (await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }))).services?.[0];
    await ecs.send(
      new UpdateServiceCommand({
        cluster,
        service,
        deploymentConfiguration: { ...live?.deploymentConfiguration, ...options.afterFirstDeployment },
      }),
    );
  }
  return result;
}

/** Waits until the service has one COMPLETED deployment running its desired count (default 30 s of wall time). */
export async function waitForBlueGreenSteady(sandbox: Sandbox, bg: Pick<BlueGreenService, 'cluster' | 'service'>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await ecsClient(sandbox).send(new DescribeServicesCommand({ cluster: bg.cluster, services: [bg.service] })))
      .services?.[0];
    const deployments = found?.deployments ?? [];
    if (deployments.length === 1 && deployments[0].rolloutState === 'COMPLETED' && found?.runningCount === found?.desiredCount)
      return found;
    if (Date.now() > deadline)
      throw new Error(`blue/green service ${bg.service} not steady after ${timeoutMs} ms: ${JSON.stringify(deployments)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const ENDED = ['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'];

/** Polls a service deployment until it has ended (or `timeoutMs` of wall time passed); answers its status then. */
export async function serviceDeploymentEnded(sandbox: Sandbox, arn: string, timeoutMs = 15_000): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await ecsClient(sandbox).send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
    const status = answer.serviceDeployments?.[0]?.status;
    if (ENDED.includes(status ?? '') || Date.now() > deadline) return status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The bodies of `n` requests to a listener URL, in order: which image tags answered (or `<status>` when not 200). */
export async function answers(url: string, n: number): Promise<string[]> {
  const bodies: string[] = [];
  for (let i = 0; i < n; i++) {
    const response = await fetch(url);
    bodies.push(answerLabel({ at: Date.now(), status: response.status, body: await response.text() }));
  }
  return bodies;
}

/** One request through a listener: when it was answered, its status and body (the image tag), or the network error. */
export interface ListenerAnswer {
  at: number;
  status?: number;
  body: string;
}

/** `v2`, or `<500>` when not 200, or `<error message>`: an answer as `answers` gives it. */
export const answerLabel = (answer: ListenerAnswer) => (answer.status === 200 ? answer.body : `<${answer.status ?? answer.body}>`);

/**
 * A user's steady stream of requests through a listener, one after another, `gapMs` apart, until stop(): every
 * answer in order, with the moment it came, and which revision gave it.
 */
export function watchAnswers(url: string, gapMs = 0): { stop(): Promise<ListenerAnswer[]> } {
  const seen: ListenerAnswer[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const response = await fetch(url);
        const body = await response.text();
        seen.push({ at: Date.now(), status: response.status, body });
      } catch (error) {
        seen.push({ at: Date.now(), body: (error as Error).message });
      }
      if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return seen;
    },
  };
}

/**
 * The traffic a listener served while `during` ran, one request after another, as `answers` labels them: whatever
 * answered anything but the old tag reached another revision.
 */
export async function trafficDuring<T>(url: string, during: () => Promise<T>): Promise<{ result: T; answers: string[] }> {
  const watch = watchAnswers(url);
  const result = await during().finally(() => watch.stop());
  return { result, answers: (await watch.stop()).map(answerLabel) };
}

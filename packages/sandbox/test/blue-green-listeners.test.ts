import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  ListServiceDeploymentsCommand,
  UpdateServiceCommand,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { start, type Sandbox } from '../src/index';
import {
  answers,
  blueGreenCatalog,
  createBlueGreenService,
  elbName,
  registerRevision,
  type BlueGreenService,
} from '../../../test/support/blue-green';
import { ecsClient, waitFor } from './support/harness';

// Real processes behind the listeners' real sockets: which revision answers shows where the rules send traffic.
// PAUSE hooks hold the deployment at the stages looked at, so nothing here depends on timing.
let sandbox: Sandbox;
beforeAll(async () => {
  // ×0.05: health checks every 250 ms, a traffic shift of 15 s lasts 0.75 s.
  sandbox = await start({ timeScale: 0.05, catalog: blueGreenCatalog() });
});
afterAll(async () => {
  await sandbox.stop();
});

async function latest(bg: BlueGreenService): Promise<ServiceDeployment> {
  const ecs = ecsClient(sandbox);
  const briefs = (await ecs.send(new ListServiceDeploymentsCommand({ cluster: bg.cluster, service: bg.service }))).serviceDeployments ?? [];
  const arn = briefs.sort((a, b) => Number(b.createdAt) - Number(a.createdAt))[0].serviceDeploymentArn as string;
  return (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] })))
    .serviceDeployments?.[0] as ServiceDeployment;
}

const pausedAt = (bg: BlueGreenService, stage: string) =>
  waitFor(`paused at ${stage}`, async () => {
    const sd = await latest(bg);
    return sd.lifecycleStage === stage && sd.lifecycleHookDetails?.[0]?.status === 'AWAITING_ACTION' ? sd : undefined;
  });

const proceed = (sd: ServiceDeployment) =>
  ecsClient(sandbox).send(
    new ContinueServiceDeploymentCommand({
      serviceDeploymentArn: sd.serviceDeploymentArn,
      hookId: sd.lifecycleHookDetails?.[0]?.hookId,
      action: 'CONTINUE',
    }),
  );

describe('a BLUE_GREEN deployment through the listeners', () => {
  test('test traffic reaches green first, production after its shift, and only green after clean-up', async () => {
    const bg = await createBlueGreenService(sandbox, {
      service: 'web',
      lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT'] }],
    });
    await waitFor('v1 in production', async () => ((await answers(bg.productionUrl, 1))[0] === 'v1' ? true : undefined));
    const v2 = await registerRevision(sandbox, bg, 'v2');
    await ecsClient(sandbox).send(new UpdateServiceCommand({ cluster: bg.cluster, service: bg.service, taskDefinition: v2 }));

    let sd = await pausedAt(bg, 'POST_TEST_TRAFFIC_SHIFT');
    expect(await answers(bg.testUrl, 4)).toEqual(['v2', 'v2', 'v2', 'v2']);
    expect(await answers(bg.productionUrl, 4)).toEqual(['v1', 'v1', 'v1', 'v1']);
    await proceed(sd);

    sd = await pausedAt(bg, 'POST_PRODUCTION_TRAFFIC_SHIFT');
    expect(await answers(bg.productionUrl, 4)).toEqual(['v2', 'v2', 'v2', 'v2']);
    await proceed(sd);

    await waitFor('SUCCESSFUL', async () => ((await latest(bg)).status === 'SUCCESSFUL' ? true : undefined));
    expect(await answers(bg.productionUrl, 4)).toEqual(['v2', 'v2', 'v2', 'v2']);
  });

  test('a CANARY deployment sends canaryPercent of production requests to green', async () => {
    const bg = await createBlueGreenService(sandbox, {
      service: 'canary',
      strategy: 'CANARY',
      canaryConfiguration: { canaryPercent: 25, canaryBakeTimeInMinutes: 0 },
      // The second PRE_PRODUCTION_TRAFFIC_SHIFT comes after the canary step: it holds production at 25%.
      lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'] }],
    });
    const v2 = await registerRevision(sandbox, bg, 'v2');
    await ecsClient(sandbox).send(new UpdateServiceCommand({ cluster: bg.cluster, service: bg.service, taskDefinition: v2 }));
    await proceed(await pausedAt(bg, 'PRE_PRODUCTION_TRAFFIC_SHIFT'));
    await waitFor('paused after the canary step', async () => {
      const sd = await latest(bg);
      return sd.targetServiceRevision?.requestedProductionTrafficWeight === 25 && sd.lifecycleHookDetails?.[0]?.status === 'AWAITING_ACTION'
        ? true
        : undefined;
    });
    // Weighted round robin, 250 against 750: one request in four.
    expect(await answers(bg.productionUrl, 8)).toEqual(['v1', 'v1', 'v2', 'v1', 'v1', 'v1', 'v2', 'v1']);
    await proceed(await latest(bg));
    await waitFor('SUCCESSFUL', async () => ((await latest(bg)).status === 'SUCCESSFUL' ? true : undefined));
    expect(await answers(bg.productionUrl, 4)).toEqual(['v2', 'v2', 'v2', 'v2']);
  });
});

describe('the blue/green fixture', () => {
  test('two services whose names share their first 32 characters get load balancers and target groups of their own', async () => {
    const prefix = 'workflows-templates-blue-green-release';
    const [first, second] = [`${prefix}-healthy`, `${prefix}-gate`];
    const names = [first, second].flatMap((service) => ['blue', 'green', 'lb'].map((suffix) => elbName(service, suffix)));
    expect(new Set(names).size).toBe(6);
    for (const name of names) expect(name).toMatch(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/);
    expect(elbName('web', 'blue')).toBe('web-blue');

    const a = await createBlueGreenService(sandbox, { service: first, waitForSteady: false });
    const b = await createBlueGreenService(sandbox, { service: second, waitForSteady: false });
    expect(b.loadBalancerArn).not.toBe(a.loadBalancerArn);
    expect(b.primaryTargetGroupArn).not.toBe(a.primaryTargetGroupArn);
    expect(a.alternateTargetGroupArn).not.toBe(a.primaryTargetGroupArn);
    expect(b.productionUrl).not.toBe(a.productionUrl);
  });
});

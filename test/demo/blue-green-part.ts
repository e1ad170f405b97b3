/**
 * The demo's blue/green part, as the blue/green starter workflow chains its steps: deploy-ecs `wait-until: paused`,
 * verify-health on the test listener answering the PAUSE hook (`continue-deployment`), then deploy-ecs following the
 * same service deployment to the end, or auto-rollback when the gate failed. A steady audience on the production
 * listener counts which revision answered each request.
 * - 2.1.0: the gate continues the deployment, production moves to 2.1.0 with no request failing;
 * - 2.2.0 answers 500 to every request but /health, so ECS and the target groups call it healthy: the gate answers
 *   ROLLBACK, and not one production request reaches it.
 *
 * It runs on a sandbox of its own beside the rolling part, its lines kept and printed as one block afterwards, so
 * the two parts' logs do not interleave.
 */
import { answers, blueGreenCatalog, type BlueGreenService } from '../support/blue-green';
import { errorsOf } from '../support/run-action';
import { startSandbox, type SandboxHandle } from '../support/sandbox-harness';
import type { Lane } from './record';
import { checkoutRelease, createCheckout, primaryRevision, serviceDeploymentStatus } from './checkout';
import { runStep } from './step';
import { bold, dim, red } from './terminal';
import { reportTraffic, startTraffic } from './traffic';
import { Verdicts } from './verdicts';

/** ECS's intervals at a twentieth, as the gate's end-to-end test runs them: the part ends before the rolling one. */
const TIME_SCALE = 0.05;

export interface BlueGreenPart {
  lines: string[];
  verdicts: Verdicts;
}

interface Release {
  sandbox: SandboxHandle;
  checkout: BlueGreenService;
  env: Record<string, string>;
  print: (line: string) => void;
  verdicts: Verdicts;
  /** The report's record of the checkout service, when the demo keeps one. */
  lane?: Lane;
}

const revision = (arn: string | undefined) => arn?.split('/').pop() ?? 'none';

/** deploy-ecs up to the PAUSE hook, then verify-health on the test listener answering it. */
async function deployToGate({ checkout, env, print, verdicts, lane }: Release, version: string, environment?: string) {
  const { cluster, service, containerName } = checkout;
  const paused = await runStep(
    `Deploy checkout ${version}`,
    'deploy-ecs',
    {
      cluster,
      service,
      container: containerName,
      image: checkoutRelease(version),
      ...(environment && { environment }),
      'wait-until': 'paused',
    },
    { env, print, lane },
  );
  verdicts.expect(
    `deploy-ecs checkout ${version}`,
    paused.exitCode === 0 && paused.outputs.status === 'paused' && paused.outputs['lifecycle-stage'] === 'POST_TEST_TRAFFIC_SHIFT',
    `${paused.outputs.status} at ${paused.outputs['lifecycle-stage']}, ${revision(paused.outputs['task-definition-arn'])} on the test listener`,
  );
  const gate = await runStep(
    `Gate checkout ${version}`,
    'verify-health',
    {
      url: `${checkout.testUrl}/`,
      'body-contains': version,
      interval: '0.2s',
      timeout: '20s',
      cluster,
      service,
      'continue-deployment': paused.outputs['service-deployment-arn'] ?? '',
    },
    { env, print, lane },
  );
  return { paused, gate };
}

async function goodRelease(release: Release, version: string) {
  const { sandbox, checkout, env, print, verdicts, lane } = release;
  const { paused, gate } = await deployToGate(release, version);
  verdicts.expect(
    `verify-health checkout ${version} (test listener)`,
    gate.exitCode === 0 && gate.outputs['deployment-action'] === 'continued',
    `healthy=${gate.outputs.healthy}, deployment-action=${gate.outputs['deployment-action']}`,
  );
  const arn = paused.outputs['service-deployment-arn'] ?? '';
  const completed = await runStep(
    `Complete checkout ${version}`,
    'deploy-ecs',
    { cluster: checkout.cluster, service: checkout.service, 'service-deployment-arn': arn },
    { env, print, lane },
  );
  const primary = await primaryRevision(sandbox, checkout);
  const production = await answers(`${checkout.productionUrl}/`, 3);
  verdicts.expect(
    `deploy-ecs checkout ${version} (followed)`,
    completed.exitCode === 0 &&
      completed.outputs.status === 'succeeded' &&
      primary === paused.outputs['task-definition-arn'] &&
      production.every((answer) => answer === version),
    `${completed.outputs.status}; the service's primary revision is ${revision(primary)}, production answers ${production.join(', ')}`,
  );
  return paused.outputs['task-definition-arn'];
}

async function badRelease(release: Release, version: string, good: string | undefined) {
  const { sandbox, checkout, env, print, verdicts, lane } = release;
  const { paused, gate } = await deployToGate(release, version, 'RESPONSE_STATUS=500');
  verdicts.expect(
    `verify-health checkout ${version} (test listener)`,
    gate.exitCode === 1 && gate.outputs.healthy === 'false' && gate.outputs['deployment-action'] === 'rolled-back',
    `healthy=${gate.outputs.healthy}, deployment-action=${gate.outputs['deployment-action']}, the step ${gate.exitCode === 0 ? 'succeeded' : 'failed'}`,
  );
  // if: failure() && steps.deploy.outputs.previous-task-definition-arn != ''
  const rollback = await runStep(
    `Roll back checkout ${version}`,
    'auto-rollback',
    {
      cluster: checkout.cluster,
      service: checkout.service,
      'task-definition': paused.outputs['previous-task-definition-arn'] ?? '',
      reason: `verify-health failed: ${errorsOf(gate)[0] ?? 'unhealthy'}`,
    },
    { env, print, lane },
  );
  const status = await serviceDeploymentStatus(sandbox, paused.outputs['service-deployment-arn'] ?? '');
  const primary = await primaryRevision(sandbox, checkout);
  verdicts.expect(
    `auto-rollback checkout ${version}`,
    rollback.exitCode === 0 && status === 'ROLLBACK_SUCCESSFUL' && primary === good,
    `rolled-back=${rollback.outputs['rolled-back']}; service deployment ${status}, the service's primary revision is ${revision(primary)}${rollback.exitCode === 0 ? '' : `; the step failed: ${errorsOf(rollback)[0] ?? 'no error line'}`}`,
  );
}

/** Which revisions the production audience must, may and must never be answered by. */
interface Audience {
  reaches: string;
  mayReach?: string;
  neverReaches?: string;
}

/** Runs while `during` does: the production audience, its report and its verdict on which revisions answered it. */
async function watchProduction(release: Release, label: string, expected: Audience, during: () => Promise<void>) {
  const traffic = startTraffic(`${release.checkout.productionUrl}/`, { countBodies: true, lane: release.lane });
  try {
    await during();
  } finally {
    const result = await traffic.stop();
    reportTraffic(`production during ${label}`, result, release.print);
    const count = (body: string) => result.bodies.get(body) ?? 0;
    const named = [expected.mayReach, expected.reaches, expected.neverReaches].filter((version) => version !== undefined);
    const others = [...result.bodies.keys()].filter((body) => !named.includes(body));
    release.verdicts.expect(
      `production during ${label}`,
      result.failed === 0 &&
        count(expected.reaches) > 0 &&
        (expected.neverReaches === undefined || count(expected.neverReaches) === 0) &&
        others.length === 0,
      `${result.failed} of ${result.sent} requests failed; answered by ` +
        [...named, ...others].map((body) => `${body || '(empty body)'}: ${count(body)}`).join(', '),
    );
  }
}

async function releases(release: Release, first: string) {
  const { print } = release;
  print(`\n${bold('Checkout 2.1.0 on blue/green: the test listener gates it before production')}`);
  let good: string | undefined;
  await watchProduction(release, 'checkout 2.1.0', { mayReach: first, reaches: '2.1.0' }, async () => {
    good = await goodRelease(release, '2.1.0');
  });
  print(`\n${bold('Checkout 2.2.0: answers 500 to every request, yet its /health passes ECS and the target groups')}`);
  await watchProduction(release, 'checkout 2.2.0', { reaches: '2.1.0', neverReaches: '2.2.0' }, () => badRelease(release, '2.2.0', good));
}

/**
 * The whole part; it never throws: what went wrong is a line and a failing verdict of its own. `lane` keeps its
 * steps and production traffic for the report.
 */
export async function runBlueGreenPart(github: Record<string, string>, lane?: Lane): Promise<BlueGreenPart> {
  const lines: string[] = [];
  const print = (line: string) => lines.push(line);
  const verdicts = new Verdicts();
  let sandbox: SandboxHandle | undefined;
  try {
    sandbox = await startSandbox({ timeScale: TIME_SCALE, catalog: blueGreenCatalog() });
    const first = '2.0.0';
    const checkout = await createCheckout(sandbox, first);
    print(
      `\n${bold('Blue/green')}` + dim(` — a second sandbox at ${sandbox.endpoint}, ECS intervals ×${TIME_SCALE}, run beside the above`),
    );
    print(
      dim(
        `service ${checkout.service} in cluster ${checkout.cluster} runs checkout ${first} on 2 tasks, strategy BLUE_GREEN with a PAUSE hook at ` +
          `POST_TEST_TRAFFIC_SHIFT; production listener ${checkout.productionUrl}, test listener ${checkout.testUrl}`,
      ),
    );
    await releases({ sandbox, checkout, env: { ...sandbox.env(), ...github }, print, verdicts, lane }, first);
  } catch (error) {
    print(red(`  the blue/green part stopped: ${(error as Error).stack ?? error}`));
    verdicts.expect('blue/green part', false, (error as Error).message);
  } finally {
    await sandbox?.stop();
  }
  return { lines, verdicts };
}

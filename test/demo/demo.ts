/**
 * `npm run demo`: the suite's whole chain, as workflows-templates/ecs-deploy.yml runs it, on the local sandbox,
 * with each step the bundled action run as the runner runs it. The storefront (the sample service, real
 * processes on an embedded PostgreSQL) serves three tasks behind the sandbox's load balancer while a steady
 * audience counts the requests that fail:
 * - build-push of a tiny image to the sandbox's ECR, when the suite's dockerd and registry are installed here;
 * - 1.1.0: run-migration applies its migration, deploy-ecs rolls it out, verify-health finds it healthy;
 * - 1.2.0 answers 500 to everything yet looks healthy to ECS: verify-health fails, auto-rollback returns to 1.1.0;
 * - 1.3.0 crashes at start-up: deploy-ecs fails with the cause, ECS's circuit breaker already rolled it back.
 * Beside it, on a second sandbox, a blue/green service is gated at its test listener (blue-green-part.ts); its lines
 * are printed as one block after the storefront's. Each service's steps and traffic are recorded (record.ts), and the
 * demo ends by writing a report page from that record (report/) and printing its path.
 */
import { errorsOf } from '../support/run-action';
import { startSandbox } from '../support/sandbox-harness';
import { SAMPLE_SERVICE_DIR, sampleServiceCatalog } from '../support/sample-service';
import { runBlueGreenPart } from './blue-green-part';
import { startBuildInfraIfInstalled } from './build-infra';
import { buildPush, explainSkippedBuild } from './build-step';
import { runStep } from './step';
import { answerThrough, createStorefront, release } from './storefront';
import { bold, dim } from './terminal';
import { outageSeconds, reportTraffic, startTraffic } from './traffic';
import { Verdicts } from './verdicts';
import { DemoRecorder } from './record';
import { DEFAULT_REPORT_DIR, writeReport } from './report/write';

const GITHUB_CONTEXT = {
  GITHUB_REPOSITORY: 'acme/storefront',
  GITHUB_SHA: '4f1c2ab9e07d35c6b8a1f0e2d9c7b6a5f4e3d2c1',
  GITHUB_RUN_ID: '1001',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_SERVER_URL: 'https://github.com',
};
const MIGRATE = `node ${SAMPLE_SERVICE_DIR}/migrate.mjs`;

async function main() {
  // The demo's own SDK clients run on the machine's Node; the actions run on node24 and warn for themselves.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const recorder = new DemoRecorder();
  const storefront = recorder.lane('storefront', 'storefront: rolling update on 3 tasks');
  const checkout = recorder.lane('checkout', 'checkout: blue/green, production listener');
  const verdicts = new Verdicts();
  // Whatever started is stopped, last first, however the demo ends.
  const stops: (() => unknown)[] = [];
  // Started first, so it runs while the storefront's releases do; it stops its own sandbox and never throws.
  const blueGreen = runBlueGreenPart({ ...GITHUB_CONTEXT, GITHUB_REPOSITORY: 'acme/checkout' }, checkout);
  stops.push(() => blueGreen);
  try {
    const build = startBuildInfraIfInstalled();
    stops.push(build.stop);
    const { infra } = build;
    const registry = infra && { endpoint: infra.registryEndpoint, username: infra.username, password: infra.password };
    // 1.0.0 runs on the first migration; 1.1.0 brings the second.
    const sandbox = await startSandbox({ timeScale: 0.1, catalog: sampleServiceCatalog(), registry, database: { migrations: 1 } });
    stops.push(sandbox.stop);
    const { database } = sandbox;
    const env = { ...sandbox.env(), ...GITHUB_CONTEXT };

    console.log(bold('ECS deploy suite demo') + dim(` — sandbox at ${sandbox.endpoint}, ECS intervals ×0.1, tasks are real processes`));
    const { cluster, service, url } = await createStorefront(sandbox, database.url);
    console.log(
      dim(`service ${service} in cluster ${cluster} runs storefront 1.0.0 on 3 tasks behind ${url}; database migrated to 001_create_items`),
    );

    if (infra) {
      const built = await buildPush(sandbox, infra, storefront);
      verdicts.expect(
        'build-push',
        built.exitCode === 0 && /^sha256:[0-9a-f]{64}$/.test(built.outputs.digest ?? ''),
        `digest ${built.outputs.digest ?? 'none'}`,
      );
    } else {
      explainSkippedBuild(build.unavailable ?? 'unknown');
    }

    console.log(`\n${bold('Release 1.1.0')}`);
    let traffic = startTraffic(`${url}/items`, { lane: storefront });
    const migration = await runStep(
      'Migrate 1.1.0',
      'run-migration',
      { cluster, service, image: release('1.1.0'), command: `${MIGRATE} up 1` },
      { env, lane: storefront },
    );
    verdicts.expect(
      'run-migration 1.1.0',
      migration.exitCode === 0 && migration.log.includes('002_add_price'),
      `exit code ${migration.outputs['exit-code']}, applied 002_add_price`,
    );
    const deployed = await runStep('Deploy 1.1.0', 'deploy-ecs', { cluster, service, image: release('1.1.0') }, { env, lane: storefront });
    verdicts.expect(
      'deploy-ecs 1.1.0',
      deployed.exitCode === 0 && deployed.outputs['task-definition-arn'] === migration.outputs['task-definition-arn'],
      `${deployed.outputs.status}, the revision the migration ran (${deployed.outputs['task-definition-arn']?.split('/').pop()})`,
    );
    const verified = await runStep(
      'Verify 1.1.0',
      'verify-health',
      { url: `${url}/health`, cluster, service, interval: '0.5s', timeout: '30s' },
      { env, lane: storefront },
    );
    verdicts.expect(
      'verify-health 1.1.0',
      verified.exitCode === 0 && verified.outputs.healthy === 'true',
      `healthy=${verified.outputs.healthy}`,
    );
    const goodTraffic = await traffic.stop();
    reportTraffic('during 1.1.0', goodTraffic);
    verdicts.expect('traffic during 1.1.0', goodTraffic.failed === 0, `${goodTraffic.failed} of ${goodTraffic.sent} requests failed`);

    console.log(`\n${bold('Release 1.2.0: answers 500 to every request, yet ECS and the load balancer call it healthy')}`);
    traffic = startTraffic(`${url}/items`, { lane: storefront });
    const broken = await runStep(
      'Deploy 1.2.0',
      'deploy-ecs',
      { cluster, service, image: release('1.2.0'), environment: 'FAIL_MODE=500' },
      { env, lane: storefront },
    );
    verdicts.expect(
      'deploy-ecs 1.2.0',
      broken.exitCode === 0 && broken.outputs.status === 'succeeded',
      `${broken.outputs.status} (ECS sees healthy tasks)`,
    );
    const unhealthy = await runStep(
      'Verify 1.2.0',
      'verify-health',
      { url: `${url}/health`, cluster, service, interval: '0.5s', timeout: '30s' },
      { env, lane: storefront },
    );
    verdicts.expect(
      'verify-health 1.2.0',
      unhealthy.exitCode === 1 && unhealthy.outputs.healthy === 'false',
      `healthy=${unhealthy.outputs.healthy}, the step failed`,
    );
    // if: failure() && steps.deploy.outputs.previous-task-definition-arn != ''
    const rollback = await runStep(
      'Roll back 1.2.0',
      'auto-rollback',
      {
        cluster,
        service,
        'task-definition': broken.outputs['previous-task-definition-arn'] ?? '',
        reason: `verify-health failed: ${errorsOf(unhealthy)[0] ?? 'unhealthy'}`,
      },
      { env, lane: storefront },
    );
    const afterRollback = await answerThrough(url);
    verdicts.expect(
      'auto-rollback 1.2.0',
      rollback.exitCode === 0 &&
        rollback.outputs['rolled-back'] === 'true' &&
        afterRollback.status === 200 &&
        afterRollback.version === '1.1.0',
      `rolled-back=${rollback.outputs['rolled-back']} in ${rollback.outputs['duration-seconds']}s; the load balancer answers ${afterRollback.status} from ${afterRollback.version}`,
    );
    // A second of traffic after the rollback's verdict shows that it holds.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const badTraffic = await traffic.stop();
    reportTraffic('during 1.2.0 and its rollback', badTraffic);
    const lastFailure = Math.max(...badTraffic.failures.map((failure) => failure.at));
    verdicts.expect(
      'traffic during 1.2.0',
      badTraffic.failed > 0 && lastFailure <= rollback.finishedAt,
      `${badTraffic.failed} of ${badTraffic.sent} requests failed over ${outageSeconds(badTraffic).toFixed(1)}s, none after the rollback`,
    );

    console.log(`\n${bold('Release 1.3.0: its task definition lost DATABASE_URL, so it exits at start-up')}`);
    traffic = startTraffic(`${url}/items`, { lane: storefront });
    const crashed = await runStep(
      'Deploy 1.3.0',
      'deploy-ecs',
      { cluster, service, image: release('1.3.0'), environment: 'DATABASE_URL=' },
      { env, lane: storefront },
    );
    verdicts.expect(
      'deploy-ecs 1.3.0',
      crashed.exitCode === 1 &&
        crashed.outputs.status === 'rolled-back' &&
        errorsOf(crashed).some((error) => error.includes('DATABASE_URL')),
      `${crashed.outputs.status}, the failure names DATABASE_URL`,
    );
    const noop = await runStep(
      'Roll back 1.3.0',
      'auto-rollback',
      { cluster, service, 'task-definition': crashed.outputs['previous-task-definition-arn'] ?? '', reason: 'deploy-ecs failed' },
      { env, lane: storefront },
    );
    const afterCrash = await answerThrough(url);
    verdicts.expect(
      'auto-rollback 1.3.0',
      noop.exitCode === 0 && noop.outputs['rolled-back'] === 'false' && afterCrash.version === '1.1.0',
      `rolled-back=${noop.outputs['rolled-back']} (ECS's circuit breaker was first); the load balancer answers ${afterCrash.version}`,
    );
    const crashTraffic = await traffic.stop();
    reportTraffic('during 1.3.0', crashTraffic);
    verdicts.expect('traffic during 1.3.0', crashTraffic.failed === 0, `${crashTraffic.failed} of ${crashTraffic.sent} requests failed`);

    const part = await blueGreen;
    for (const line of part.lines) console.log(line);
    verdicts.append(part.verdicts);
  } finally {
    for (const stop of stops.reverse()) await stop();
  }
  process.exitCode = verdicts.allAsExpected ? 0 : 1;
  verdicts.print();
  const record = recorder.finish(verdicts.all);
  console.log(
    dim(
      `finished in ${((record.finishedAt - record.startedAt) / 1000).toFixed(0)}s, exit code ${process.exitCode}; the loads, the sandboxes with their tasks, the database and any daemon the demo started are stopped`,
    ),
  );
  const report = writeReport(record, process.env.DEMO_REPORT_DIR ?? DEFAULT_REPORT_DIR);
  console.log(`${bold('Report:')} ${report.page} ${dim(`(the chart of the traffic and every job summary; its record: ${report.record})`)}`);
}

await main();

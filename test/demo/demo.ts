/**
 * `npm run demo`: the suite's main job on the local sandbox. A good release rolls out; then a release that
 * crashes at start-up is caught by deploy-ecs with its cause, and ECS's circuit breaker puts the old one back.
 */
import { start } from '@ecs-deploy/sandbox';
import { createService, REGISTRY } from '../support/ecs-fixtures';
import { runBundledAction } from '../support/run-action';
import { bold, dim, green, red, renderLogLine, renderSummary } from './terminal';

async function step(title: string, action: string, inputs: Record<string, string>, env: Record<string, string>) {
  console.log(`\n${bold(`━━ ${title}`)}  ${dim(`uses: ./actions/${action}`)}`);
  const run = await runBundledAction(action, inputs, {
    env,
    onLine: (line) => {
      const rendered = renderLogLine(line.text);
      if (rendered !== undefined) console.log(rendered);
    },
  });
  const seconds = ((run.finishedAt - run.startedAt) / 1000).toFixed(1);
  console.log(run.exitCode === 0 ? green(`  ✔ step succeeded in ${seconds}s`) : red(`  ✘ step failed in ${seconds}s (exit ${run.exitCode})`));
  console.log(dim('  outputs: ') + Object.entries(run.outputs).map(([k, v]) => `${k}=${v}`).join('  '));
  console.log(`\n${dim('  ── job summary ──')}\n${renderSummary(run.summary)}`);
  return run;
}

async function main() {
  const sandbox = await start({ timeScale: 0.25 });
  try {
    console.log(bold('ECS deploy suite demo') + dim(` — sandbox at ${sandbox.endpoint}, ECS intervals ×0.25`));
    const { cluster, service } = await createService(sandbox, {
      service: 'storefront',
      image: `${REGISTRY}/storefront:1.0.0`,
      desiredCount: 3,
      deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: true } },
    });
    console.log(dim(`service ${service} in cluster ${cluster} runs storefront:1.0.0 on 3 tasks`));

    const good = `${REGISTRY}/storefront:1.1.0`;
    sandbox.script(good, { kind: 'healthy', startMs: 1500 });
    const first = await step('Release 1.1.0', 'deploy-ecs', { cluster, service, image: good, environment: 'FEATURE_CHECKOUT_V2=on' }, sandbox.env());

    const broken = `${REGISTRY}/storefront:1.2.0`;
    sandbox.script(broken, {
      kind: 'exit',
      exitCode: 1,
      afterMs: 400,
      logs: ['storefront 1.2.0 starting', 'Error: required environment variable PAYMENTS_API_URL is not set'],
    });
    const second = await step('Release 1.2.0 (crashes at start-up)', 'deploy-ecs', { cluster, service, image: broken }, sandbox.env());

    const ok = first.exitCode === 0 && second.exitCode === 1 && second.outputs.status === 'rolled-back';
    console.log(`\n${ok ? green('Demo finished as expected') : red('Demo did not behave as expected')}: 1.1.0 ${first.outputs.status}, 1.2.0 ${second.outputs.status}.`);
    process.exitCode = ok ? 0 : 1;
  } finally {
    await sandbox.stop();
  }
}

await main();

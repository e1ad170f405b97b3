import { describe as group, expect, test } from '@jest/globals';
import { RUN_TOKEN as TOKEN, deploymentsIn, statusPosts, useAuditTrailWorld } from '../support/github-run';
import { errorsOf, runBundledAction, type ActionRun } from '../support/run-action';
import { createService, describe, REGISTRY } from '../support/ecs-fixtures';
import { startLocalServer } from '../support/health-servers';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The runner cancels a step with SIGINT: each action stops polling, says what it leaves, and ends within 3 s.
const world = useAuditTrailWorld();
const MUTATING = /^(RegisterTaskDefinition|UpdateService|StopServiceDeployment|CreateService|RunTask|StopTask)$/;

/** Milliseconds from the signal to the process's end. */
const signalToExit = (run: ActionRun) => run.finishedAt - (run.signalledAt as number);

group('cancelling deploy-ecs mid-rollout', () => {
  test('ends within 3 s with a failure naming the deployment ECS goes on with, no AWS change after the signal, the Deployment marked cancelled', async () => {
    const { sandbox, github } = world();
    const { cluster, service } = await createService(sandbox, {
      service: 'basket',
      image: `${REGISTRY}/basket:v1`,
      deploymentConfiguration: {
        minimumHealthyPercent: 100,
        maximumPercent: 200,
        deploymentCircuitBreaker: { enable: true, rollback: true },
      },
    });
    // A rollout that never ends on its own: the new task never leaves PENDING.
    sandbox.script(`${REGISTRY}/basket:v2`, { kind: 'pending-forever' });
    let callsAtSignal = 0;

    const run = await runBundledAction(
      'deploy-ecs',
      { cluster, service, image: `${REGISTRY}/basket:v2`, 'github-token': TOKEN, 'environment-name': 'basket' },
      {
        env: world().runnerEnv(),
        interrupt: {
          when: (line) => {
            if (!line.text.includes('UpdateService started deployment')) return false;
            callsAtSignal = sandbox.calls.length;
            return true;
          },
        },
      },
    );

    expect(run.signalledAt).toBeDefined();
    console.log(`deploy-ecs: SIGINT to exit in ${signalToExit(run)} ms`);
    expect(signalToExit(run)).toBeLessThan(3_000);
    expect(run.exitCode).toBe(1);
    const deploymentId = /UpdateService started deployment (\S+)/.exec(run.log)?.[1] as string;
    const [message] = errorsOf(run);
    expect(message).toContain(`The workflow was cancelled while ECS deployment ${deploymentId}`);
    expect(message).toContain('its deployment circuit breaker rolls it back');
    expect(message).toContain(`aws ecs describe-services --cluster ${cluster} --services ${service}`);
    expect(message).toContain('console.aws.amazon.com/ecs/v2/clusters/');
    expect(sandbox.calls.slice(callsAtSignal).filter((call) => MUTATING.test(call.operation))).toEqual([]);
    expect(run.summary).toContain(`Deploy ${service}: cancelled`);
    expect(run.summary).toContain(deploymentId);
    // ECS goes on with it: the step did not stop the deployment.
    expect((await describe(sandbox, cluster, service)).deployments?.find((d) => d.id === deploymentId)?.status).toBe('PRIMARY');
    const [recorded] = deploymentsIn(github, 'basket');
    expect(recorded.states.at(-1)).toBe('error');
    const last = statusPosts(github, recorded.id).at(-1)?.body as { description?: string };
    expect(last.description).toContain(`Cancelled: the workflow was cancelled; ECS deployment ${deploymentId}`);
  });
});

group('cancelling auto-rollback mid-watch', () => {
  test('ends within 3 s with a failure naming the rollback deployment ECS goes on with, and no AWS change after the signal', async () => {
    const { sandbox } = world();
    const { cluster, service } = await createService(sandbox, { service: 'ledger', image: `${REGISTRY}/ledger:v1` });
    // The release and then the rollback take 60 s (12 s here) to start their tasks: both are still rolling out.
    sandbox.script(`${REGISTRY}/ledger:v2`, { kind: 'healthy', startMs: 60_000 });
    sandbox.script(`${REGISTRY}/ledger:v1`, { kind: 'healthy', startMs: 60_000 });
    const release = await runBundledAction(
      'deploy-ecs',
      { cluster, service, image: `${REGISTRY}/ledger:v2`, wait: 'false' },
      { env: sandbox.env() },
    );
    expect(release.outputs.status).toBe('registered');
    let callsAtSignal = 0;

    const run = await runBundledAction(
      'auto-rollback',
      { cluster, service, reason: 'smoke test failed' },
      {
        env: sandbox.env(),
        interrupt: {
          when: (line) => {
            if (!/deployment \S+ brings ledger:1 back/.test(line.text)) return false;
            callsAtSignal = sandbox.calls.length;
            return true;
          },
        },
      },
    );

    expect(run.signalledAt).toBeDefined();
    console.log(`auto-rollback: SIGINT to exit in ${signalToExit(run)} ms`);
    expect(signalToExit(run)).toBeLessThan(3_000);
    expect(run.exitCode).toBe(1);
    const deploymentId = /deployment (\S+) brings ledger:1 back/.exec(run.log)?.[1] as string;
    const [message] = errorsOf(run);
    expect(message).toContain(`The workflow was cancelled while ECS deployment ${deploymentId}, the rollback to ledger:1, was rolling out`);
    expect(sandbox.calls.slice(callsAtSignal).filter((call) => MUTATING.test(call.operation))).toEqual([]);
    expect(run.summary).toContain(`Roll back ${service}: cancelled`);
  });
});

group('cancelling verify-health mid-check', () => {
  test('ends within 3 s with a failure saying no verdict was reached, and the summary says so', async () => {
    let requests = 0;
    const server = await startLocalServer((_request, response) => {
      requests += 1;
      response.writeHead(200).end('ok');
    });
    try {
      let requestsAtSignal = 0;
      const run = await runBundledAction(
        'verify-health',
        { url: `${server.base}/health`, interval: '1s', timeout: '60s', 'success-threshold': '30' },
        {
          interrupt: {
            // Mid-way: after the second round was answered.
            when: () => {
              requestsAtSignal = requests;
              return requests >= 2;
            },
          },
        },
      );

      expect(run.signalledAt).toBeDefined();
      console.log(`verify-health: SIGINT to exit in ${signalToExit(run)} ms`);
      expect(signalToExit(run)).toBeLessThan(3_000);
      expect(run.exitCode).toBe(1);
      expect(errorsOf(run)[0]).toContain(`The workflow was cancelled while probing ${server.base}/health: no health verdict was reached`);
      expect(run.outputs.healthy).toBeUndefined();
      expect(run.summary).toContain('Health check: cancelled, no verdict');
      // The interval's sleep ended on the signal: no round after it.
      expect(requests).toBe(requestsAtSignal);
    } finally {
      await server.stop();
    }
  });
});

group('cancelling build-push mid-build', () => {
  test('ends within 3 s without waiting for the build, says it was interrupted and outputs no image', async () => {
    // A docker with buildx whose build hangs: what a long build looks like from the step. It keeps its pid, so the
    // test can stop it (the runner stops what a cancelled step leaves).
    const bin = mkdtempSync(join(tmpdir(), 'slow-docker-'));
    const pidFile = join(bin, 'build.pid');
    writeFileSync(
      join(bin, 'docker'),
      `#!/bin/sh\nif [ "$1 $2" = "buildx build" ]; then echo $$ > ${pidFile}; echo "#1 building"; exec sleep 60; fi\ncat > /dev/null 2>&1 < /dev/null\nexit 0\n`,
    );
    chmodSync(join(bin, 'docker'), 0o755);
    const workspace = mkdtempSync(join(tmpdir(), 'context-'));
    writeFileSync(join(workspace, 'Dockerfile'), 'FROM scratch\n');
    try {
      const run = await runBundledAction(
        'build-push',
        { repository: 'cancel/web', 'create-repository': 'true' },
        {
          cwd: workspace,
          env: {
            ...world().sandbox.env(),
            PATH: `${bin}:${process.env.PATH ?? ''}`,
            GITHUB_SHA: '5eed000000000000000000000000000000000043',
            GITHUB_REPOSITORY: 'octo/web',
          },
          interrupt: { when: (line) => line.text.includes('#1 building') },
        },
      );

      expect(run.signalledAt).toBeDefined();
      console.log(`build-push: SIGINT to exit in ${signalToExit(run)} ms`);
      expect(signalToExit(run)).toBeLessThan(3_000);
      expect(run.exitCode).toBe(1);
      expect(errorsOf(run)[0]).toMatch(/^The workflow was cancelled while buildx was building \S+cancel\/web \(and pushing it/);
      expect(run.outputs.image).toBeUndefined();
      expect(run.summary).toContain('Build cancel/web: interrupted');
    } finally {
      if (existsSync(pidFile)) process.kill(Number(readFileSync(pidFile, 'utf8')));
    }
  });
});

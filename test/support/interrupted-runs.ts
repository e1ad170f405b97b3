/**
 * Each action cancelled as the runner cancels a step (SIGINT) at the moment that matters most: deploy-ecs
 * mid-rollout, run-migration with its task running, auto-rollback while it watches the rollback, verify-health
 * while probing, build-push mid-build. Shared by the cancellation e2e tests (what each run says and leaves) and
 * the bench (how long from the signal to the exit).
 */
import type { Sandbox } from '@ecs-deploy/sandbox';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createService, REGISTRY } from './ecs-fixtures';
import { startLocalServer } from './health-servers';
import { runBundledAction, type ActionRun } from './run-action';

export interface InterruptedRun {
  run: ActionRun;
  /** How many sandbox calls had been made when the signal was sent: what came after is the run's doing after it. */
  callsAtSignal: number;
}

/** Milliseconds from the signal to the process's end. */
export const signalToExit = (run: ActionRun) => run.finishedAt - (run.signalledAt as number);

/**
 * Runs `action` with the signal sent once its log shows `line` (text in a line, or a pattern), and counts the sandbox calls made by then, so a test
 * can look at what the run did after the signal.
 */
async function runInterruptedAt(
  sandbox: Sandbox,
  action: string,
  inputs: Record<string, string>,
  env: Record<string, string>,
  line: string | RegExp,
): Promise<InterruptedRun> {
  let callsAtSignal = 0;
  const run = await runBundledAction(action, inputs, {
    env,
    interrupt: {
      when: ({ text }) => {
        if (typeof line === 'string' ? !text.includes(line) : !line.test(text)) return false;
        callsAtSignal = sandbox.calls.length;
        return true;
      },
    },
  });
  return { run, callsAtSignal };
}

interface ServiceRunOptions {
  /** The service's (and its image repository's) name, unique within the sandbox. */
  name: string;
  /** The step's environment: the sandbox's, and the GitHub run's when the test wants the audit trail. */
  env: Record<string, string>;
  /** More inputs, e.g. the audit trail's github-token. */
  inputs?: Record<string, string>;
}

/** deploy-ecs cancelled right after UpdateService, on a rollout that never ends on its own (a task that never leaves PENDING). */
export async function cancelDeployMidRollout(
  sandbox: Sandbox,
  { name, env, inputs = {} }: ServiceRunOptions,
): Promise<InterruptedRun & { cluster: string; service: string }> {
  const { cluster, service } = await createService(sandbox, {
    service: name,
    image: `${REGISTRY}/${name}:v1`,
    deploymentConfiguration: {
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
    },
  });
  sandbox.script(`${REGISTRY}/${name}:v2`, { kind: 'pending-forever' });
  const interrupted = await runInterruptedAt(
    sandbox,
    'deploy-ecs',
    { cluster, service, image: `${REGISTRY}/${name}:v2`, ...inputs },
    env,
    'UpdateService started deployment',
  );
  return { ...interrupted, cluster, service };
}

/**
 * auto-rollback cancelled once it started the rollback: the release and then the rollback take 60 s of sandbox
 * time to start their tasks, so both are still rolling out.
 */
export async function cancelRollbackMidWatch(
  sandbox: Sandbox,
  { name, env }: ServiceRunOptions,
): Promise<InterruptedRun & { cluster: string; service: string }> {
  const { cluster, service } = await createService(sandbox, { service: name, image: `${REGISTRY}/${name}:v1` });
  sandbox.script(`${REGISTRY}/${name}:v2`, { kind: 'healthy', startMs: 60_000 });
  sandbox.script(`${REGISTRY}/${name}:v1`, { kind: 'healthy', startMs: 60_000 });
  const release = await runBundledAction('deploy-ecs', { cluster, service, image: `${REGISTRY}/${name}:v2`, wait: 'false' }, { env });
  if (release.outputs.status !== 'registered') throw new Error(`the release ended ${release.outputs.status}:\n${release.log}`);
  const back = new RegExp(`deployment \\S+ brings ${name}:1 back`);
  const interrupted = await runInterruptedAt(sandbox, 'auto-rollback', { cluster, service, reason: 'smoke test failed' }, env, back);
  return { ...interrupted, cluster, service };
}

/** run-migration cancelled once its task runs (a scripted task that keeps running until stopped). */
export async function cancelMigrationWhileRunning(
  sandbox: Sandbox,
  { name, env, inputs = {} }: ServiceRunOptions,
): Promise<InterruptedRun & { cluster: string; service: string }> {
  // The migration runs the service's task definition; the service itself needs no tasks.
  const { cluster, service } = await createService(sandbox, {
    service: name,
    image: `${REGISTRY}/${name}:v1`,
    desiredCount: 0,
    waitForSteady: false,
  });
  const interrupted = await runInterruptedAt(
    sandbox,
    'run-migration',
    { cluster, service, command: 'migrate up', ...inputs },
    env,
    'Task RUNNING.',
  );
  return { ...interrupted, cluster, service };
}

/** verify-health cancelled after its second round, with 28 more rounds to go. */
export async function cancelVerifyHealthWhileProbing(): Promise<{
  run: ActionRun;
  url: string;
  requests: number;
  requestsAtSignal: number;
}> {
  let requests = 0;
  const server = await startLocalServer((_request, response) => {
    requests += 1;
    response.writeHead(200).end('ok');
  });
  try {
    let requestsAtSignal = 0;
    const url = `${server.base}/health`;
    const run = await runBundledAction(
      'verify-health',
      { url, interval: '1s', timeout: '60s', 'success-threshold': '30' },
      {
        interrupt: {
          when: () => {
            requestsAtSignal = requests;
            return requests >= 2;
          },
        },
      },
    );
    return { run, url, requests, requestsAtSignal };
  } finally {
    await server.stop();
  }
}

/**
 * build-push cancelled mid-build: a docker with buildx whose build hangs, what a long build looks like from the
 * step. It keeps its pid, so the build is stopped afterwards (the runner stops what a cancelled step leaves).
 */
export async function cancelBuildMidBuild(env: Record<string, string>): Promise<{ run: ActionRun }> {
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
          ...env,
          PATH: `${bin}:${process.env.PATH ?? ''}`,
          GITHUB_SHA: '5eed000000000000000000000000000000000043',
          GITHUB_REPOSITORY: 'octo/web',
        },
        interrupt: { when: (line) => line.text.includes('#1 building') },
      },
    );
    return { run };
  } finally {
    if (existsSync(pidFile)) process.kill(Number(readFileSync(pidFile, 'utf8')));
  }
}

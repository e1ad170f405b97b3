import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { ECRPUBLICClient } from '@aws-sdk/client-ecr-public';
import {
  ActionFailure,
  CommandRunner,
  formatDuration,
  throwIfCancelled,
  unlessCancelled,
  WorkflowCancelled,
  type CancellationSignal,
  type Clock,
  type CommandExecutor,
  type Logger,
} from '../../common';
import { heading, section } from '../../report';
import { buildImage } from './build';
import { prepareBuildx } from './buildx-setup';
import { checkBuilderCan, chooseBuilder, probeInstalled } from './builder';
import { commitFromEnv } from './commit';
import { logIn } from './login';
import { planBuild, references } from './plan';
import type { BuildRequest } from './request';
import { ecrPublic } from './public-registry';
import { imagePrefix, privateEcr, type ImageRegistry } from './registry';
import { findingsAtOrAbove, gateVerdict } from './scan-gate';
import { buildSecretValues, secretMasks } from './secret-masks';
import { buildSummaryMarkdown, describeCache, type BuildReport } from './summary';

export interface BuildOutputs {
  image: string;
  digest: string;
  references: string[];
  built: boolean;
}

/** What is platform-specific: the runner's log, the tools it runs, masking, job summary and outputs. */
export interface BuildPorts {
  log: Logger;
  clock: Clock;
  /** Runs docker, buildah or podman (platform's actionsExec on a runner). */
  exec: CommandExecutor;
  /** Keeps a value out of the job log. */
  setSecret(value: string): void;
  writeSummary(markdown: string): Promise<void>;
  /** Called once the image is known, so a later step sees it even when the scan gate then fails this one. */
  setOutputs(outputs: BuildOutputs): void;
  /** The run's environment: GITHUB_SHA names the image, RUNNER_TEMP holds the step's files. */
  env?: NodeJS.ProcessEnv;
  /** Aborted when the workflow is cancelled: no ECR change after it, and the step ends without waiting for the build. */
  signal?: CancellationSignal;
}

/** The clients of the registry the request names. */
export interface BuildClients {
  ecr?: ECRClient;
  /** ECR Public's, in us-east-1 (input 'registry' public). */
  ecrPublic?: ECRPUBLICClient;
}

/** The registry the request pushes to, behind the seam build-push asks every registry through. */
export function registryFor(request: BuildRequest, clients: BuildClients): ImageRegistry {
  const client = request.registry === 'public' ? clients.ecrPublic : clients.ecr;
  if (!client) throw new Error(`buildAndPush needs the ${request.registry === 'public' ? 'ecr-public' : 'ecr'} client for this request.`);
  return request.registry === 'public' ? ecrPublic(client as ECRPUBLICClient) : privateEcr(client as ECRClient, request.registryId);
}

/**
 * Builds the commit's image and pushes it to ECR, or finds it there already; then holds it to the scan gate.
 * Returns the report; throws ActionFailure, after the outputs and the summary are written, when the gate fails.
 */
export async function buildAndPush(request: BuildRequest, clients: BuildClients, ports: BuildPorts): Promise<BuildReport> {
  // What a cancellation interrupted, for its message: set before each stage that changes something.
  let stage = 'before anything was built or pushed: nothing was built, pushed or changed in ECR, and this step outputs no image';
  try {
    return await buildAndPushUnlessCancelled(request, clients, ports, (next) => (stage = next));
  } catch (error) {
    if (!(error instanceof WorkflowCancelled)) throw error;
    const message = `The workflow was cancelled ${stage}.`;
    await ports.writeSummary(section(heading(`⏹️ Build ${request.repository}: interrupted`), message));
    throw new ActionFailure(message);
  }
}

async function buildAndPushUnlessCancelled(
  request: BuildRequest,
  clients: BuildClients,
  ports: BuildPorts,
  reached: (stage: string) => void,
): Promise<BuildReport> {
  const registry = registryFor(request, clients);
  const { signal } = ports;
  const { log, clock, env = process.env } = ports;
  const runner = new CommandRunner(ports.exec);
  const tempRoot = env.RUNNER_TEMP || tmpdir();
  // 1. Everything asked for is checked, and the builder chosen, before any AWS call.
  const commit = commitFromEnv(env);
  const kind = chooseBuilder(request.builder, await probeInstalled(runner), request.platforms);
  checkBuilderCan(kind, request);
  // The builder reads these variables and files itself; what a build step prints of them must never reach the log.
  for (const value of buildSecretValues(request.secrets, env)) for (const mask of secretMasks(value)) ports.setSecret(mask);

  // 2. The repository, and the image this commit may already have there.
  throwIfCancelled(signal);
  const repository = await registry.ensureRepository(request, commit.sha, log);
  const credentials = await registry.credentials(ports.setSecret, repository.uri);
  const work = mkdtempSync(join(tempRoot, 'build-push-'));
  try {
    const plan = planBuild(request, commit, imagePrefix(repository.uri, request.repository, credentials.host), join(work, 'metadata'));
    const existing = request.skipExisting && request.push ? await registry.findImage(request.repository, commit.sha) : undefined;
    let report: BuildReport;
    if (existing) {
      log.info(`${plan.imageName}:${commit.sha} already exists (${existing.digest}); skip-existing is true, so nothing is built.`);
      const missing = plan.tags.filter((tag) => !existing.tags.includes(tag));
      if (missing.length) {
        throwIfCancelled(signal);
        reached(
          `while tagging the existing image ${existing.digest} (some of ${missing.join(', ')} may have been added); nothing was built`,
        );
        await registry.addTags(request.repository, existing.digest, missing);
        log.info(`Tagged it ${missing.join(', ')}.`);
      }
      report = {
        image: `${plan.imageName}@${existing.digest}`,
        digest: existing.digest,
        references: references(plan),
        built: false,
        sizeInBytes: existing.sizeInBytes,
      };
    } else {
      // 3. Build and push with credentials that exist only for this step.
      throwIfCancelled(signal);
      const login = logIn(kind, credentials, { log, tempRoot, env });
      reached(
        request.push
          ? `while ${kind} was building ${plan.imageName} (and pushing it: ECR may hold some of its layers, or tags pushed before the build was stopped; the commit's tag was not checked): the build was interrupted and this step outputs no image`
          : `while ${kind} was building ${plan.imageName}: the build was interrupted, nothing was pushed (push is false) and this step outputs no image`,
      );
      const startedAt = clock.now();
      let built;
      let removeBuilder: (() => Promise<void>) | undefined;
      try {
        built = await unlessCancelled(
          log.group(`Build ${plan.imageName} with ${kind}`, async () => {
            if (kind !== 'buildx') return buildImage(kind, plan, login.env, runner);
            // The builder made for this build, if any, is removed whether the build passes or fails.
            const buildx = await prepareBuildx(
              { cache: request.cache, push: request.push },
              { runner, log, env, loginEnv: login.env, onBuilder: (remove) => (removeBuilder = remove) },
            );
            try {
              return await buildImage(kind, plan, buildx.env, runner, buildx.run);
            } finally {
              await buildx.dispose();
            }
          }),
          signal,
        );
      } catch (error) {
        // Cancelled: the step ends (and the process exits) without waiting for the build, so the builder made for it
        // is removed now; removing it also stops the build running on it.
        if (error instanceof WorkflowCancelled) await removeBuilder?.();
        throw error;
      } finally {
        login.dispose();
      }
      const buildMs = clock.now() - startedAt;
      log.info(`Built in ${formatDuration(buildMs)}; ${describeCache(built.cache)}.`);
      report = {
        image: references(plan)[0],
        digest: '',
        references: references(plan),
        built: true,
        builder: kind,
        cache: built.cache,
        buildMs,
      };
      if (request.push) {
        // 4. ECR must hold exactly the bytes this step pushed under the commit's tag.
        const stored = await registry.findImage(request.repository, commit.sha);
        if (!stored || stored.digest !== built.digest) {
          throw new ActionFailure(
            `Pushed ${built.digest} but ${registry.name}'s ${request.repository}:${commit.sha} is ${stored?.digest ?? 'missing'}; not outputting an image that may not be what was built.`,
          );
        }
        report = { ...report, image: `${plan.imageName}@${stored.digest}`, digest: stored.digest, sizeInBytes: stored.sizeInBytes };
        log.info(`Pushed ${report.image}`);
      }
    }
    ports.setOutputs(report);

    // 5. The scan gate: the image may be pushed, but later steps must not deploy it.
    let verdict: string | undefined;
    if (request.scanThreshold && report.digest && registry.waitForScan) {
      reached(
        `while waiting for ECR's scan of ${report.image}, which was built and pushed (the outputs name it): the scan gate gave no verdict, so do not deploy it before its scan is read`,
      );
      const findings = await registry.waitForScan(
        { repository: request.repository, digest: report.digest, image: report.image, timeoutMs: request.scanTimeoutMs },
        { log, clock, signal },
      );
      const blocking = findingsAtOrAbove(findings, request.scanThreshold);
      report.scan = blocking.length
        ? `${blocking.length} at or above ${request.scanThreshold}: failed`
        : `${findings.length} findings, none at or above ${request.scanThreshold}: passed`;
      if (blocking.length) verdict = gateVerdict(report.image, blocking, request.scanThreshold);
    }
    await ports.writeSummary(buildSummaryMarkdown(report));
    if (verdict) throw new ActionFailure(verdict);
    return report;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ActionFailure, createClient, formatDuration } from '@ecs-deploy/core/common';
import { actionsLogger as log, runAction, writeJobSummary } from '@ecs-deploy/core/platform';
import { buildImage } from './build';
import { chooseBuilder, probeInstalled } from './builder';
import { commitFromEnv } from './commit';
import { readBuildInputs } from './inputs';
import { logIn, registryCredentials } from './login';
import { setBuildOutputs } from './outputs';
import { planBuild, references } from './plan';
import { ensureRepository, findImage } from './repository';
import { addTags } from './tag-existing';
import { findingsAtOrAbove, gateVerdict, waitForScan } from './scan-gate';
import { buildSummaryMarkdown, describeCache, type BuildReport } from './summary';

const ACTION = 'build-push';

async function buildPush(): Promise<void> {
  // 1. Everything asked for is checked, and the builder chosen, before any AWS call.
  const inputs = readBuildInputs();
  const commit = commitFromEnv();
  const kind = chooseBuilder(inputs.builder, await probeInstalled(), inputs.platforms);
  const ecr = createClient(ECRClient, { region: inputs.region, action: ACTION });

  // 2. The repository, and the image this commit may already have there.
  await ensureRepository(ecr, inputs.repository, inputs.createRepository, log);
  const credentials = await registryCredentials(ecr);
  const work = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'build-push-'));
  try {
    const plan = planBuild(inputs, commit, credentials.host, join(work, 'metadata'));
    const existing = inputs.skipExisting && inputs.push ? await findImage(ecr, inputs.repository, commit.sha) : undefined;
    let report: BuildReport;
    if (existing) {
      log.info(`${plan.imageName}:${commit.sha} already exists (${existing.digest}); skip-existing is true, so nothing is built.`);
      const missing = plan.tags.filter((tag) => !existing.tags.includes(tag));
      if (missing.length) {
        await addTags(ecr, inputs.repository, existing.digest, missing);
        log.info(`Tagged it ${missing.join(', ')}.`);
      }
      report = { image: `${plan.imageName}@${existing.digest}`, digest: existing.digest, references: references(plan), built: false, sizeInBytes: existing.sizeInBytes };
    } else {
      // 3. Build and push with credentials that exist only for this step.
      const login = await logIn(kind, credentials);
      const startedAt = Date.now();
      let built;
      try {
        built = await log.group(`Build ${plan.imageName} with ${kind}`, () => buildImage(kind, plan, login.env));
      } finally {
        login.dispose();
      }
      const buildMs = Date.now() - startedAt;
      log.info(`Built in ${formatDuration(buildMs)}; ${describeCache(built.cache)}.`);
      report = { image: references(plan)[0], digest: '', references: references(plan), built: true, builder: kind, cache: built.cache, buildMs };
      if (inputs.push) {
        // 4. ECR must hold exactly the bytes this step pushed under the commit's tag.
        const stored = await findImage(ecr, inputs.repository, commit.sha);
        if (!stored || stored.digest !== built.digest) {
          throw new ActionFailure(`Pushed ${built.digest} but ECR's ${inputs.repository}:${commit.sha} is ${stored?.digest ?? 'missing'}; not outputting an image that may not be what was built.`);
        }
        report = { ...report, image: `${plan.imageName}@${stored.digest}`, digest: stored.digest, sizeInBytes: stored.sizeInBytes };
        log.info(`Pushed ${report.image}`);
      }
    }
    setBuildOutputs(report);

    // 5. The scan gate: the image may be pushed, but later steps must not deploy it.
    let verdict: string | undefined;
    if (inputs.scanThreshold && report.digest) {
      const findings = await waitForScan(ecr, { repository: inputs.repository, digest: report.digest, image: report.image, timeoutMs: inputs.scanTimeoutMs }, { log });
      const blocking = findingsAtOrAbove(findings, inputs.scanThreshold);
      report.scan = blocking.length ? `${blocking.length} at or above ${inputs.scanThreshold}: failed` : `${findings.length} findings, none at or above ${inputs.scanThreshold}: passed`;
      if (blocking.length) verdict = gateVerdict(report.image, blocking, inputs.scanThreshold);
    }
    await writeJobSummary(buildSummaryMarkdown(report));
    if (verdict) throw new ActionFailure(verdict);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await runAction(buildPush);

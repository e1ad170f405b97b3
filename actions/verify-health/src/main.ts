import * as core from '@actions/core';
import { ActionFailure, formatDuration, SUITE_VERSION } from '@ecs-deploy/core/common';
import { healthSummaryMarkdown, httpProbe, verifyHealth } from '@ecs-deploy/core/health';
import { actionsLogger as log, openDeploymentTrail, reportingErrors, runAction, writeJobSummary } from '@ecs-deploy/core/platform';
import { prepareAwsSignals } from './aws-signals';
import { readHealthInputs } from './inputs';
import { setHealthOutputs } from './outputs';

async function verify(): Promise<void> {
  // 1. Every input checked, header values masked, before the first request.
  const inputs = readHealthInputs();
  for (const header of inputs.headers) if (header.value) core.setSecret(header.value);
  const trail = openDeploymentTrail(inputs.auditTrail, log);

  // 2. The service, its targets and the alarms must exist before they can guard anything.
  const signals = await prepareAwsSignals(inputs.aws);

  // 3. Probe in rounds until health is won or lost, then bake; the verdict goes on the release's Deployment.
  await trail?.follow();
  log.info(`Probing ${inputs.plan.urls.join(', ')} every ${formatDuration(inputs.plan.intervalMs)}; healthy after ${inputs.plan.successThreshold} passing rounds, unhealthy after ${inputs.plan.failureThreshold} failing.`);
  const probe = httpProbe({ headers: inputs.headers, timeoutMs: inputs.requestTimeoutMs, userAgent: `ecs-deploy-suite/verify-health ${SUITE_VERSION}` });
  const report = await reportingErrors(trail, () => verifyHealth(inputs.plan, { probe, signals, log }));

  // 4. Report: outputs, job summary, the Deployment's status, and the verdict the step ends with.
  setHealthOutputs(report);
  await writeJobSummary(healthSummaryMarkdown(report));
  await trail?.report(report.healthy ? 'success' : 'failure', report.explanation);
  if (!report.healthy) throw new ActionFailure(report.explanation);
  log.info(`✅ ${report.explanation}`);
}

await runAction(verify);

import {
  ActionFailure,
  errorMessage,
  formatDuration,
  SUITE_VERSION,
  WorkflowCancelled,
  type AuditTrail,
  type CancellationSignal,
  type ClientFactory,
  type Clock,
  type Logger,
} from '../../common';
import { ECSClient } from '@aws-sdk/client-ecs';
import { heading, section } from '../../report';
import type { AwaitingPauseHook } from '../../ecs';
import { healthSummaryMarkdown, httpProbe, verifyHealth, type HealthReport, type Probe } from '../../health';
import { prepareAwsSignals } from './aws-signals';
import { PauseGate, type DeploymentAction } from './pause-gate';
import type { HealthRequest } from './request';

export interface HealthClients {
  aws: ClientFactory;
  /** The HTTP client; by default real requests with the request's headers and timeout. */
  probe?: Probe;
}

/** What is platform-specific: the runner's log, masking, job summary and outputs, and the GitHub Deployment. */
export interface HealthPorts {
  log: Logger;
  clock: Clock;
  /** Keeps a value out of the job log. */
  setSecret(value: string): void;
  writeSummary(markdown: string): Promise<void>;
  /** Called with the verdict's figures before the step can fail on them. */
  setOutputs(report: HealthReport): void;
  /** With continue-deployment: what this step did to the service deployment, set before the step can fail. */
  setDeploymentAction?(action: DeploymentAction): void;
  /** The Deployment of the release this check judges, when there is one. */
  trail?: AuditTrail;
  /** Aborted when the workflow is cancelled: probing stops at once, without a verdict. */
  signal?: CancellationSignal;
}

/**
 * Probes the URLs (with the service, its targets and the alarms as extra signals) until health is won or lost,
 * then bakes. Returns the report when healthy; throws ActionFailure with the explanation, after the outputs, the
 * summary and the Deployment's status are written, when not.
 */
export async function runHealthCheck(request: HealthRequest, clients: HealthClients, ports: HealthPorts): Promise<HealthReport> {
  const { log, trail } = ports;
  // 1. Header values masked before the first request.
  for (const header of request.headers) if (header.value) ports.setSecret(header.value);

  // 2. The service, its targets and the alarms must exist before they can guard anything: the pre-flight checks.
  const { signals, markdown: preflight } = await prepareAwsSignals(request.aws, clients.aws, ports, request.continueDeployment?.arn);

  // 2b. With continue-deployment, the verdict answers a PAUSE hook: wait for it to await action (probing the test
  // listener before then would judge the old revision, or nothing).
  const gated = request.continueDeployment;
  const gate = gated ? new PauseGate(clients.aws(ECSClient, gated.region), gated, ports) : undefined;
  let hook: AwaitingPauseHook | undefined;
  if (gate) {
    const plan = request.plan;
    const waited = await gate.waitForHook(plan.timeoutMs, plan.intervalMs, plan.timeoutMs + plan.bakeMs).catch(async (error: unknown) => {
      ports.setDeploymentAction?.('none');
      if (error instanceof WorkflowCancelled) {
        const message = `The workflow was cancelled while waiting for a PAUSE hook of service deployment ${gated?.id}: nothing was probed and no answer was sent.`;
        await ports.writeSummary(section(heading('⏹️ Health check: cancelled, no verdict'), message, preflight));
        throw new ActionFailure(message);
      }
      throw error;
    });
    if ('hook' in waited) hook = waited.hook;
    else {
      ports.setDeploymentAction?.('none');
      log.warning(
        `continue-deployment: service deployment ${gated?.id} has no PAUSE hook awaiting action: ${waited.none}. deployment-action is none; the health check runs without answering anything.`,
      );
    }
  }

  // 3. Probe in rounds until health is won or lost, then bake; the verdict goes on the release's Deployment.
  await trail?.follow();
  log.info(
    `Probing ${request.plan.urls.join(', ')} every ${formatDuration(request.plan.intervalMs)}; healthy after ${request.plan.successThreshold} passing rounds, unhealthy after ${request.plan.failureThreshold} failing.`,
  );
  const probe =
    clients.probe ??
    httpProbe({
      headers: request.headers,
      timeoutMs: request.requestTimeoutMs,
      userAgent: `ecs-deploy-suite/verify-health ${SUITE_VERSION}`,
    });
  const report = await verifyHealth(request.plan, { probe, signals, log, clock: ports.clock, signal: ports.signal }).catch(
    async (error: unknown) => {
      if (!(error instanceof WorkflowCancelled)) {
        await trail?.report('error', errorMessage(error));
        throw error;
      }
      // Neither healthy nor unhealthy: a later step must not read the release as verified.
      const unanswered = hook ? ` No answer was sent to the deployment. ${PauseGate.unanswered(hook)}` : '';
      const message = `The workflow was cancelled while probing ${request.plan.urls.join(', ')}: no health verdict was reached, so the release is neither verified healthy nor found unhealthy. Run verify-health again to judge it.${unanswered}`;
      ports.setDeploymentAction?.('none');
      await ports.writeSummary(section(heading('⏹️ Health check: cancelled, no verdict'), message, preflight));
      await trail?.report('error', 'Cancelled: the workflow was cancelled before a health verdict was reached');
      throw new ActionFailure(message);
    },
  );

  // 4. The verdict answers the PAUSE hook, when one awaits: CONTINUE when healthy, ROLLBACK when not.
  ports.setOutputs(report);
  let answered = '';
  let rolledBack = '';
  if (gate && hook) {
    const waiting = hook;
    const action = await gate.answer(hook, report).catch(async (error: unknown) => {
      ports.setDeploymentAction?.('none');
      const failure =
        error instanceof WorkflowCancelled
          ? new ActionFailure(
              `The workflow was cancelled while the answer to the PAUSE hook was being retried: no further attempt was sent. Unless an earlier attempt went through (DescribeServiceDeployments shows it): ${PauseGate.unanswered(waiting)}`,
            )
          : error;
      await ports.writeSummary(section(healthSummaryMarkdown(report), preflight));
      await trail?.report('error', errorMessage(failure));
      throw failure;
    });
    ports.setDeploymentAction?.(action);
    answered = deploymentActionLine(action, hook);
    if (action === 'rolled-back')
      rolledBack = ` Service deployment ${gated?.id} was rolled back at its PAUSE hook (${hook.stage ?? 'unknown stage'}).`;
  }

  // 5. Report: outputs, job summary, the Deployment's status, and the verdict the step ends with.
  await ports.writeSummary(section(healthSummaryMarkdown(report), answered, preflight));
  await trail?.report(report.healthy ? 'success' : 'failure', report.explanation);
  if (!report.healthy) throw new ActionFailure(`${report.explanation}${rolledBack}`);
  log.info(`✅ ${report.explanation}`);
  return report;
}

function deploymentActionLine(action: DeploymentAction, hook: AwaitingPauseHook): string {
  const at = `PAUSE hook \`${hook.hookId}\` at ${hook.stage ?? 'an unknown stage'}`;
  if (action === 'continued') return `▶️ **Deployment continued** at its ${at}.`;
  if (action === 'rolled-back') return `⏪ **Deployment rolled back** at its ${at}.`;
  return `⚠️ **No answer sent** to the ${at}: see the warning in the log.`;
}

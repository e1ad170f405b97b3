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
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ECSClient } from '@aws-sdk/client-ecs';
import { heading, section } from '../../report';
import { healthSummaryMarkdown, httpProbe, verifyHealth, type HealthReport, type Probe } from '../../health';
import { prepareAwsSignals } from './aws-signals';
import type { DeploymentAction, DeploymentGate } from './deployment-gate';
import { PauseGate } from './pause-gate';
import { ReadyGate } from './ready-gate';
import { TerminationWaitGate } from './termination-wait-gate';
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
  const { signals, markdown: preflight } = await prepareAwsSignals(request.aws, clients.aws, ports, {
    serviceDeploymentArn: request.continueDeployment?.arn,
    codeDeployDeploymentId: request.continueCodeDeploy?.deploymentId,
  });

  // 2b. With continue-deployment, the verdict answers the deployment's gate: wait for it to wait (probing the test
  // listener before then would judge the old revision, or nothing).
  const gate = deploymentGate(request, clients.aws, ports);
  let waiting = false;
  if (gate) {
    const plan = request.plan;
    const waited = await gate.wait(plan.timeoutMs, plan.intervalMs, plan.timeoutMs + plan.bakeMs).catch(async (error: unknown) => {
      ports.setDeploymentAction?.('none');
      if (error instanceof WorkflowCancelled) {
        const message = `The workflow was cancelled while waiting for ${gate.waitingFor}: nothing was probed and no answer was sent.`;
        await ports.writeSummary(section(heading('⏹️ Health check: cancelled, no verdict'), message, preflight));
        throw new ActionFailure(message);
      }
      throw error;
    });
    if ('waiting' in waited) waiting = true;
    else {
      ports.setDeploymentAction?.('none');
      log.warning(gate.notWaiting(waited.none));
    }
  }

  // 3. Probe in rounds until health is won or lost, then bake; the verdict goes on the release's Deployment.
  await trail?.follow();
  const judged = judgedWhat(request);
  log.info(
    `${judged} every ${formatDuration(request.plan.intervalMs)}; healthy after ${request.plan.successThreshold} passing rounds, unhealthy after ${request.plan.failureThreshold} failing.`,
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
      const unanswered = gate && waiting ? ` No answer was sent to the deployment. ${gate.unanswered()}` : '';
      const message = `The workflow was cancelled while ${judged.charAt(0).toLowerCase()}${judged.slice(1)}: no health verdict was reached, so the release is neither verified healthy nor found unhealthy. Run verify-health again to judge it.${unanswered}`;
      ports.setDeploymentAction?.('none');
      await ports.writeSummary(section(heading('⏹️ Health check: cancelled, no verdict'), message, preflight));
      await trail?.report('error', 'Cancelled: the workflow was cancelled before a health verdict was reached');
      throw new ActionFailure(message);
    },
  );

  // 4. The verdict answers the gate, when it waits: continue when healthy, roll back when not.
  ports.setOutputs(report);
  let answered = '';
  let rolledBack = '';
  if (gate && waiting) {
    const action = await gate.answer(report).catch(async (error: unknown) => {
      ports.setDeploymentAction?.('none');
      const failure = error instanceof WorkflowCancelled ? new ActionFailure(gate.cancelledWhileAnswering()) : error;
      await ports.writeSummary(section(healthSummaryMarkdown(report), preflight));
      await trail?.report('error', errorMessage(failure));
      throw failure;
    });
    ports.setDeploymentAction?.(action);
    answered = gate.summaryLine(action);
    if (action === 'rolled-back') rolledBack = gate.rolledBackSentence();
  }

  // 5. Report: outputs, job summary, the Deployment's status, and the verdict the step ends with.
  await ports.writeSummary(section(healthSummaryMarkdown(report), answered, preflight));
  await trail?.report(report.healthy ? 'success' : 'failure', report.explanation);
  if (!report.healthy) throw new ActionFailure(`${report.explanation}${rolledBack}`);
  log.info(`✅ ${report.explanation}`);
  return report;
}

/** What each round looks at, for the log: the URLs probed, or with none (a worker) the service's ECS signals alone. */
function judgedWhat(request: HealthRequest): string {
  if (request.plan.urls.length) return `Probing ${request.plan.urls.join(', ')}`;
  return `Checking service ${request.aws?.service} on ECS alone (no url: steady, no task crashing, its targets healthy${request.aws?.alarms.length ? ', the alarms out of ALARM' : ''})`;
}

/**
 * The gate continue-deployment names: a service deployment's PAUSE hook, or a CodeDeploy deployment's ready wait (its
 * termination wait with end-termination-wait).
 */
function deploymentGate(request: HealthRequest, aws: ClientFactory, ports: HealthPorts): DeploymentGate | undefined {
  if (request.continueDeployment) {
    const gated = request.continueDeployment;
    return new PauseGate(aws(ECSClient, gated.region), gated, ports);
  }
  if (request.continueCodeDeploy) {
    const gated = request.continueCodeDeploy;
    const codedeploy = aws(CodeDeployClient, gated.region);
    return gated.endTerminationWait ? new TerminationWaitGate(codedeploy, gated, ports) : new ReadyGate(codedeploy, gated, ports);
  }
  return undefined;
}

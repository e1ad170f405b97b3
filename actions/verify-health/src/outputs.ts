import * as core from '@actions/core';
import type { HealthReport } from '@ecs-deploy/core/health';
import type { DeploymentAction } from '@ecs-deploy/core/use-cases';

export function setHealthOutputs(report: HealthReport): void {
  core.setOutput('healthy', String(report.healthy));
  core.setOutput('checks', String(report.checks));
  core.setOutput('failures', String(report.failures));
  core.setOutput('p95-latency-ms', report.p95LatencyMs === undefined ? '' : String(report.p95LatencyMs));
}

export function setDeploymentActionOutput(action: DeploymentAction): void {
  core.setOutput('deployment-action', action);
}

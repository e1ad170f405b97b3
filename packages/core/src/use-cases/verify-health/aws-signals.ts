import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ClientFactory, Logger } from '../../common';
import { alarmSignals, combineSignals, crashedTaskSignals, serviceSignals, type SignalReader } from '../../health';
import { alarmsExistCheck, runPreflight, serviceExistsCheck, type PreflightCheck } from '../../preflight';
import type { HealthRequest } from './request';

export interface AwsSignals {
  signals?: SignalReader;
  /** The pre-flight table, for the job summary; empty when nothing in AWS is read. */
  markdown: string;
}

/**
 * The ECS service, its targets and the alarms, as signals read each round. The service and the alarm names are
 * checked first, in one pre-flight table, so a typo fails before the first probe rather than as an endless
 * unhealthy check.
 */
export async function prepareAwsSignals(
  aws: HealthRequest['aws'],
  clients: ClientFactory,
  ports: { log: Logger; writeSummary(markdown: string): Promise<void> },
  /**
   * continue-deployment's deployment: for a blue/green service, the service deployment its steadiness is judged on;
   * for a CODE_DEPLOY service, the CodeDeploy deployment whose replacement task set is.
   */
  gated: { serviceDeploymentArn?: string; codeDeployDeploymentId?: string } = {},
): Promise<AwsSignals> {
  if (!aws) return { markdown: '' };
  const readers: SignalReader[] = [];
  const checks: PreflightCheck<unknown>[] = [];
  if (aws.cluster && aws.service) {
    const ecs = clients(ECSClient, aws.region);
    checks.push(asGate(serviceExistsCheck({ ecs, cluster: aws.cluster, service: aws.service, region: aws.region })));
    const elb = clients(ElasticLoadBalancingV2Client, aws.region);
    readers.push(
      serviceSignals({
        cluster: aws.cluster,
        service: aws.service,
        region: aws.region,
        ecs,
        elb,
        taskDefinition: aws.taskDefinition,
        serviceDeploymentArn: gated.serviceDeploymentArn,
        codeDeployDeploymentId: gated.codeDeployDeploymentId,
        codedeploy: clients(CodeDeployClient, aws.region),
      }),
    );
    // Between its crashes a crash-looping service looks steady: its stopped tasks tell.
    readers.push(crashedTaskSignals({ ecs, cluster: aws.cluster, service: aws.service, taskDefinition: aws.taskDefinition }));
  }
  if (aws.alarms.length) {
    const cloudwatch = clients(CloudWatchClient, aws.region);
    checks.push(asGate(alarmsExistCheck({ cloudwatch, names: aws.alarms, region: aws.region })));
    readers.push(alarmSignals(cloudwatch, aws.alarms));
  }
  const report = await runPreflight(checks, { log: ports.log, writeSummary: ports.writeSummary });
  return { signals: combineSignals(readers), markdown: report.markdown };
}

/**
 * Here the service and the alarms are the verdict's gate, read every round: a look-up the role may not make
 * ends the step now, with AWS's refusal, as it always has (not as a warning before rounds that would all fail
 * on it), and no mode may skip a check whose absence would let a misspelt alarm guard nothing.
 */
function asGate<T>(check: PreflightCheck<T>): PreflightCheck<T> {
  return { ...check, protects: true };
}

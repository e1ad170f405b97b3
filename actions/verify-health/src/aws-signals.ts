import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { createClient } from '@ecs-deploy/core/common';
import { describeService } from '@ecs-deploy/core/ecs';
import { alarmSignals, assertAlarmsExist, combineSignals, serviceSignals, type SignalReader } from '@ecs-deploy/core/health';
import type { HealthInputs } from './inputs';

const ACTION = 'verify-health';

/**
 * The ECS service, its targets and the alarms, as signals read each round. The service and the alarm names are
 * checked first, so a typo fails before the first probe rather than as an endless unhealthy check.
 */
export async function prepareAwsSignals(aws: HealthInputs['aws']): Promise<SignalReader | undefined> {
  if (!aws) return undefined;
  const context = { region: aws.region, action: ACTION };
  const readers: SignalReader[] = [];
  if (aws.cluster && aws.service) {
    const ecs = createClient(ECSClient, context);
    await describeService(ecs, aws.cluster, aws.service, aws.region);
    const elb = createClient(ElasticLoadBalancingV2Client, context);
    readers.push(serviceSignals({ cluster: aws.cluster, service: aws.service, region: aws.region, ecs, elb, taskDefinition: aws.taskDefinition }));
  }
  if (aws.alarms.length) {
    const cloudwatch = createClient(CloudWatchClient, context);
    await assertAlarmsExist(cloudwatch, aws.alarms, aws.region);
    readers.push(alarmSignals(cloudwatch, aws.alarms));
  }
  return combineSignals(readers);
}

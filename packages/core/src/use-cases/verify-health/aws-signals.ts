import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ClientFactory } from '../../common';
import { describeService } from '../../ecs';
import { alarmSignals, assertAlarmsExist, combineSignals, serviceSignals, type SignalReader } from '../../health';
import type { HealthRequest } from './request';

/**
 * The ECS service, its targets and the alarms, as signals read each round. The service and the alarm names are
 * checked first, so a typo fails before the first probe rather than as an endless unhealthy check.
 */
export async function prepareAwsSignals(aws: HealthRequest['aws'], clients: ClientFactory): Promise<SignalReader | undefined> {
  if (!aws) return undefined;
  const readers: SignalReader[] = [];
  if (aws.cluster && aws.service) {
    const ecs = clients(ECSClient, aws.region);
    await describeService(ecs, aws.cluster, aws.service, aws.region);
    const elb = clients(ElasticLoadBalancingV2Client, aws.region);
    readers.push(serviceSignals({ cluster: aws.cluster, service: aws.service, region: aws.region, ecs, elb, taskDefinition: aws.taskDefinition }));
  }
  if (aws.alarms.length) {
    const cloudwatch = clients(CloudWatchClient, aws.region);
    await assertAlarmsExist(cloudwatch, aws.alarms, aws.region);
    readers.push(alarmSignals(cloudwatch, aws.alarms));
  }
  return combineSignals(readers);
}

import {
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Sandbox } from '@ecs-deploy/sandbox';

export function elbClient(sandbox: Sandbox): ElasticLoadBalancingV2Client {
  return new ElasticLoadBalancingV2Client({
    region: sandbox.region,
    endpoint: sandbox.endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

/**
 * A target group checking `/health` as a platform team would set it up, and the sandbox's load balancer URL for it.
 * `matcher` is the health check's accepted status codes (default 200).
 */
export async function createTargetGroup(sandbox: Sandbox, name: string, deregistrationDelaySeconds = 20, matcher?: string) {
  const elb = elbClient(sandbox);
  const group = await elb.send(
    new CreateTargetGroupCommand({
      Name: name,
      Protocol: 'HTTP',
      Port: 8080,
      TargetType: 'ip',
      VpcId: 'vpc-0a1b2c3d',
      HealthCheckPath: '/health',
      HealthCheckIntervalSeconds: 5,
      HealthCheckTimeoutSeconds: 2,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 2,
      Matcher: matcher ? { HttpCode: matcher } : undefined,
    }),
  );
  const targetGroupArn = group.TargetGroups?.[0]?.TargetGroupArn as string;
  await elb.send(
    new ModifyTargetGroupAttributesCommand({
      TargetGroupArn: targetGroupArn,
      Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: String(deregistrationDelaySeconds) }],
    }),
  );
  return { targetGroupArn, url: sandbox.loadBalancerUrl(targetGroupArn) };
}

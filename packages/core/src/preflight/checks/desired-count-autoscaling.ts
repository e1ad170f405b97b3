import { DescribeScalableTargetsCommand, type ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import type { PreflightCheck } from '../check';

export interface DesiredCountAutoscalingOptions {
  autoscaling: ApplicationAutoScalingClient;
  /** The cluster's and the service's names, as Application Auto Scaling's resource id takes them. */
  cluster: string;
  service: string;
  /** The desired-count input. */
  desiredCount: number;
}

/** What the check found: the scalable target's bounds, when the service has one. */
export interface ScalableBounds {
  minCapacity: number;
  maxCapacity: number;
}

/** The last part of an ARN (`arn:aws:ecs:...:cluster/prod` is `prod`), or the name as given. */
const nameOf = (nameOrArn: string) => nameOrArn.split('/').pop() ?? nameOrArn;

/**
 * Whether Application Auto Scaling manages the service's desired count: a scalable target of namespace ecs,
 * resource `service/<cluster>/<service>`, dimension `ecs:service:DesiredCount` (RegisterScalableTarget, API
 * reference). Then desired-count holds only until the autoscaler's next move: a scaling policy or scheduled action
 * sets the count again, within the target's MinCapacity and MaxCapacity. A warning, never a failure: the count is
 * set as asked. Denied DescribeScalableTargets is a warning naming it (the check does not protect).
 */
export function desiredCountAutoscalingCheck(options: DesiredCountAutoscalingOptions): PreflightCheck<ScalableBounds | undefined> {
  return {
    id: 'desired-count-autoscaling',
    title: 'Desired count and auto scaling',
    protects: false,
    permissions: ['application-autoscaling:DescribeScalableTargets'],
    run: async () => {
      const resourceId = `service/${nameOf(options.cluster)}/${nameOf(options.service)}`;
      const answer = await options.autoscaling.send(
        new DescribeScalableTargetsCommand({
          ServiceNamespace: 'ecs',
          ResourceIds: [resourceId],
          ScalableDimension: 'ecs:service:DesiredCount',
        }),
      );
      const target = answer.ScalableTargets?.find((t) => t.ResourceId === resourceId);
      if (!target) return { status: 'pass', detail: `no Application Auto Scaling target manages ${resourceId}`, value: undefined };
      const min = target.MinCapacity ?? 0;
      const max = target.MaxCapacity ?? 0;
      const { desiredCount } = options;
      const outside =
        desiredCount < min
          ? `, below its minimum: the autoscaler will raise it to at least ${min}`
          : desiredCount > max
            ? `, above its maximum: the autoscaler will lower it to at most ${max}`
            : ', within them';
      return {
        status: 'warn',
        input: 'desired-count',
        detail:
          `Application Auto Scaling manages the desired count of ${resourceId} (MinCapacity ${min}, MaxCapacity ${max}): ` +
          `desired-count ${desiredCount} is set, but the autoscaler will move it again on its next scaling activity${outside}.`,
        fix: 'To change the count for good, change the scalable target (RegisterScalableTarget) or its scaling policies instead, or remove desired-count.',
        value: { minCapacity: min, maxCapacity: max },
      };
    },
  };
}

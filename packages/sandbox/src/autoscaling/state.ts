/**
 * Application Auto Scaling's scalable targets of the sandbox's account and region, by namespace, resource id and
 * dimension (what identifies one: RegisterScalableTarget, API reference).
 */

export interface ScalableTargetRecord {
  serviceNamespace: string;
  resourceId: string;
  scalableDimension: string;
  minCapacity: number;
  maxCapacity: number;
  roleArn: string;
  creationTime: number;
  suspendedState: { DynamicScalingInSuspended: boolean; DynamicScalingOutSuspended: boolean; ScheduledScalingSuspended: boolean };
  scalableTargetArn: string;
}

export class ScalableTargets {
  readonly targets = new Map<string, ScalableTargetRecord>();

  static key(namespace: string, resourceId: string, dimension: string): string {
    return `${namespace}|${resourceId}|${dimension}`;
  }

  get(namespace: string, resourceId: string, dimension: string): ScalableTargetRecord | undefined {
    return this.targets.get(ScalableTargets.key(namespace, resourceId, dimension));
  }

  put(record: ScalableTargetRecord): void {
    this.targets.set(ScalableTargets.key(record.serviceNamespace, record.resourceId, record.scalableDimension), record);
  }

  delete(namespace: string, resourceId: string, dimension: string): boolean {
    return this.targets.delete(ScalableTargets.key(namespace, resourceId, dimension));
  }
}

/**
 * The lifecycle policy build-push gives a repository it creates, when an input asks for one (ECR user guide,
 * "Lifecycle policy properties"): rules are applied lowest rulePriority first; `tagged` needs a tagPrefixList or
 * tagPatternList (`*` matches every tag); `untagged` takes neither; sinceImagePushed counts in days.
 */
import { PutLifecyclePolicyCommand, type ECRClient } from '@aws-sdk/client-ecr';
import type { Logger } from '../../common';

export interface LifecycleRequest {
  /** Keep the newest N tagged images, expire older ones (input 'lifecycle-keep-tagged'). */
  keepTagged?: number;
  /** Expire untagged images D days after their push (input 'lifecycle-expire-untagged-days'). */
  expireUntaggedDays?: number;
}

export function lifecyclePolicyText(lifecycle: LifecycleRequest): string {
  const rules = [];
  if (lifecycle.expireUntaggedDays !== undefined) {
    rules.push({
      rulePriority: 1,
      description: `Expire untagged images ${lifecycle.expireUntaggedDays} days after their push (build-push)`,
      selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: lifecycle.expireUntaggedDays },
      action: { type: 'expire' },
    });
  }
  if (lifecycle.keepTagged !== undefined) {
    rules.push({
      rulePriority: 2,
      description: `Keep the newest ${lifecycle.keepTagged} tagged images (build-push)`,
      selection: { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: lifecycle.keepTagged },
      action: { type: 'expire' },
    });
  }
  return JSON.stringify({ rules });
}

export const wantsLifecycle = (lifecycle: LifecycleRequest | undefined): lifecycle is LifecycleRequest =>
  lifecycle?.keepTagged !== undefined || lifecycle?.expireUntaggedDays !== undefined;

/** Sets the policy on the repository this step just created. */
export async function putLifecyclePolicy(
  ecr: ECRClient,
  target: { repository: string; registryId?: string },
  lifecycle: LifecycleRequest,
  log: Logger,
): Promise<void> {
  await ecr.send(
    new PutLifecyclePolicyCommand({
      repositoryName: target.repository,
      registryId: target.registryId,
      lifecyclePolicyText: lifecyclePolicyText(lifecycle),
    }),
  );
  const parts = [
    ...(lifecycle.expireUntaggedDays !== undefined ? [`untagged images expire ${lifecycle.expireUntaggedDays} days after their push`] : []),
    ...(lifecycle.keepTagged !== undefined ? [`only the newest ${lifecycle.keepTagged} tagged images are kept`] : []),
  ];
  log.info(`Lifecycle policy set on ${target.repository}: ${parts.join('; ')}.`);
}

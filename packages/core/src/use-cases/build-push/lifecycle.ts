/**
 * The lifecycle policy build-push gives a repository it creates, when an input asks for one (ECR user guide,
 * "Lifecycle policy properties"): rules are applied lowest rulePriority first; `tagged` needs a tagPrefixList or
 * tagPatternList (`*` matches every tag); `untagged` takes neither; sinceImagePushed counts in days. Or the policy
 * of a file (input 'lifecycle-policy'), checked when the inputs are read and sent as it is.
 */
import { PutLifecyclePolicyCommand, type ECRClient } from '@aws-sdk/client-ecr';
import type { Logger } from '../../common';
import type { LifecyclePolicyFile } from './lifecycle-policy-file';
import { ageRulesOverTaggedImages } from './lifecycle-policy-rules';

export interface LifecycleRequest {
  /** Keep the newest N tagged images, expire older ones (input 'lifecycle-keep-tagged'). */
  keepTagged?: number;
  /** Expire untagged images D days after their push (input 'lifecycle-expire-untagged-days'). */
  expireUntaggedDays?: number;
  /** The policy of a file (input 'lifecycle-policy'); never given with the two above. */
  policyFile?: LifecyclePolicyFile;
}

export function lifecyclePolicyText(lifecycle: LifecycleRequest): string {
  if (lifecycle.policyFile) return lifecycle.policyFile.text;
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
  lifecycle?.keepTagged !== undefined || lifecycle?.expireUntaggedDays !== undefined || lifecycle?.policyFile !== undefined;

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
  if (lifecycle.policyFile) {
    logFilePolicy(target.repository, lifecycle.policyFile, log);
    return;
  }
  const parts = [
    ...(lifecycle.expireUntaggedDays !== undefined ? [`untagged images expire ${lifecycle.expireUntaggedDays} days after their push`] : []),
    ...(lifecycle.keepTagged !== undefined ? [`only the newest ${lifecycle.keepTagged} tagged images are kept`] : []),
  ];
  log.info(`Lifecycle policy set on ${target.repository}: ${parts.join('; ')}.`);
}

function logFilePolicy(repository: string, file: LifecyclePolicyFile, log: Logger): void {
  const policy = JSON.parse(file.text) as { rules: Record<string, unknown>[] };
  log.info(
    `Lifecycle policy set on ${repository}: the ${policy.rules.length === 1 ? 'rule' : `${policy.rules.length} rules`} of ${file.path} (input 'lifecycle-policy').`,
  );
  for (const { index, days } of ageRulesOverTaggedImages(policy))
    log.warning(
      `${file.path}: rules[${index}] expires tagged images ${days} days after their push, and no rule before it keeps a count of the newest: a release not followed by another within ${days} days expires, though a service may still run it or roll back to it. Add an imageCountMoreThan rule for tagged images at a lower rulePriority to keep the newest.`,
    );
}

/**
 * PutLifecyclePolicy and GetLifecyclePolicy: the policy is kept and checked as ECR checks it (ECR user guide,
 * "Lifecycle policy properties"), not applied (the sandbox expires no image). Checked: each rule's unique integer
 * rulePriority; tagStatus tagged (with a tagPrefixList or tagPatternList), untagged (with neither) or any (the
 * highest priority); countType imageCountMoreThan, or sinceImagePushed with countUnit days; a countNumber of at
 * least 1; action expire; at most four wildcards (*) in each tagPatternList string. From "Lifecycle policy evaluation
 * rules": only one rule may select untagged images. The refusals' wording beyond ECR's prefix is *unconfirmed*.
 */
import type { Context } from '../context';
import { seconds } from '../ecs/render';
import { AwsError } from '../errors';
import { requireString } from './params';
import type { RepositoryRecord } from './state';

type Json = Record<string, unknown>;

const invalidPolicy = (reason: string) =>
  new AwsError('InvalidParameterException', `Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: '${reason}'`);

function checkPolicy(text: string): void {
  let policy: { rules?: unknown };
  try {
    policy = JSON.parse(text) as { rules?: unknown };
  } catch {
    throw invalidPolicy('Lifecycle policy validation failure: the policy is not valid JSON');
  }
  const rules = policy.rules;
  if (!Array.isArray(rules) || rules.length === 0)
    throw invalidPolicy('Lifecycle policy validation failure: rules must be a non-empty list');
  const priorities = new Set<number>();
  let highest = -Infinity;
  let anyPriority: number | undefined;
  let untaggedRules = 0;
  for (const rule of rules as Json[]) {
    const priority = rule.rulePriority;
    if (!Number.isInteger(priority) || (priority as number) < 1 || priorities.has(priority as number))
      throw invalidPolicy('Lifecycle policy validation failure: each rulePriority must be a unique positive integer');
    priorities.add(priority as number);
    highest = Math.max(highest, priority as number);
    const selection = (rule.selection ?? {}) as Json;
    const lists = selection.tagPrefixList !== undefined || selection.tagPatternList !== undefined;
    if (selection.tagStatus === 'tagged' && !lists)
      throw invalidPolicy("Lifecycle policy validation failure: tagPrefixList or tagPatternList is required when tagStatus is 'tagged'");
    if (selection.tagStatus === 'untagged' && lists)
      throw invalidPolicy(
        "Lifecycle policy validation failure: tagPrefixList and tagPatternList are not allowed when tagStatus is 'untagged'",
      );
    if (!['tagged', 'untagged', 'any'].includes(selection.tagStatus as string))
      throw invalidPolicy('Lifecycle policy validation failure: tagStatus must be tagged, untagged or any');
    if (selection.tagStatus === 'any') anyPriority = priority as number;
    if (selection.tagStatus === 'untagged' && ++untaggedRules > 1)
      throw invalidPolicy('Lifecycle policy validation failure: only one rule may select untagged images');
    const patterns = Array.isArray(selection.tagPatternList) ? (selection.tagPatternList as unknown[]) : [];
    if (patterns.some((pattern) => typeof pattern === 'string' && pattern.split('*').length - 1 > 4))
      throw invalidPolicy('Lifecycle policy validation failure: a tagPatternList string may hold at most four wildcards (*)');
    if (selection.countType === 'sinceImagePushed' && selection.countUnit !== 'days')
      throw invalidPolicy("Lifecycle policy validation failure: countUnit must be 'days' when countType is 'sinceImagePushed'");
    if (selection.countType !== 'sinceImagePushed' && selection.countType !== 'imageCountMoreThan')
      throw invalidPolicy('Lifecycle policy validation failure: countType must be imageCountMoreThan or sinceImagePushed');
    if (!Number.isInteger(selection.countNumber) || (selection.countNumber as number) < 1)
      throw invalidPolicy('Lifecycle policy validation failure: countNumber must be a positive integer');
    if ((rule.action as Json | undefined)?.type !== 'expire')
      throw invalidPolicy("Lifecycle policy validation failure: action type must be 'expire'");
  }
  if (anyPriority !== undefined && anyPriority !== highest)
    throw invalidPolicy("Lifecycle policy validation failure: a rule with tagStatus 'any' must have the highest rulePriority");
}

export function putLifecyclePolicy(repository: RepositoryRecord, input: Json): Json {
  const text = requireString(input, 'lifecyclePolicyText');
  checkPolicy(text);
  repository.lifecyclePolicyText = text;
  return { registryId: repository.registryId, repositoryName: repository.repositoryName, lifecyclePolicyText: text };
}

export function getLifecyclePolicy(ctx: Context, repository: RepositoryRecord): Json {
  if (!repository.lifecyclePolicyText)
    throw new AwsError(
      'LifecyclePolicyNotFoundException',
      `Lifecycle policy does not exist for the repository with name '${repository.repositoryName}' in the registry with id '${repository.registryId}'`,
    );
  return {
    registryId: repository.registryId,
    repositoryName: repository.repositoryName,
    lifecyclePolicyText: repository.lifecyclePolicyText,
    lastEvaluatedAt: seconds(ctx.clock.now()),
  };
}

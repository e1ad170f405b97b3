/**
 * What ECR refuses in a lifecycle policy, checked before the step changes anything, each problem named by its JSON
 * path. From the ECR user guide, "Lifecycle policy properties": rulePriority a unique integer, from 1; tagStatus
 * tagged (with a tagPrefixList or tagPatternList, each pattern with at most four `*`), untagged (with neither) or
 * any, and a rule with tagStatus any has the highest rulePriority; countType imageCountMoreThan, or
 * sinceImagePushed with countUnit days; countNumber a positive integer; action type expire. From "Lifecycle policy
 * evaluation rules": only one rule may select untagged images. The sandbox's ECR checks the same rules on its own
 * (it models ECR; this pre-flights it), so a policy ECR would refuse fails here before the build, not after it.
 */

export interface PolicyProblem {
  /** JSON path in the policy, e.g. `rules[1].selection.countUnit`. */
  path: string;
  problem: string;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isPositiveInteger = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 1;
const show = (value: unknown) => (value === undefined ? 'missing' : JSON.stringify(value));

export const TAG_STATUSES = ['tagged', 'untagged', 'any'] as const;
export const COUNT_TYPES = ['imageCountMoreThan', 'sinceImagePushed'] as const;
const MAX_WILDCARDS = 4;

/** Every problem of the policy ECR would refuse it for; empty when ECR takes it. */
export function lifecyclePolicyProblems(policy: unknown): PolicyProblem[] {
  if (!isObject(policy)) return [{ path: '$', problem: 'must be an object with "rules"' }];
  const rules = policy.rules;
  if (!Array.isArray(rules) || rules.length === 0)
    return [{ path: 'rules', problem: `must be a non-empty list of rules; is ${show(rules)}` }];
  const problems: PolicyProblem[] = [];
  const byPriority = new Map<number, number>();
  rules.forEach((rule, index) => problems.push(...ruleProblems(rule, `rules[${index}]`, index, byPriority)));
  problems.push(...policyWideProblems(rules));
  return problems;
}

function ruleProblems(rule: unknown, at: string, index: number, byPriority: Map<number, number>): PolicyProblem[] {
  if (!isObject(rule)) return [{ path: at, problem: 'must be an object' }];
  const problems: PolicyProblem[] = [];
  const add = (path: string, problem: string) => problems.push({ path: `${at}.${path}`, problem });
  const priority = rule.rulePriority;
  if (!isPositiveInteger(priority)) add('rulePriority', `must be a positive integer; is ${show(priority)}`);
  else if (byPriority.has(priority))
    add('rulePriority', `${priority} is also rules[${byPriority.get(priority)}]'s; each rule needs its own`);
  else byPriority.set(priority, index);

  const selection = rule.selection;
  if (!isObject(selection)) add('selection', `must be an object; is ${show(selection)}`);
  else problems.push(...selectionProblems(selection, `${at}.selection`));

  const action = rule.action;
  if (!isObject(action) || action.type !== 'expire')
    add('action.type', `must be "expire"; is ${show(isObject(action) ? action.type : action)}`);
  return problems;
}

function selectionProblems(selection: Json, at: string): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const add = (path: string, problem: string) => problems.push({ path: `${at}.${path}`, problem });
  const { tagStatus, countType, countUnit, countNumber } = selection;
  const lists = ['tagPrefixList', 'tagPatternList'].filter((name) => selection[name] !== undefined);
  if (!TAG_STATUSES.includes(tagStatus as never)) add('tagStatus', `must be tagged, untagged or any; is ${show(tagStatus)}`);
  if (tagStatus === 'tagged' && lists.length === 0)
    add('tagStatus', 'is tagged, which needs a tagPrefixList or a tagPatternList (["*"]: every tag)');
  if (tagStatus === 'untagged') for (const name of lists) add(name, 'is not allowed when tagStatus is untagged');
  for (const name of lists) {
    const list = selection[name];
    if (!Array.isArray(list) || list.length === 0 || list.some((item) => typeof item !== 'string' || item === ''))
      add(name, `must be a non-empty list of non-empty strings; is ${show(list)}`);
    else if (name === 'tagPatternList')
      list.forEach((pattern: string, index) => {
        if (pattern.split('*').length - 1 > MAX_WILDCARDS)
          add(`${name}[${index}]`, `"${pattern}" has more than ${MAX_WILDCARDS} wildcards (*)`);
      });
  }
  if (!COUNT_TYPES.includes(countType as never)) add('countType', `must be imageCountMoreThan or sinceImagePushed; is ${show(countType)}`);
  if (countType === 'sinceImagePushed' && countUnit !== 'days')
    add('countUnit', `must be "days" when countType is sinceImagePushed; is ${show(countUnit)}`);
  if (!isPositiveInteger(countNumber)) add('countNumber', `must be a positive integer; is ${show(countNumber)}`);
  return problems;
}

/** The rules that bind rules to each other: one `any` rule, last; one `untagged` rule. */
function policyWideProblems(rules: unknown[]): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const statusOf = (rule: unknown) => (isObject(rule) && isObject(rule.selection) ? rule.selection.tagStatus : undefined);
  const priorities = rules.map((rule) => (isObject(rule) && isPositiveInteger(rule.rulePriority) ? rule.rulePriority : undefined));
  const highest = Math.max(...priorities.map((priority) => priority ?? -Infinity));
  const indexes = (status: string) => rules.flatMap((rule, index) => (statusOf(rule) === status ? [index] : []));
  const anyRules = indexes('any');
  for (const index of anyRules.slice(1))
    problems.push({
      path: `rules[${index}].selection.tagStatus`,
      problem: `is any, as rules[${anyRules[0]}]'s is; only one rule may select any`,
    });
  for (const index of anyRules) {
    const priority = priorities[index];
    if (priority !== undefined && priority !== highest)
      problems.push({
        path: `rules[${index}].rulePriority`,
        problem: `is ${priority}, and a rule with tagStatus any must have the highest rulePriority (here ${highest})`,
      });
  }
  const untaggedRules = indexes('untagged');
  for (const index of untaggedRules.slice(1))
    problems.push({
      path: `rules[${index}].selection.tagStatus`,
      problem: `is untagged, as rules[${untaggedRules[0]}]'s is; only one rule may select untagged images`,
    });
  return problems;
}

/**
 * The rules of a policy (already free of problems) that expire tagged images by age with no count rule before them:
 * ECR never expires an image a rule of lower rulePriority selects ("Lifecycle policy evaluation rules"), so a count
 * rule there keeps the newest; without one, a release not followed by another within the days expires, though a
 * service may still run it.
 */
export function ageRulesOverTaggedImages(policy: { rules: Json[] }): Array<{ index: number; days: number }> {
  const selection = (rule: Json) => rule.selection as Json;
  const keepsCount = (rule: Json) => selection(rule).tagStatus !== 'untagged' && selection(rule).countType === 'imageCountMoreThan';
  return policy.rules.flatMap((rule, index) => {
    if (selection(rule).tagStatus === 'untagged' || selection(rule).countType !== 'sinceImagePushed') return [];
    const kept = policy.rules.some((other) => keepsCount(other) && (other.rulePriority as number) < (rule.rulePriority as number));
    return kept ? [] : [{ index, days: selection(rule).countNumber as number }];
  });
}

/**
 * Each action's "IAM permissions" section of README.md, read as a user reads it: the table of permissions (each
 * required, optional or needed only with an input) and the policy document. The least-privilege tests run against
 * what is read here, so the documentation is what is tested.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { IamStatement } from '@ecs-deploy/sandbox';

export interface DocumentedPermission {
  /** The IAM action, e.g. `ecs:DescribeServices`. */
  action: string;
  /** The table's "why", word for word. */
  why: string;
  /** 'optional': the step degrades without it; 'conditional': needed only with an input or a kind of service (a why starting "with "). */
  need: 'required' | 'optional' | 'conditional';
  /** The why begins "with ": the row holds under that condition only (needed there, or optional there). */
  conditioned: boolean;
}

export interface DocumentedPolicy {
  permissions: DocumentedPermission[];
  statements: IamStatement[];
}

/** The section between `### IAM permissions` and the next heading, under the action's own `## \`<action>\`` heading. */
function section(readme: string, action: string): string {
  const start = readme.indexOf(`\n## \`${action}\``);
  if (start < 0) throw new Error(`README.md has no "## \`${action}\`" section`);
  const rest = readme.slice(start + 1);
  const end = rest.slice(1).search(/\n## /);
  const own = end < 0 ? rest : rest.slice(0, end + 1);
  const iam = own.indexOf('\n### IAM permissions');
  if (iam < 0) throw new Error(`README.md's ${action} section has no "### IAM permissions"`);
  const body = own.slice(iam + 1);
  const next = body.slice(1).search(/\n### /);
  return next < 0 ? body : body.slice(0, next + 1);
}

// Needed only with an input (`with \`create-repository\``) or a kind of service (`with a blue/green ... service`).
const conditionedRow = (why: string) => /^with /.test(why);

function needOf(why: string): DocumentedPermission['need'] {
  if (/\(optional\b/.test(why)) return 'optional';
  if (conditionedRow(why)) return 'conditional';
  return 'required';
}

export function documentedPolicy(action: string, readme = readFileSync(resolve('README.md'), 'utf8')): DocumentedPolicy {
  const text = section(readme, action);
  const permissions: DocumentedPermission[] = [];
  for (const row of text.split('\n').filter((line) => /^\| `/.test(line))) {
    const [, names, why] = row.split('|').map((cell) => cell.trim());
    for (const [, name] of names.matchAll(/`([\w-]+:\w+)`/g))
      permissions.push({ action: name, why, need: needOf(why), conditioned: conditionedRow(why) });
  }
  const json = /```json\n([\s\S]*?)```/.exec(text)?.[1];
  if (!json) throw new Error(`README.md's ${action} IAM permissions section has no policy JSON`);
  const document = JSON.parse(json) as { Statement: IamStatement[] };
  return { permissions, statements: document.Statement };
}

/**
 * A further policy of the action's IAM section: the json block after the paragraph that begins with `marker` (build-push's
 * "**ECR Public policy.**"), for an input that needs other permissions than the section's first policy.
 */
export function documentedPolicyAfter(action: string, marker: string, readme = readFileSync(resolve('README.md'), 'utf8')): IamStatement[] {
  const text = section(readme, action);
  const at = text.indexOf(`\n${marker}`);
  if (at < 0) throw new Error(`README.md's ${action} IAM permissions section has no paragraph beginning "${marker}"`);
  const json = /```json\n([\s\S]*?)```/.exec(text.slice(at))?.[1];
  if (!json) throw new Error(`README.md's ${action} "${marker}" paragraph has no policy JSON after it`);
  return (JSON.parse(json) as { Statement: IamStatement[] }).Statement;
}

/** The policy with its placeholders filled in for the sandbox's account and the roles and repository a test uses. */
export function forAccount(
  statements: IamStatement[],
  accountId: string,
  names: { task?: string; execution?: string; repository?: string; scheduled?: string },
): IamStatement[] {
  return JSON.parse(
    JSON.stringify(statements)
      .replaceAll('<your-account-id>', accountId)
      .replaceAll('<your-task-role>', names.task ?? '<your-task-role>')
      .replaceAll('<your-execution-role>', names.execution ?? '<your-execution-role>')
      .replaceAll('<your-repository>', names.repository ?? '<your-repository>')
      .replaceAll('<your-scheduled-task-role>', names.scheduled ?? '<your-scheduled-task-role>'),
  ) as IamStatement[];
}

/** The policy without one action: each statement keeps its other actions, and one left with none goes. */
export function without(statements: IamStatement[], action: string): IamStatement[] {
  return statements
    .map((statement) => {
      const actions = (Array.isArray(statement.Action) ? statement.Action : [statement.Action]).filter((name) => name !== action);
      return { ...statement, Action: actions };
    })
    .filter((statement) => statement.Action.length > 0);
}

/**
 * README's combined permissions policy for the deploy role ("The deploy role", the json block after "**Permissions
 * policy.**"): the one policy the quick start tells a team to attach, scoped to the template's clusters, services,
 * family, repository, roles and log group.
 */
export function deployRolePolicy(readme = readFileSync(resolve('README.md'), 'utf8')): IamStatement[] {
  const start = readme.indexOf('\n## The deploy role');
  if (start < 0) throw new Error('README.md has no "## The deploy role" section');
  const section = readme.slice(start + 1, readme.indexOf('\n## ', start + 1));
  const intro = section.indexOf('**Permissions policy.**');
  if (intro < 0) throw new Error('README.md\'s "The deploy role" has no "**Permissions policy.**" paragraph');
  const json = /```json\n([\s\S]*?)```/.exec(section.slice(intro))?.[1];
  if (!json) throw new Error('README.md\'s "Permissions policy" has no policy JSON');
  return (JSON.parse(json) as { Statement: IamStatement[] }).Statement;
}

/** The combined policy with its placeholders filled in for a sandbox's region, account and the names a test uses. */
export function deployRoleFor(statements: IamStatement[], values: Record<string, string>): IamStatement[] {
  let text = JSON.stringify(statements);
  for (const [placeholder, value] of Object.entries(values)) text = text.replaceAll(`<${placeholder}>`, value);
  const left = /<[a-z-]+>/.exec(text)?.[0];
  if (left) throw new Error(`the deploy role's policy still holds the placeholder ${left}: give it a value`);
  return JSON.parse(text) as IamStatement[];
}

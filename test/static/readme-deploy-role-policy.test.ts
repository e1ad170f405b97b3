import { beforeAll, describe, expect, test } from '@jest/globals';
import type { IamStatement } from '@ecs-deploy/sandbox';
import { join } from 'node:path';
import { deployRolePolicy, documentedPolicy, type DocumentedPermission } from '../support/readme-policies';
import { Expression, loadWorkflow, suiteActionOf, type Workflow, type WorkflowStep } from '../support/workflow-model';

// README's combined policy for the deploy role is assembled by hand from the per-action tables, which the
// least-privilege tests prove (test/e2e/least-privilege-*.test.ts; test/e2e/deploy-role-policy.test.ts runs the main
// template's steps under the combined policy itself). Here: every permission a table lists for what the main template
// does (its actions, the inputs its steps give, a rolling service) is allowed by a statement of the combined policy,
// and the combined policy grants nothing no table lists, so the tables and the combined policy cannot drift apart.

const TEMPLATE = join('workflows-templates', 'ecs-deploy.yml');

/**
 * Rows whose "with ..." condition the template meets although it names no input: verify-health with `cluster` and
 * `service` describes the tasks that stop during the check (a crash fails it at once).
 */
const CONDITIONS_MET = ['with a task of the service stopping during the check'];

/** Rows the table does not begin with "with `input`", yet needed only with that input. */
const ONLY_WITH_INPUT: Record<string, Record<string, string>> = {
  'verify-health': { 'cloudwatch:DescribeAlarms': 'alarms' },
};

let workflow: Workflow;
beforeAll(async () => {
  workflow = await loadWorkflow(TEMPLATE);
});

/** The template's steps using each action of this suite, by action. */
function stepsByAction(): Map<string, WorkflowStep[]> {
  const steps = new Map<string, WorkflowStep[]>();
  for (const step of workflow.jobs.flatMap((job) => job.steps)) {
    const action = suiteActionOf(step.uses ?? '');
    if (action) steps.set(action, [...(steps.get(action) ?? []), step]);
  }
  return steps;
}

const givesInput = (steps: WorkflowStep[], input: string) =>
  steps.some((step) => step.with[input] !== undefined && !(typeof step.with[input] === 'string' && step.with[input] === ''));

/** Whether the template meets the row: unconditioned, or its condition names an input a step gives, or is one it meets. */
function templateNeeds(action: string, row: DocumentedPermission, steps: WorkflowStep[]): boolean {
  const input = ONLY_WITH_INPUT[action]?.[row.action];
  if (input) return givesInput(steps, input);
  if (!row.conditioned) return true;
  if (CONDITIONS_MET.some((condition) => row.why.startsWith(condition))) return true;
  // "with `scheduled-tasks`", "with `create-repository`", "with `cluster` + `service` on a blue/green ... service": the
  // inputs named before the first word that is not an input; a kind of service the template does not deploy never holds.
  if (/blue\/green|linear|canary|CODE_DEPLOY|CodeDeploy|continue-deployment/.test(row.why.split(':')[0])) return false;
  const inputs = [...row.why.split(':')[0].matchAll(/`([\w-]+)`/g)].map(([, name]) => name);
  return inputs.length > 0 && inputs.every((name) => givesInput(steps, name));
}

const actionsOf = (statement: IamStatement) => [statement.Action].flat();
const globToRegExp = (pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
const allows = (statements: IamStatement[], permission: string) =>
  statements.some(
    (statement) => statement.Effect === 'Allow' && actionsOf(statement).some((action) => globToRegExp(action).test(permission)),
  );

/** Every permission the tables list for what the template does, with the action whose table lists it. */
function neededByTemplate(): { action: string; permission: string }[] {
  return [...stepsByAction()].flatMap(([action, steps]) =>
    documentedPolicy(action)
      .permissions.filter((row) => templateNeeds(action, row, steps))
      .map((row) => ({ action, permission: row.action })),
  );
}

describe("README's combined deploy-role policy", () => {
  test('the main template uses all five actions, on steps that give the inputs the conditions are read from', () => {
    expect([...stepsByAction().keys()].sort()).toEqual(['auto-rollback', 'build-push', 'deploy-ecs', 'run-migration', 'verify-health']);
    const verify = stepsByAction().get('verify-health') ?? [];
    expect(verify.every((step) => step.with.cluster instanceof Expression || typeof step.with.cluster === 'string')).toBe(true);
  });

  test('allows every permission the per-action tables list for what the main template does', () => {
    const needed = neededByTemplate();
    // The whole chain, required and optional rows alike: a missing optional one turns a check into a warning.
    expect(needed.length).toBeGreaterThanOrEqual(30);
    const statements = deployRolePolicy();
    const missing = needed
      .filter(({ permission }) => !allows(statements, permission))
      .map(({ action, permission }) => `${permission} (${action})`);
    expect(missing).toEqual([]);
  });

  test('grants no permission that no action of the template lists', () => {
    const listed = new Set(neededByTemplate().map(({ permission }) => permission));
    const granted = deployRolePolicy().flatMap(actionsOf);
    expect(granted.filter((permission) => !listed.has(permission))).toEqual([]);
  });

  test('leaves out exactly the permissions of inputs and kinds of service the template does not use, as its text says', () => {
    const statements = deployRolePolicy();
    const leftOut = ['ecr:DescribeImageScanFindings', 'ecr:CreateRepository', 'cloudwatch:DescribeAlarms', 'ecs:ContinueServiceDeployment'];
    expect(leftOut.filter((permission) => allows(statements, permission))).toEqual([]);
  });
});

describe('the combined-policy check does fail', () => {
  test('a policy without a permission the template needs, or with one no table lists', () => {
    const statements = deployRolePolicy();
    const without = statements.map((statement) => ({
      ...statement,
      Action: actionsOf(statement).filter((name) => name !== 'ecs:StopTask'),
    }));
    expect(allows(statements, 'ecs:StopTask')).toBe(true);
    expect(allows(without, 'ecs:StopTask')).toBe(false);
    expect(allows([{ Effect: 'Allow', Action: 'ecs:Describe*', Resource: '*' }], 'ecs:DescribeTasks')).toBe(true);
    expect(allows([{ Effect: 'Deny', Action: 'ecs:*', Resource: '*' }], 'ecs:DescribeTasks')).toBe(false);
  });

  test('a row with an input the template does not give is not needed; one with an input it gives is', () => {
    const row = (why: string): DocumentedPermission => ({ action: 'events:PutTargets', why, need: 'conditional', conditioned: true });
    const steps = stepsByAction().get('deploy-ecs') ?? [];
    expect(templateNeeds('deploy-ecs', row('with `scheduled-tasks`: move each rule'), steps)).toBe(false);
    expect(templateNeeds('deploy-ecs', row('with `cluster`: read it'), steps)).toBe(true);
    expect(templateNeeds('deploy-ecs', row('with a blue/green, linear or canary service (required there): follow'), steps)).toBe(false);
  });
});

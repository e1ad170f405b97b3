/**
 * How IAM decides whether a role's identity-based policies allow an action on a resource (IAM User Guide, "Policy
 * evaluation logic"): an explicit Deny in any statement that applies wins, else an Allow that applies allows, else the
 * request is denied implicitly. A statement applies when its Action (or NotAction) and its Resource (or NotResource)
 * match, with `*` and `?` wildcards (actions case-insensitively, resources case-sensitively), and its Condition holds.
 * The sandbox does not evaluate conditions: a statement with one is not applied, and its condition keys are
 * reported as missing context values, as the policy simulator reports the keys a request does not supply
 * (SimulatePrincipalPolicy, EvaluationResult.MissingContextValues), so a caller knows the answer is not the whole story.
 */
import { globMatches } from './glob';

export interface PolicyStatement {
  Sid?: string;
  Effect?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: unknown;
  Principal?: unknown;
}

export interface PolicyDocument {
  Version?: string;
  Statement?: PolicyStatement | PolicyStatement[];
}

export type EvalDecision = 'allowed' | 'explicitDeny' | 'implicitDeny';

export interface Evaluation {
  decision: EvalDecision;
  /** The condition keys of statements that would apply but for their Condition, which the sandbox does not evaluate. */
  missingContextValues: string[];
}

const strings = (value: unknown): string[] | undefined =>
  value === undefined ? undefined : (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');

export function statementsOf(document: PolicyDocument): PolicyStatement[] {
  const statement = document.Statement;
  return statement === undefined ? [] : Array.isArray(statement) ? statement : [statement];
}

function matchesAny(patterns: string[] | undefined, value: string, ignoreCase: boolean): boolean {
  return (patterns ?? []).some((pattern) => globMatches(pattern, value, ignoreCase));
}

/** Whether the statement's action and resource elements cover the request (its Condition aside). */
function covers(statement: PolicyStatement, action: string, resource: string): boolean {
  const actionMatches =
    statement.NotAction !== undefined
      ? !matchesAny(strings(statement.NotAction), action, true)
      : matchesAny(strings(statement.Action), action, true);
  const resourceMatches =
    statement.NotResource !== undefined
      ? !matchesAny(strings(statement.NotResource), resource, false)
      : matchesAny(strings(statement.Resource) ?? ['*'], resource, false);
  return actionMatches && resourceMatches;
}

/** The keys a Condition block tests: `{ "StringEquals": { "aws:SourceAccount": "..." } }` names aws:SourceAccount. */
export function conditionKeys(condition: unknown): string[] {
  if (typeof condition !== 'object' || condition === null) return [];
  return Object.values(condition as Record<string, unknown>).flatMap((block) =>
    typeof block === 'object' && block !== null ? Object.keys(block) : [],
  );
}

/** The decision of `documents` (every policy of a role, inline and attached) on one action and resource. */
export function evaluate(documents: PolicyDocument[], action: string, resource: string): Evaluation {
  const statements = documents.flatMap(statementsOf).filter((statement) => covers(statement, action, resource));
  const conditional = statements.filter((statement) => statement.Condition !== undefined);
  const applying = statements.filter((statement) => statement.Condition === undefined);
  const missingContextValues = [...new Set(conditional.flatMap((statement) => conditionKeys(statement.Condition)))].sort();
  if (applying.some((statement) => statement.Effect === 'Deny')) return { decision: 'explicitDeny', missingContextValues };
  const allowed = applying.some((statement) => statement.Effect === 'Allow');
  return { decision: allowed ? 'allowed' : 'implicitDeny', missingContextValues };
}

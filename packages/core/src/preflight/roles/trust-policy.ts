/**
 * Whether a role's trust policy lets ECS tasks assume it. GetRole answers the policy URL-encoded (IAM API reference,
 * Role.AssumeRolePolicyDocument: "URL-encoded compliant with RFC 3986"); ECS assumes a task role and a task execution
 * role as the service principal ecs-tasks.amazonaws.com ("Amazon ECS task execution IAM role", "Amazon ECS task IAM
 * role", developer guide). A statement applies when its Principal names that service (or is `*`) and its Action
 * covers sts:AssumeRole; a Deny that applies wins (IAM User Guide, "Policy evaluation logic"). Conditions (the
 * guide's aws:SourceAccount and aws:SourceArn against the confused deputy) are not judged: named as not checked.
 */

export const ECS_TASKS = 'ecs-tasks.amazonaws.com';

interface TrustStatement {
  Effect?: unknown;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Condition?: unknown;
}

export type TrustVerdict = { trusts: true; conditionKeys: string[] } | { trusts: false; why: string };

const list = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((item): item is string => typeof item === 'string');

function glob(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'i').test(value);
}

/** The policy document of GetRole's AssumeRolePolicyDocument; a plain JSON text is taken too. */
export function parseTrustPolicy(encoded: string): { Statement?: unknown } {
  let text = encoded;
  try {
    text = decodeURIComponent(encoded);
  } catch {
    // Not URL-encoded: read as it is.
  }
  return JSON.parse(text) as { Statement?: unknown };
}

/** The principals a statement names, as a person reads them: `ecs-tasks.amazonaws.com`, `arn:aws:iam::...:root`, `*`. */
function principals(statement: TrustStatement): string[] {
  if (statement.Principal === '*') return ['*'];
  if (typeof statement.Principal !== 'object' || statement.Principal === null) return [];
  return Object.values(statement.Principal as Record<string, unknown>).flatMap(list);
}

function namesEcsTasks(statement: TrustStatement): boolean {
  if (statement.NotPrincipal !== undefined) return !principals({ Principal: statement.NotPrincipal }).includes(ECS_TASKS);
  if (statement.Principal === '*') return true;
  const principal = statement.Principal as Record<string, unknown> | undefined;
  return list(principal?.Service).includes(ECS_TASKS) || list(principal?.AWS).includes('*');
}

function coversAssumeRole(statement: TrustStatement): boolean {
  if (statement.NotAction !== undefined) return !list(statement.NotAction).some((pattern) => glob(pattern, 'sts:AssumeRole'));
  return list(statement.Action).some((pattern) => glob(pattern, 'sts:AssumeRole'));
}

export function judgeTrust(document: { Statement?: unknown }): TrustVerdict {
  const statements = (
    Array.isArray(document.Statement) ? document.Statement : document.Statement ? [document.Statement] : []
  ) as TrustStatement[];
  const applying = statements.filter((statement) => namesEcsTasks(statement) && coversAssumeRole(statement));
  if (applying.some((statement) => statement.Effect === 'Deny' && statement.Condition === undefined))
    return { trusts: false, why: `a Deny statement of its trust policy refuses sts:AssumeRole to ${ECS_TASKS}` };
  const allowing = applying.filter((statement) => statement.Effect === 'Allow');
  if (allowing.length > 0) {
    const keys = (statement: TrustStatement) =>
      typeof statement.Condition === 'object' && statement.Condition !== null
        ? Object.values(statement.Condition as Record<string, unknown>).flatMap((block) =>
            typeof block === 'object' && block ? Object.keys(block) : [],
          )
        : [];
    // Unconditional trust is the whole answer; otherwise every condition that could decide is named.
    const unconditional = allowing.some((statement) => statement.Condition === undefined);
    const conditional = applying.filter((statement) => statement.Condition !== undefined);
    return {
      trusts: true,
      conditionKeys: unconditional && !conditional.some((s) => s.Effect === 'Deny') ? [] : [...new Set(conditional.flatMap(keys))].sort(),
    };
  }
  const others = [...new Set(statements.filter((s) => s.Effect === 'Allow' && coversAssumeRole(s)).flatMap(principals))];
  return {
    trusts: false,
    why: others.length
      ? `its trust policy lets ${others.join(', ')} assume it, not ${ECS_TASKS}`
      : `its trust policy allows no one sts:AssumeRole`,
  };
}

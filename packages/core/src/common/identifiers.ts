/** Last path segment of an ECS ARN, or the value itself when it is already a name. */
export function nameFromArn(value: string): string {
  return value.startsWith('arn:') ? value.slice(value.lastIndexOf('/') + 1) : value;
}

/** `web:12` from a task definition ARN, for messages people read. */
export function shortTaskDefinition(arn: string | undefined): string {
  if (!arn) return '(none)';
  return arn.includes(':task-definition/') ? arn.slice(arn.indexOf(':task-definition/') + ':task-definition/'.length) : arn;
}

export function taskId(taskArn: string | undefined): string {
  return taskArn ? nameFromArn(taskArn) : '(unknown)';
}

const FAMILY_REVISION = /^[A-Za-z0-9_-]{1,255}:[1-9]\d*$/;
const TASK_DEFINITION_ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}:[1-9]\d*$/;

/** Whether a reference names exactly one revision: `web:12` or its ARN (a bare family means "its newest"). */
export function isRevisionReference(value: string): boolean {
  return FAMILY_REVISION.test(value) || TASK_DEFINITION_ARN.test(value);
}

/** Whether two references (family:revision or ARN, in any mix) name the same revision. */
export function sameRevision(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && shortTaskDefinition(a) === shortTaskDefinition(b);
}

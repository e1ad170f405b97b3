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

import type { Container, ContainerDefinition, Task } from '@aws-sdk/client-ecs';
import { taskId } from './identifiers';

/**
 * What a stopped task's codes mean, in words a person can act on. The texts follow the ECS developer guide
 * ("Amazon ECS stopped task error messages").
 */
export function explainStop(task: Task, definitions?: ContainerDefinition[]): string {
  const reason = task.stoppedReason ?? '';
  const crashed = essentialFailure(task, definitions);
  const pullError = [reason, ...(task.containers ?? []).map((c) => c.reason ?? '')].find((text) => /CannotPullContainerError/i.test(text));
  if (pullError) {
    return `the image could not be pulled (${firstLine(pullError)}): check that the image and tag exist and that the task execution role may read the repository`;
  }
  if (/ResourceInitializationError/i.test(reason)) {
    return `ECS could not prepare the task (${firstLine(reason)}): usually secrets or logs the task execution role cannot read, or no network route to ECR, Secrets Manager or CloudWatch`;
  }
  // A task stopped for failing health checks is killed by ECS (SIGTERM, then SIGKILL: exit 143 or 137);
  // the health check, not the exit code, is the cause.
  if (/health check/i.test(reason)) return `it failed its health checks (${firstLine(reason)})`;
  if (crashed && /OutOfMemory/i.test(crashed.reason ?? '')) {
    return `container "${crashed.name}" was killed for using more memory than its limit (exit code ${crashed.exitCode ?? 137}, ${crashed.reason})`;
  }
  if (crashed && crashed.exitCode !== undefined && crashed.exitCode !== null) {
    const killed = crashed.exitCode === 137 ? ', killed by SIGKILL' : '';
    return `essential container "${crashed.name}" exited with code ${crashed.exitCode}${killed}${crashed.reason ? ` (${crashed.reason})` : ''}`;
  }
  if (task.stopCode === 'TaskFailedToStart') return `it failed to start (${firstLine(reason)})`;
  return reason ? firstLine(reason) : `task ${taskId(task.taskArn)} stopped without a reason`;
}

/**
 * The container whose exit stopped the task. When the definitions are known, essential containers (the
 * default) come first, so a sidecar killed on the way down is not blamed for the crash of the app.
 */
export function essentialFailure(task: Task, definitions?: ContainerDefinition[]): Container | undefined {
  const isEssential = (container: Container) => definitions?.find((d) => d.name === container.name)?.essential !== false;
  const containers = [...(task.containers ?? [])].sort((a, b) => Number(isEssential(b)) - Number(isEssential(a)));
  return (
    containers.find((c) => c.exitCode !== undefined && c.exitCode !== null && c.exitCode !== 0) ??
    containers.find((c) => c.reason)
  );
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0].slice(0, 300);
}

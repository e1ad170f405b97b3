import type { Container, Task } from '@aws-sdk/client-ecs';
import { taskId } from './identifiers';

/**
 * What a stopped task's codes mean, in words a person can act on. The texts follow the ECS developer guide
 * ("Amazon ECS stopped task error messages").
 */
export function explainStop(task: Task): string {
  const reason = task.stoppedReason ?? '';
  const crashed = essentialFailure(task);
  if (/CannotPullContainerError/i.test(reason) || /CannotPullContainerError/i.test(crashed?.reason ?? '')) {
    return `the image could not be pulled (${firstLine(reason || crashed?.reason)}): check that the image and tag exist and that the task execution role may read the repository`;
  }
  if (/ResourceInitializationError/i.test(reason)) {
    return `ECS could not prepare the task (${firstLine(reason)}): usually secrets or logs the task execution role cannot read, or no network route to ECR, Secrets Manager or CloudWatch`;
  }
  if (crashed && (crashed.exitCode === 137 || /OutOfMemory/i.test(crashed.reason ?? ''))) {
    return `container "${crashed.name}" was killed for using more memory than its limit (exit code ${crashed.exitCode ?? 137}${crashed.reason ? `, ${crashed.reason}` : ''})`;
  }
  if (crashed && crashed.exitCode !== undefined && crashed.exitCode !== null) {
    return `essential container "${crashed.name}" exited with code ${crashed.exitCode}${crashed.reason ? ` (${crashed.reason})` : ''}`;
  }
  if (/health check/i.test(reason)) return `it failed its health checks (${firstLine(reason)})`;
  if (task.stopCode === 'TaskFailedToStart') return `it failed to start (${firstLine(reason)})`;
  return reason ? firstLine(reason) : `task ${taskId(task.taskArn)} stopped without a reason`;
}

/** The container whose exit stopped the task: a non-zero essential exit first, else any container with a reason. */
export function essentialFailure(task: Task): Container | undefined {
  const containers = task.containers ?? [];
  return (
    containers.find((c) => c.exitCode !== undefined && c.exitCode !== null && c.exitCode !== 0) ??
    containers.find((c) => c.reason)
  );
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0].slice(0, 300);
}

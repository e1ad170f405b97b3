import type { Container, ContainerDefinition, Task } from '@aws-sdk/client-ecs';
import { taskId } from '../common/identifiers';

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
  const initError = [reason, ...(task.containers ?? []).map((c) => c.reason ?? '')].find((text) =>
    /ResourceInitializationError/i.test(text),
  );
  if (initError) {
    return `ECS could not prepare the task (${firstLine(initError)}): usually secrets or logs the task execution role cannot read, or no network route to ECR, Secrets Manager or CloudWatch`;
  }
  // A task stopped for failing health checks is killed by ECS (SIGTERM, then SIGKILL: exit 143 or 137);
  // the health check, not the exit code, is the cause.
  if (/health check/i.test(reason)) return `it failed its health checks (${firstLine(reason)})`;
  if (crashed && /OutOfMemory/i.test(crashed.reason ?? '')) {
    return `container "${crashed.name}" was killed for using more memory than its limit (exit code ${crashed.exitCode ?? 137}, ${crashed.reason})`;
  }
  // Fargate may put the out-of-memory kill on the task rather than on the container.
  if (/OutOfMemory/i.test(reason)) {
    return `${crashed ? `container "${crashed.name}"` : 'a container'} was killed for using more memory than the task allows (exit code ${crashed?.exitCode ?? 137}, ${firstLine(reason)}): raise the memory in the task definition or use less`;
  }
  if (task.stopCode === 'UserInitiated') {
    const exit =
      crashed?.exitCode !== undefined && crashed?.exitCode !== null
        ? `; container "${crashed.name}" then exited with code ${crashed.exitCode}${signalName(crashed.exitCode)}`
        : '';
    return `it was stopped by a StopTask call (${firstLine(reason) || 'no reason given'})${exit}`;
  }
  if (crashed && crashed.exitCode !== undefined && crashed.exitCode !== null) {
    // Exit 137 alone is a SIGKILL, not proof of an out-of-memory kill: ECS reports those as OutOfMemoryError.
    const killed = signalName(crashed.exitCode);
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
  return containers.find((c) => c.exitCode !== undefined && c.exitCode !== null && c.exitCode !== 0) ?? containers.find((c) => c.reason);
}

/** Exit codes above 128 are 128 + the signal that ended the process, as Docker reports them. */
function signalName(exitCode: number): string {
  if (exitCode === 137) return ', killed by SIGKILL';
  if (exitCode === 143) return ', ended by SIGTERM';
  return '';
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0].slice(0, 300);
}

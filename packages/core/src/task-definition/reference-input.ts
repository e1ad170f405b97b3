import { existsSync } from 'node:fs';
import { ConfigurationError } from '../common/errors';

/** What a `task-definition` input names: a JSON file to register, or a revision ECS already has. */
export type TaskDefinitionInput = { kind: 'file'; path: string } | { kind: 'reference'; reference: string };

const TASK_DEFINITION_ARN = /^arn:aws[\w-]*:ecs:[\w-]+:\d{12}:task-definition\/[\w-]{1,255}(:\d+)?$/;
const FAMILY_REVISION = /^[A-Za-z0-9_-]{1,255}(:[1-9]\d*)?$/;

/**
 * A value ending in .json (or holding a path separator without being an ARN) is a file; anything else is
 * `family`, `family:revision` or an ARN, as RunTask, UpdateService and DescribeTaskDefinition take them.
 */
export function taskDefinitionInput(value: string, input = 'task-definition'): TaskDefinitionInput {
  if (value.startsWith('arn:')) {
    if (!TASK_DEFINITION_ARN.test(value)) {
      throw new ConfigurationError(
        `Input '${input}' is an ARN but not a task definition ARN (arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>); got "${value}".`,
        input,
      );
    }
    return { kind: 'reference', reference: value };
  }
  if (/\.json$/i.test(value) || value.includes('/')) return { kind: 'file', path: value };
  if (!FAMILY_REVISION.test(value)) {
    throw new ConfigurationError(
      `Input '${input}' must be family[:revision] (letters, digits, _ and -), a task definition ARN or the path of a .json file; got "${value}".`,
      input,
    );
  }
  return { kind: 'reference', reference: value };
}

/**
 * deploy-ecs took only a file before it took revisions: a value naming a file or directory that exists in the
 * workspace stays a file (a file called `web` with no extension still loads), whatever it looks like; any other
 * value is read as taskDefinitionInput reads it.
 */
export function fileOrTaskDefinitionInput(value: string, input = 'task-definition'): TaskDefinitionInput {
  if (!value.startsWith('arn:') && existsSync(value)) return { kind: 'file', path: value };
  return taskDefinitionInput(value, input);
}

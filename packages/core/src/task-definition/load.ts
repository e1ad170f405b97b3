import { readFile } from 'node:fs/promises';
import type { Tag } from '@aws-sdk/client-ecs';
import { ConfigurationError } from '../common/errors';
import { isPlainObject, stripTaskDefinition, type RegistrableDefinition } from './strip';

export interface LoadedDefinition {
  definition: RegistrableDefinition;
  tags: Tag[];
}

/**
 * Reads a task definition JSON file as users keep them: either the bare definition or the output of
 * `aws ecs describe-task-definition` (`{ "taskDefinition": ..., "tags": [...] }`).
 */
export async function loadTaskDefinitionFile(path: string, inputName = 'task-definition'): Promise<LoadedDefinition> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code})`;
    throw new ConfigurationError(
      `Input '${inputName}' names the file "${path}", which ${why}. Give the path of a task definition JSON file relative to the workspace, or leave it empty to use the service's current revision.`,
      inputName,
    );
  }
  let parsed: unknown;
  try {
    // Editors on Windows may save a byte order mark, which JSON.parse refuses: it is no part of the JSON.
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ConfigurationError(
      `Input '${inputName}': the file "${path}" is not valid JSON (${(error as Error).message}). It must hold a task definition as RegisterTaskDefinition takes it.`,
      inputName,
    );
  }
  const wrapped = isPlainObject(parsed) && isPlainObject(parsed.taskDefinition);
  const body = wrapped ? (parsed as { taskDefinition: Record<string, unknown> }).taskDefinition : parsed;
  if (!isPlainObject(body) || typeof body.family !== 'string' || !Array.isArray(body.containerDefinitions)) {
    throw new ConfigurationError(
      `Input '${inputName}': the file "${path}" is JSON but not a task definition; it needs at least "family" and "containerDefinitions".`,
      inputName,
    );
  }
  const tags = wrapped ? ((parsed as { tags?: Tag[] }).tags ?? []) : ((body.tags as Tag[] | undefined) ?? []);
  const definition = stripTaskDefinition(body);
  delete definition.tags;
  return { definition, tags };
}

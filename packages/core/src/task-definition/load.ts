import { readFile } from 'node:fs/promises';
import type { Tag } from '@aws-sdk/client-ecs';
import { ConfigurationError } from '../common/errors';
import { jsonErrorLine, jsonPathLine } from '../common/json-location';
import { describeFieldProblem, judgeTaskDefinitionFields, type FieldProblem } from './fields';
import { isPlainObject, stripTaskDefinition, type RegistrableDefinition } from './strip';

export interface LoadedDefinition {
  definition: RegistrableDefinition;
  tags: Tag[];
  /**
   * For a file: its keys RegisterTaskDefinition does not take, left out of `definition` (the SDK would drop them
   * without a word). The pre-flight check file-fields reports them.
   */
  fieldProblems?: FieldProblem[];
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
  // Editors on Windows may save a byte order mark, which JSON.parse refuses: it is no part of the JSON.
  const json = text.replace(/^\uFEFF/, '');
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new ConfigurationError(
      `Input '${inputName}': the file "${path}" is not valid JSON (${(error as Error).message}). It must hold a task definition as RegisterTaskDefinition takes it.`,
      inputName,
      { file: path, line: jsonErrorLine(json, error) ?? 1, title: 'Task definition file is not valid JSON' },
    );
  }
  const judged = judgeTaskDefinitionFields(parsed);
  const { known } = judged;
  // Each problem's line, so its annotation lands on the key in the file.
  const problems = judged.problems.map((problem) => ({ ...problem, line: jsonPathLine(json, problem.path) }));
  const wrapped = isPlainObject(known) && isPlainObject(known.taskDefinition);
  const body = wrapped ? (known as { taskDefinition: Record<string, unknown> }).taskDefinition : known;
  if (!isPlainObject(body) || typeof body.family !== 'string' || !Array.isArray(body.containerDefinitions)) {
    // CloudFormation's Family and ContainerDefinitions are the usual reason (or containerDefinitions that is no list):
    // say so rather than only what is missing.
    const telling = problems.filter((problem) => problem.camelCase || (problem.shape && /^(taskDefinition\.)?\w+$/.test(problem.path)));
    const found = telling.length ? ` Its keys say: ${telling.map((problem) => describeFieldProblem(problem)).join('; ')}.` : '';
    throw new ConfigurationError(
      `Input '${inputName}': the file "${path}" is JSON but not a task definition; it needs at least "family" and "containerDefinitions".${found}`,
      inputName,
      { file: path, line: telling[0]?.line ?? 1, title: 'Task definition file is not a task definition' },
    );
  }
  const tags = wrapped ? ((known as { tags?: Tag[] }).tags ?? []) : ((body.tags as Tag[] | undefined) ?? []);
  const definition = stripTaskDefinition(body);
  delete definition.tags;
  return { definition, tags, fieldProblems: problems };
}

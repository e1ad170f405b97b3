import { readFileSync } from 'node:fs';
import { ConfigurationError } from '../../common/errors';
import { jsonErrorLine, jsonPathLine } from '../../common/json-location';
import { lifecyclePolicyProblems } from './lifecycle-policy-rules';

const INPUT = 'lifecycle-policy';

/** A lifecycle policy file, read and checked: its text goes to PutLifecyclePolicy as it is. */
export interface LifecyclePolicyFile {
  /** As the input gave it, relative to the workspace. */
  path: string;
  text: string;
}

/**
 * Reads input 'lifecycle-policy''s file and refuses, before anything changes, what ECR would refuse: not JSON
 * (annotated on the line of the syntax error) or a policy breaking ECR's rules (every problem by its JSON path,
 * annotated on the first one's line).
 */
export function loadLifecyclePolicyFile(absolute: string, given: string): LifecyclePolicyFile {
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code})`;
    throw new ConfigurationError(
      `Input '${INPUT}' names the file "${given}", which ${why}; give the path of a JSON lifecycle policy file relative to the workspace.`,
      INPUT,
    );
  }
  // An editor's byte order mark is no part of the JSON; ECR would get the text without it.
  text = text.replace(/^\uFEFF/, '');
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`Input '${INPUT}': the file "${given}" is not valid JSON (${(error as Error).message}).`, INPUT, {
      file: given,
      line: jsonErrorLine(text, error) ?? 1,
      title: 'Lifecycle policy file is not valid JSON',
    });
  }
  const problems = lifecyclePolicyProblems(policy);
  if (problems.length) {
    const listed = problems.map(({ path, problem }) => `${path} ${problem}`).join('; ');
    throw new ConfigurationError(
      `Input '${INPUT}': the file "${given}" is not a lifecycle policy ECR takes: ${listed}. See "Lifecycle policy properties" in the ECR user guide.`,
      INPUT,
      { file: given, line: jsonPathLine(text, problems[0].path) ?? 1, title: 'Lifecycle policy ECR would refuse' },
    );
  }
  return { path: given, text };
}

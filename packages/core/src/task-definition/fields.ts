import { registerModel, type FieldShape, type StructureShape } from './register-model';
import { isPlainObject } from './strip';

/** A key of a task-definition file that RegisterTaskDefinition does not take. */
export interface FieldProblem {
  /** Where it is: `containerDefinitions[0].portMappings[1].hostport`. */
  path: string;
  key: string;
  /** The model's name of the structure it is in (ContainerDefinition), or RegisterTaskDefinitionRequest at the top. */
  within: string;
  /** The field it stands for in the model's case (`cpu` for `Cpu`), when only the case differs. */
  camelCase?: string;
  /** A CreateService/UpdateService parameter (in the model's case): a setting of the service, not of the task definition. */
  serviceSetting?: string;
  /** A field one or two letters away, when there is exactly one. */
  nearest?: string;
}

export interface JudgedFields {
  /** The value with every key the model lacks left out: what the SDK would send anyway. */
  known: unknown;
  problems: FieldProblem[];
}

/**
 * Judges every key of a task definition (bare, or wrapped as `aws ecs describe-task-definition` prints it) against
 * RegisterTaskDefinition's model, nested structures included. The read-only fields of a described revision are
 * kept (stripTaskDefinition removes them); every other key the model lacks is a problem, and left out of `known`.
 */
export function judgeTaskDefinitionFields(file: unknown): JudgedFields {
  const { describeResponse } = registerModel();
  const problems: FieldProblem[] = [];
  if (isPlainObject(file) && isPlainObject(file.taskDefinition)) {
    // The wrapper: its own keys (tags) judged as DescribeTaskDefinition's answer, the definition as a bare one.
    const { taskDefinition, ...wrapper } = file;
    const known = {
      ...judgeStructure(wrapper, describeResponse, '', problems),
      taskDefinition: judgeBody(taskDefinition, 'taskDefinition.', problems),
    };
    return { known, problems };
  }
  return { known: isPlainObject(file) ? judgeBody(file, '', problems) : file, problems };
}

/** A definition's keys: RegisterTaskDefinition's, and the read-only ones of a described revision, kept for strip to remove. */
function judgeBody(body: Record<string, unknown>, prefix: string, problems: FieldProblem[]): Record<string, unknown> {
  const { request, describedOnly } = registerModel();
  return judgeStructure(body, request, prefix, problems, describedOnly);
}

/** A structure's keys: each one the model has is judged by its shape, each other one (unless `readOnly`) is a problem. */
function judgeStructure(
  value: Record<string, unknown>,
  shape: StructureShape,
  prefix: string,
  problems: FieldProblem[],
  readOnly?: ReadonlySet<string>,
): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const member = shape.members.get(key);
    if (member) kept[key] = judgeValue(child, member, `${prefix}${key}`, problems);
    else if (readOnly?.has(key)) kept[key] = child;
    else problems.push(problemOf(key, `${prefix}${key}`, shape));
  }
  return kept;
}

function judgeValue(value: unknown, shape: FieldShape, path: string, problems: FieldProblem[]): unknown {
  if (shape.kind === 'structure') return isPlainObject(value) ? judgeStructure(value, shape, `${path}.`, problems) : value;
  if (shape.kind === 'list')
    return Array.isArray(value) ? value.map((item, i) => judgeValue(item, shape.member, `${path}[${i}]`, problems)) : value;
  if (shape.kind === 'map' && isPlainObject(value))
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, judgeValue(item, shape.value, `${path}.${key}`, problems)]));
  return value;
}

function problemOf(key: string, path: string, shape: StructureShape): FieldProblem {
  const { serviceSettings } = registerModel();
  const fields = [...shape.members.keys()];
  const problem: FieldProblem = { path, key, within: shape.name };
  const camelCase = fields.find((field) => field.toLowerCase() === key.toLowerCase());
  if (camelCase) return { ...problem, camelCase };
  // A service setting is misplaced only at the top: nested, the same name means something else.
  if (shape === registerModel().request) {
    const setting = [...serviceSettings].find((field) => field.toLowerCase() === key.toLowerCase());
    if (setting) return { ...problem, serviceSetting: setting };
  }
  const near = fields.filter((field) => editDistance(field.toLowerCase(), key.toLowerCase()) <= 2);
  return near.length === 1 ? { ...problem, nearest: near[0] } : problem;
}

/**
 * The problem in a sentence. `settingInputs` names the step's inputs that set a service setting (desiredCount:
 * 'desired-count'), so the user is sent to the line that does what the key meant.
 */
export function describeFieldProblem(problem: FieldProblem, settingInputs: Readonly<Record<string, string>> = {}): string {
  const { path, key, camelCase, serviceSetting, nearest } = problem;
  if (camelCase) return `${path}: did you mean ${camelCase}?`;
  if (serviceSetting) {
    const input = settingInputs[serviceSetting];
    const where = input ? `give it as this step's '${input}' input` : 'set it on the service (CreateService or UpdateService)';
    const cased = serviceSetting === key ? '' : ` (${serviceSetting})`;
    return `${path}${cased} is a service setting: ${where}, not in the task definition`;
  }
  const what = `${path} is not a field RegisterTaskDefinition takes in ${problem.within}`;
  return nearest ? `${what}: did you mean ${nearest}?` : what;
}

/** Levenshtein distance, for "did you mean" on a misspelt field; the names are short. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

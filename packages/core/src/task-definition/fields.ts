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
  /**
   * For a known field whose value has the wrong shape (an object where the model takes a list, a string where it
   * takes a structure): what it takes there (`a list`, `an object (PortMapping)`) and what the file has instead.
   */
  shape?: { expected: string; found: string };
  /** The line of the key in the file's text, for the annotation (set by the loader, which has the text). */
  line?: number;
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
    if (member) {
      const judged = judgeValue(child, member, { path: `${prefix}${key}`, key, within: shape.name }, problems);
      if (judged !== MISSHAPEN) kept[key] = judged;
    } else if (readOnly?.has(key)) kept[key] = child;
    else problems.push(problemOf(key, `${prefix}${key}`, shape));
  }
  return kept;
}

/** A value of the wrong shape, left out of `known`: the SDK would send it as it is and ECS refuse it, naming no field. */
const MISSHAPEN = Symbol('misshapen');

interface Place {
  path: string;
  key: string;
  within: string;
}

/**
 * A value against its shape in the model. A list, structure or map given as something else (docker-compose's
 * `environment: { KEY: value }`, a port mapping as "8080:8080") is a problem: the SDK's serializer does not look,
 * and ECS answers a SerializationException that names no field. null is let through (strip drops it); the types of
 * single values (a number where a string is taken) are not judged here.
 */
function judgeValue(value: unknown, shape: FieldShape, place: Place, problems: FieldProblem[]): unknown {
  if (shape.kind === 'value' || value === null || value === undefined) return value;
  const expected = shape.kind === 'list' ? 'a list' : shape.kind === 'map' ? 'an object of names to values' : `an object (${shape.name})`;
  const fits = shape.kind === 'list' ? Array.isArray(value) : isPlainObject(value);
  if (!fits) {
    problems.push({ path: place.path, key: place.key, within: place.within, shape: { expected, found: kindOf(value) } });
    return MISSHAPEN;
  }
  if (shape.kind === 'structure') return judgeStructure(value as Record<string, unknown>, shape, `${place.path}.`, problems);
  if (shape.kind === 'list')
    return (value as unknown[])
      .map((item, i) => judgeValue(item, shape.member, { ...place, path: `${place.path}[${i}]` }, problems))
      .filter((item) => item !== MISSHAPEN);
  const entries = Object.entries(value as Record<string, unknown>).map(
    ([key, item]) => [key, judgeValue(item, shape.value, { path: `${place.path}.${key}`, key, within: place.within }, problems)] as const,
  );
  return Object.fromEntries(entries.filter(([, item]) => item !== MISSHAPEN));
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (isPlainObject(value)) return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return typeof value === 'number' ? `the number ${value}` : `${typeof value === 'boolean' ? 'the boolean' : 'the value'} ${String(value)}`;
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
  const { path, key, camelCase, serviceSetting, nearest, shape } = problem;
  if (shape) return `${path} is ${shape.found}, where RegisterTaskDefinition takes ${shape.expected}`;
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

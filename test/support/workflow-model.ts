import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { readFileSync } from 'node:fs';

/** A `${{ }}` value as GitHub's parser leaves it: one expression (text around it becomes a `format(...)`). */
export class Expression {
  constructor(readonly expr: string) {}
}

export type Value = string | number | boolean | null | Expression | Value[] | { [key: string]: Value };

export interface WorkflowStep {
  id?: string;
  name?: string;
  if?: Value;
  uses?: string;
  run?: Value;
  with: Record<string, Value>;
  env: Record<string, Value>;
  'continue-on-error'?: Value;
  'timeout-minutes'?: Value;
}

export interface WorkflowJob {
  id: string;
  needs: string[];
  if?: Value;
  permissions?: Value;
  concurrency?: Value;
  environment?: Value;
  strategy?: Value;
  outputs: Record<string, Value>;
  env: Record<string, Value>;
  'timeout-minutes'?: Value;
  steps: WorkflowStep[];
}

export interface Workflow {
  file: string;
  text: string;
  on: Record<string, Value>;
  permissions?: Value;
  env: Record<string, Value>;
  jobs: WorkflowJob[];
}

/**
 * Reads a workflow with GitHub's own parser (@actions/workflow-parser): it validates the file against the
 * workflow schema and turns every `${{ }}` into an expression. Any schema error fails here, loudly.
 */
export async function loadWorkflow(file: string, text = readFileSync(file, 'utf8')): Promise<Workflow> {
  const parsed = parseWorkflow({ name: file, content: text }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((error) => error.message);
  if (errors.length || !parsed.value) throw new Error(`${file} does not parse: ${errors.join('; ')}`);
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  if (template.errors?.length) throw new Error(`${file} does not convert: ${template.errors.map((e) => e.Message).join('; ')}`);

  const root = plain(JSON.parse(JSON.stringify(parsed.value))) as Record<string, Value>;
  const jobs = root.jobs as Record<string, Record<string, Value>>;
  return {
    file,
    text,
    on: (typeof root.on === 'string' ? { [root.on]: null } : root.on) as Record<string, Value>,
    permissions: root.permissions,
    env: (root.env ?? {}) as Record<string, Value>,
    // The converted template orders jobs and resolves `needs`; the raw tree keeps every key as written.
    jobs: template.jobs.map((converted) => {
      const id = converted.id.value;
      const raw = jobs[id];
      return {
        ...(raw as object),
        id,
        needs: (converted.needs ?? []).map((need) => need.value),
        outputs: (raw.outputs ?? {}) as Record<string, Value>,
        env: (raw.env ?? {}) as Record<string, Value>,
        steps: ((raw.steps ?? []) as Record<string, Value>[]).map((step) => ({
          ...(step as object),
          with: (step.with ?? {}) as Record<string, Value>,
          env: (step.env ?? {}) as Record<string, Value>,
        })) as WorkflowStep[],
      } as WorkflowJob;
    }),
  };
}

interface Serialized {
  type?: number;
  map?: { Key: unknown; Value: unknown }[];
  seq?: unknown[];
  expr?: string;
}

/** The parser's serialized tokens as plain values, with expressions kept as Expression. */
function plain(token: unknown): Value {
  if (token === null || typeof token !== 'object') return token as Value;
  const serialized = token as Serialized;
  if (serialized.map) return Object.fromEntries(serialized.map.map(({ Key, Value }) => [String(plain(Key)), plain(Value)]));
  if (serialized.seq) return serialized.seq.map(plain);
  if (typeof serialized.expr === 'string') {
    // @actions/workflow-parser 0.3.61 keeps a block scalar's indentation when the block holds an expression
    // (format('            A={0}\n', ...)), which the runner does not: refuse rather than evaluate it wrongly.
    if (/^format\(' {2,}/.test(serialized.expr))
      throw new Error(`A block scalar with an expression cannot be evaluated faithfully here: ${serialized.expr}`);
    return new Expression(serialized.expr);
  }
  throw new Error(`Unexpected token in a parsed workflow: ${JSON.stringify(token)}`);
}

/** Actions of this suite as the templates reference them: `<owner>/<repo>/actions/<name>@<ref>` or `./actions/<name>`. */
export function suiteActionOf(uses: string): string | undefined {
  return /^(?:[^/@]+\/[^/@]+\/|\.\/)actions\/([a-z0-9-]+)(?:@.+)?$/.exec(uses)?.[1];
}

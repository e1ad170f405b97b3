import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import { Expression, type Value } from './workflow-model';

/** Everything an expression can read, as plain JSON: github, env, needs, steps, matrix, inputs, vars, secrets... */
export type Contexts = Record<string, unknown>;

/** success(), failure(), always(), cancelled(): what the job's earlier steps came to. */
export interface JobStatus {
  failed: boolean;
  /** The run was cancelled: success() is false, cancelled() true, and always() and cancelled() steps still run. */
  cancelled?: boolean;
}

const STATUS_FUNCTIONS = ['success', 'failure', 'always', 'cancelled'];

/**
 * Evaluates a value of the workflow with GitHub's expression engine (@actions/expressions): literals pass
 * through, expressions are lexed, parsed against the known contexts and evaluated. An unknown context or
 * function is an error, as it is on GitHub.
 */
export function evaluate(value: Value, contexts: Contexts, status: JobStatus = { failed: false }): unknown {
  if (!(value instanceof Expression)) return value;
  const lexed = new Lexer(value.expr).lex();
  const functions = STATUS_FUNCTIONS.map((name) => ({ name, minArgs: 0, maxArgs: 0 }));
  const expr = new Parser(lexed.tokens, Object.keys(contexts), functions).parse();
  const implementations = new Map(
    STATUS_FUNCTIONS.map((name) => [
      name,
      {
        name,
        minArgs: 0,
        maxArgs: 0,
        call: () =>
          new data.BooleanData(
            name === 'always' ||
              (name === 'success' && !status.failed && !status.cancelled) ||
              (name === 'failure' && status.failed) ||
              (name === 'cancelled' && Boolean(status.cancelled)),
          ),
      },
    ]),
  );
  const context = JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary;
  return toPlain(new Evaluator(expr, context, implementations).evaluate());
}

/** Strings as the runner hands them to an action: an expression's result coerced to text. */
export function evaluateToString(value: Value, contexts: Contexts, status?: JobStatus): string {
  const result = evaluate(value, contexts, status);
  if (result === null || result === undefined) return '';
  return typeof result === 'string' ? result : typeof result === 'object' ? JSON.stringify(result) : String(result);
}

/** A step or job `if:` as the runner reads it: with no status function, success() is implied. */
export function condition(value: Value | undefined, contexts: Contexts, status: JobStatus): boolean {
  if (value === undefined) return !status.failed && !status.cancelled;
  const wrapped = value instanceof Expression ? value : new Expression(String(value));
  const mentionsStatus = new RegExp(`\\b(${STATUS_FUNCTIONS.join('|')})\\(`).test(wrapped.expr);
  const result = evaluate(mentionsStatus ? wrapped : new Expression(`success() && (${wrapped.expr})`), contexts, status);
  return Boolean(result);
}

function toPlain(result: data.ExpressionData): unknown {
  return JSON.parse(JSON.stringify(result, data.replacer));
}

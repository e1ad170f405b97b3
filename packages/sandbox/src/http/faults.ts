/**
 * Injected faults as rules. Each rule selects calls (service, operation, a partial match of the input) and
 * says which of those it hits (a probability, the first `count`, all `after` the first N) and with what
 * effect. Whether a rule hits a call is drawn from the seed, the rule's index and the call's index among
 * the calls that rule selects, so the same seed and the same calls give the same faults, whatever else
 * runs meanwhile. Today's rates (throttleRate, serverErrorRate, latencyMs, refuseWith) are shorthand rules.
 */
import { AwsError } from '../errors';
import type { ApiCall, AppliedFault, FaultEffect, FaultKind, FaultOptions, FaultRule } from '../types';

/** mulberry32: a small, fast PRNG; one draw per (seed, rule, call index) is all a rule needs. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The draw in [0, 1) for one rule and one of the calls it selects. */
export function draw(seed: number, rule: number, callIndex: number): number {
  return mulberry32((seed ^ Math.imul(rule + 1, 0x9e3779b1) ^ Math.imul(callIndex + 1, 0x85ebca6b)) >>> 0)();
}

/** Whether `input` holds every value of `pattern` (objects by their keys, arrays by elements found in any order). */
export function matchesInput(pattern: unknown, input: unknown): boolean {
  if (Array.isArray(pattern)) return Array.isArray(input) && pattern.every((wanted) => input.some((value) => matchesInput(wanted, value)));
  if (typeof pattern === 'object' && pattern !== null) {
    if (typeof input !== 'object' || input === null) return false;
    return Object.entries(pattern).every(([key, wanted]) => matchesInput(wanted, (input as Record<string, unknown>)[key]));
  }
  return pattern === input;
}

/** The rules today's shorthand options stand for, in the order they were always tried. */
export function shorthandRules(options: FaultOptions): FaultRule[] {
  const operation = options.operations;
  const rules: FaultRule[] = [];
  if (options.throttleRate)
    rules.push({ operation, probability: options.throttleRate, effect: { kind: 'error', code: 'ThrottlingException' } });
  if (options.serverErrorRate) rules.push({ operation, probability: options.serverErrorRate, effect: { kind: 'error' } });
  // Without `operations` nothing is refused: refusing everything would answer no call at all.
  if (options.refuseWith && operation) rules.push({ operation, effect: { kind: 'refuse', code: options.refuseWith } });
  if (options.latencyMs && options.latencyMs > 0) rules.push({ operation, effect: { kind: 'latency', ms: options.latencyMs } });
  return rules;
}

const EFFECT_KINDS = new Set([
  'error',
  'refuse',
  'latency',
  'drop',
  'task-fails-to-start',
  'target-turns-unhealthy',
  'placement-fails',
  'failed-entry',
]);

/** Refuses a rule that would silently do nothing, or something else than written, with what to write instead. */
function validate(rule: FaultRule, index: number): void {
  const where = `fault rule ${index}`;
  if (typeof rule !== 'object' || rule === null) throw new Error(`${where}: expected an object with an effect`);
  if (!rule.effect || !EFFECT_KINDS.has(rule.effect.kind))
    throw new Error(`${where}: effect.kind must be one of ${[...EFFECT_KINDS].join(', ')}, got ${JSON.stringify(rule.effect?.kind)}`);
  if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1))
    throw new Error(`${where}: probability must be between 0 and 1, got ${rule.probability}`);
  for (const key of ['count', 'after'] as const) {
    const value = rule[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= 0))
      throw new Error(`${where}: ${key} must be a whole number of calls, got ${value}`);
  }
  if (rule.effect.kind === 'latency' && !(rule.effect.ms >= 0)) throw new Error(`${where}: latency needs ms >= 0`);
  if (rule.effect.kind === 'drop' && rule.effect.when !== 'before' && rule.effect.when !== 'after')
    throw new Error(`${where}: drop needs when: 'before' (nothing changed) or 'after' (the call took effect)`);
  if (rule.effect.kind === 'placement-fails' && rule.effect.forMs !== undefined && !(rule.effect.forMs >= 0))
    throw new Error(`${where}: placement-fails needs forMs >= 0 (sandbox milliseconds), or no forMs to last until the rules change`);
}

/** What the server does with one call: wait, then answer normally, answer an error, or drop the connection. */
export interface FaultDecision {
  latencyMs: number;
  /** The one effect that answers the call instead of (or, for 'after' drops and task failures, besides) the operation. */
  outcome?: FaultEffect;
}

/** The record `call.fault` has kept since before rules: one word for what answered the call. */
function kindOf(effect: FaultEffect): FaultKind {
  switch (effect.kind) {
    case 'error':
      if (isThrottle(effect.code)) return 'throttle';
      return effect.code === undefined || (effect.status ?? 400) >= 500 ? 'server-error' : 'error';
    case 'refuse':
      return 'refused';
    case 'latency':
      return 'latency';
    case 'drop':
      return effect.when === 'before' ? 'dropped-before' : 'dropped-after';
    case 'task-fails-to-start':
    case 'target-turns-unhealthy':
    case 'placement-fails':
    case 'failed-entry':
      return effect.kind;
  }
}

function isThrottle(code: string | undefined): boolean {
  return code === 'ThrottlingException' || code === 'Throttling';
}

/**
 * The control-plane effects that change the sandbox's state beyond the call (wired in index.ts): applied when a
 * rule hits, before the call runs (which then runs as usual).
 */
export interface ControlPlaneFaults {
  targetsTurnUnhealthy(effect: Extract<FaultEffect, { kind: 'target-turns-unhealthy' }>, input: unknown): void;
  /** Returns what ends the placement failure. */
  placementFails(effect: Extract<FaultEffect, { kind: 'placement-fails' }>, input: unknown): () => void;
}

/** The rules in force, their counters and the seed; one per sandbox, replaced whole by setFaults. */
export class FaultInjector {
  private options: FaultOptions | undefined;
  private rules: FaultRule[] = [];
  private seed = 0;
  /** Per rule: how many calls it has selected so far (its call index). */
  private selected: number[] = [];
  /** Task families (or '*' for any) whose next task fails to start, with the reason. */
  private startFailures: Array<{ family: string; reason?: string }> = [];
  /** What ends each placement failure a rule started; replacing the rules ends them all. */
  private placementEnds: Array<() => void> = [];
  private controlPlane: ControlPlaneFaults | undefined;

  constructor(options?: FaultOptions) {
    this.set(options);
  }

  /** Set once the sandbox's state exists: the rules' control-plane effects act on it. */
  connect(controlPlane: ControlPlaneFaults): void {
    this.controlPlane = controlPlane;
  }

  set(options: FaultOptions | undefined): void {
    const rules = options ? [...shorthandRules(options), ...(options.rules ?? [])] : [];
    rules.forEach(validate);
    if (options?.seed !== undefined && !Number.isInteger(options.seed))
      throw new Error(`fault seed must be an integer, got ${options.seed}`);
    this.options = options;
    this.rules = rules;
    this.seed = options?.seed ?? 0;
    this.selected = rules.map(() => 0);
    this.startFailures = [];
    for (const end of this.placementEnds.splice(0)) end();
  }

  /** What was set, as given (shorthand and rules), for the control endpoint. */
  get(): FaultOptions | undefined {
    return this.options;
  }

  /**
   * Decides the faults of one call and records those that apply on it. Every rule that selects the call
   * counts it; latencies add up; the first rule hit with another effect decides the answer.
   */
  decide(call: ApiCall, input: unknown): FaultDecision {
    const applied: AppliedFault[] = [];
    let latencyMs = 0;
    let outcome: FaultEffect | undefined;
    this.rules.forEach((rule, index) => {
      if (!this.selects(rule, call, input)) return;
      const callIndex = this.selected[index]++;
      if (rule.after !== undefined && callIndex < rule.after) return;
      if (rule.count !== undefined && callIndex - (rule.after ?? 0) >= rule.count) return;
      if (rule.probability !== undefined && draw(this.seed, index, callIndex) >= rule.probability) return;
      if (rule.effect.kind === 'latency') {
        latencyMs += rule.effect.ms;
        applied.push({ rule: index, callIndex, effect: rule.effect });
      } else if (!outcome) {
        outcome = rule.effect;
        applied.push({ rule: index, callIndex, effect: rule.effect });
      }
    });
    if (applied.length > 0) {
      call.faults = applied;
      call.fault = kindOf(outcome ?? applied[0].effect);
    }
    if (outcome?.kind === 'target-turns-unhealthy') this.controlPlane?.targetsTurnUnhealthy(outcome, input);
    if (outcome?.kind === 'placement-fails' && this.controlPlane) this.placementEnds.push(this.controlPlane.placementFails(outcome, input));
    return { latencyMs, outcome };
  }

  /** Arms a 'task-fails-to-start' effect: the next task of the family the call names (any task without one). */
  armStartFailure(effect: Extract<FaultEffect, { kind: 'task-fails-to-start' }>, input: unknown): void {
    const family = effect.family ?? familyOf((input as { taskDefinition?: unknown } | undefined)?.taskDefinition) ?? '*';
    this.startFailures.push({ family, reason: effect.reason });
  }

  /** The reason the task fails to start, if a rule armed a failure for it; each armed failure fails one task. */
  takeStartFailure(family: string): string | undefined {
    const at = this.startFailures.findIndex((failure) => failure.family === family || failure.family === '*');
    if (at < 0) return undefined;
    const [failure] = this.startFailures.splice(at, 1);
    return failure.reason ?? 'CannotStartContainerError: failed to start the task (an injected fault)';
  }

  private selects(rule: FaultRule, call: ApiCall, input: unknown): boolean {
    if (rule.service && rule.service !== call.service) return false;
    if (rule.operation !== undefined) {
      const operations = Array.isArray(rule.operation) ? rule.operation : [rule.operation];
      if (!operations.includes(call.operation)) return false;
    }
    return rule.match === undefined || matchesInput(rule.match, input);
  }
}

/** The family of `family`, `family:3` or a task definition ARN. */
function familyOf(taskDefinition: unknown): string | undefined {
  if (typeof taskDefinition !== 'string' || taskDefinition === '') return undefined;
  return taskDefinition.replace(/^arn:[^/]*\//, '').replace(/:\d+$/, '');
}

/**
 * The error an 'error' or 'refuse' effect answers with. Throttles and server errors without a status or
 * message of their own come in the service's own shape (its protocol's throttle code, its server
 * exception); a refusal is worded as AWS words it, with `iamPrefix` the service's in IAM actions.
 */
export function faultError(
  effect: Extract<FaultEffect, { kind: 'error' | 'refuse' }>,
  call: ApiCall,
  iamPrefix: string,
  serviceFault: (kind: 'throttle' | 'server-error') => AwsError,
): AwsError {
  if (effect.kind === 'refuse') {
    if (effect.code === 'UnsupportedFeatureException')
      return new AwsError('UnsupportedFeatureException', 'The specified task is not supported in this Region.');
    const action = `${iamPrefix}:${call.operation}`;
    const denied = new AwsError(
      'AccessDeniedException',
      `User is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`,
    );
    denied.queryCode = 'AccessDenied';
    return denied;
  }
  const own = isThrottle(effect.code) ? serviceFault('throttle') : effect.code === undefined ? serviceFault('server-error') : undefined;
  if (own && effect.status === undefined && effect.message === undefined) return own;
  const error = new AwsError(
    own?.type ?? (effect.code as string),
    effect.message ?? own?.message ?? effect.code,
    effect.status ?? own?.status ?? 400,
  );
  error.queryCode = own?.queryCode;
  return error;
}

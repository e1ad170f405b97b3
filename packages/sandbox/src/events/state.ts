/**
 * EventBridge state: the account's event buses (the `default` bus always exists), each with its rules, each rule
 * with its targets as PutTargets stored them. A rule's ARN names its bus unless it is on the default one
 * (Service Authorization Reference, "Resource types defined by Amazon EventBridge": `rule/[event-bus-name/]rule-name`).
 */

export type Json = Record<string, unknown>;

export interface RuleRecord {
  name: string;
  arn: string;
  eventBusName: string;
  scheduleExpression?: string;
  eventPattern?: string;
  state: string;
  description?: string;
  roleArn?: string;
  /** Targets by Id, in the order they were first put; each kept whole, as ListTargetsByRule gives it back. */
  targets: Map<string, Json>;
}

export interface EventBusRecord {
  name: string;
  arn: string;
  rules: Map<string, RuleRecord>;
}

/** A PutTargets entry armed to fail (fault effect 'failed-entry'): the target's Id (undefined: the first) and the error. */
export interface ArmedEntryFailure {
  targetId?: string;
  code: string;
  message: string;
}

export const DEFAULT_BUS = 'default';

export class EventBridgeState {
  readonly buses = new Map<string, EventBusRecord>();
  /** Consumed by the next PutTargets call (http/server arms them for a 'failed-entry' fault). */
  readonly armedEntryFailures: ArmedEntryFailure[] = [];

  constructor(
    private readonly region: string,
    private readonly accountId: string,
  ) {
    this.createBus(DEFAULT_BUS);
  }

  busArn(name: string): string {
    return `arn:aws:events:${this.region}:${this.accountId}:event-bus/${name}`;
  }

  ruleArn(bus: string, name: string): string {
    return `arn:aws:events:${this.region}:${this.accountId}:rule/${bus === DEFAULT_BUS ? '' : `${bus}/`}${name}`;
  }

  createBus(name: string): EventBusRecord {
    const bus: EventBusRecord = { name, arn: this.busArn(name), rules: new Map() };
    this.buses.set(name, bus);
    return bus;
  }

  /**
   * The bus an `EventBusName` names: "The name or ARN of the event bus" (API reference), the default bus when none.
   * An ARN of another region or account names nothing here: the sandbox is one region of one account.
   */
  busName(nameOrArn: string | undefined): string {
    if (!nameOrArn) return DEFAULT_BUS;
    const arn = /^arn:aws[a-z-]*:events:([^:]*):([^:]*):event-bus\/(.+)$/.exec(nameOrArn);
    if (!arn) return nameOrArn;
    return arn[1] === this.region && arn[2] === this.accountId ? arn[3] : nameOrArn;
  }
}

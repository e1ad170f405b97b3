/**
 * deploy-ecs's `scheduled-tasks` input: one line per EventBridge rule (`rule:[bus/]name`) or EventBridge Scheduler
 * schedule (`schedule:[group/]name`) whose ECS targets run the deployed family. The bus is a name or an event-bus ARN
 * (PutTargets' EventBusName takes either); the rule or schedule name is what follows the last slash.
 */
import { ConfigurationError } from '../common/errors';

export const SCHEDULED_TASKS_INPUT = 'scheduled-tasks';

export interface RuleReference {
  kind: 'rule';
  /** The bus's name or ARN as given; undefined: the default bus. */
  bus?: string;
  name: string;
  /** The input line as written, for messages that point at it. */
  line: string;
}

export interface ScheduleReference {
  kind: 'schedule';
  /** Undefined: the default group. */
  group?: string;
  name: string;
  line: string;
}

export type ScheduledTaskReference = RuleReference | ScheduleReference;

/** Rule names: `[\.\-_A-Za-z0-9]+`, up to 64 (EventBridge API reference, PutRule: Name). */
const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
/** Bus names: up to 256 of `[/\.\-_A-Za-z0-9]`, or an event-bus ARN. */
const BUS = /^([.\-_A-Za-z0-9]{1,256}|arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/[/.\-_A-Za-z0-9]+)$/;
/** Schedule and group names: `^[0-9a-zA-Z-_.]+$`, up to 64 (EventBridge Scheduler API reference, CreateSchedule). */
const SCHEDULE_NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;

const FORMAT =
  'rule:[bus/]name (an EventBridge rule, on the default bus without a bus) or schedule:[group/]name (an EventBridge Scheduler schedule)';

/** Who a reference names, in words: `rule nightly on bus orders`, `schedule default/export`. */
export function referenceLabel(reference: ScheduledTaskReference): string {
  if (reference.kind === 'rule') return `rule ${reference.name} on bus ${busLabel(reference.bus)}`;
  return `schedule ${reference.group ?? 'default'}/${reference.name}`;
}

function busLabel(bus: string | undefined): string {
  if (!bus) return 'default';
  return bus.startsWith('arn:') ? bus.slice(bus.indexOf(':event-bus/') + ':event-bus/'.length) : bus;
}

/** Reads the lines; a malformed or repeated line is refused before anything talks to AWS, naming it. */
export function parseScheduledTasks(lines: Array<{ text: string; line: number }>): ScheduledTaskReference[] {
  const seen = new Map<string, number>();
  return lines.map(({ text, line }) => {
    const reference = parseLine(text, line);
    const key = referenceLabel(reference);
    const earlier = seen.get(key);
    if (earlier !== undefined)
      throw new ConfigurationError(
        `Input '${SCHEDULED_TASKS_INPUT}' names ${key} on lines ${earlier} and ${line}; name each rule or schedule once.`,
        SCHEDULED_TASKS_INPUT,
      );
    seen.set(key, line);
    return reference;
  });
}

function parseLine(text: string, line: number): ScheduledTaskReference {
  const refuse = (why: string) =>
    new ConfigurationError(
      `Input '${SCHEDULED_TASKS_INPUT}' line ${line} ("${text}") ${why}; each line is ${FORMAT}.`,
      SCHEDULED_TASKS_INPUT,
    );
  const colon = text.indexOf(':');
  const kind = colon > 0 ? text.slice(0, colon) : '';
  const rest = text.slice(colon + 1);
  if (kind !== 'rule' && kind !== 'schedule') throw refuse('does not start with rule: or schedule:');
  const slash = rest.lastIndexOf('/');
  const owner = slash >= 0 ? rest.slice(0, slash) : undefined;
  const name = rest.slice(slash + 1);
  if (kind === 'rule') {
    if (!RULE_NAME.test(name)) throw refuse(`has rule name "${name}", not up to 64 letters, digits, dots, dashes and underscores`);
    if (owner !== undefined && !BUS.test(owner)) throw refuse(`has bus "${owner}", neither an event bus name nor an event-bus ARN`);
    return { kind, ...(owner && owner !== 'default' ? { bus: owner } : {}), name, line: text };
  }
  if (!SCHEDULE_NAME.test(name)) throw refuse(`has schedule name "${name}", not up to 64 letters, digits, dots, dashes and underscores`);
  if (owner !== undefined && !SCHEDULE_NAME.test(owner)) throw refuse(`has group "${owner}", not a schedule group name`);
  return { kind, ...(owner && owner !== 'default' ? { group: owner } : {}), name, line: text };
}

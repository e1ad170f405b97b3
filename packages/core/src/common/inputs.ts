import { ConfigurationError } from './errors';
import { parseDuration } from './duration';
import { parseImageReference } from './image-reference';

/** Reads the raw text of an input: the runner's `INPUT_*` variables (platform's runnerInputs), a map in tests. */
export type InputSource = (name: string) => string;

export function inputsFrom(values: Record<string, string>): InputSource {
  return (name) => (values[name] ?? '').trim();
}

export interface KeyValue {
  name: string;
  value: string;
}

/**
 * Typed readers over one source. Every reader throws ConfigurationError naming the input, what was wrong
 * and what would be valid, so bad input is reported before anything in AWS changes.
 * Empty text means "not given": optional readers return undefined rather than a zero value.
 */
export class Inputs {
  /** `warn` hears about values that are valid but may not mean what was meant (the runner's warning annotation). */
  constructor(
    private readonly source: InputSource,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  optional(name: string): string | undefined {
    // A workflow file saved with Windows line endings gives multi-line inputs CRLF: read them as plain lines.
    const value = this.source(name).replace(/\r\n?/g, '\n').trim();
    return value === '' ? undefined : value;
  }

  required(name: string): string {
    const value = this.optional(name);
    if (value === undefined) throw new ConfigurationError(`Input '${name}' is required but was not given.`, name);
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.optional(name);
    if (value === undefined) return fallback;
    if (/^true$/i.test(value)) return true;
    if (/^false$/i.test(value)) return false;
    throw new ConfigurationError(`Input '${name}' must be true or false; got "${value}".`, name);
  }

  integer(name: string, bounds: { min?: number; max?: number } = {}): number | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = bounds;
    if (!/^-?\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new ConfigurationError(`Input '${name}' must be a whole number${describeBounds(min, max)}; got "${value}".`, name);
    }
    return Number(value);
  }

  /** Milliseconds. */
  duration(name: string, fallback: string): number {
    const text = this.optional(name) ?? fallback;
    const ms = parseDuration(text);
    if (ms === undefined) {
      throw new ConfigurationError(`Input '${name}' must be a duration such as 90s, 15m, 1h or a number of seconds; got "${text}".`, name);
    }
    return ms;
  }

  /** One item a line; blank lines and surrounding spaces ignored. */
  list(name: string): string[] {
    return (this.optional(name) ?? '')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '');
  }

  /** KEY=VALUE lines. The value may contain `=`; a key may appear once. */
  keyValues(name: string): KeyValue[] {
    const pairs: KeyValue[] = [];
    const seen = new Set<string>();
    for (const line of this.list(name)) {
      const separator = line.indexOf('=');
      const key = separator > 0 ? line.slice(0, separator).trim() : '';
      if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) {
        throw new ConfigurationError(
          `Input '${name}' must hold KEY=VALUE lines whose name starts with a letter or underscore followed by letters, digits, underscores, dots or dashes; got a line starting "${line.slice(0, 20)}".`,
          name,
        );
      }
      if (seen.has(key)) throw new ConfigurationError(`Input '${name}' sets ${key} more than once; give each name one line.`, name);
      seen.add(key);
      pairs.push({ name: key, value: line.slice(separator + 1) });
    }
    return pairs;
  }

  /** One image reference; one without a tag or digest is accepted, with a warning, since it means :latest. */
  image(name: string): string | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    const reference = parseImageReference(value);
    if ('problem' in reference) {
      throw new ConfigurationError(
        `Input '${name}' must be one image reference, registry/repository[:tag][@sha256:digest] such as 123456789012.dkr.ecr.us-east-1.amazonaws.com/web@sha256:...; got "${value}": ${reference.problem}.`,
        name,
      );
    }
    if (reference.tag === undefined && reference.digest === undefined) {
      this.warn(
        `Input '${name}' is "${value}" without a tag or digest, which means ${value}:latest: the revision will not say which build it runs, and a later push changes what a restarted task pulls. Give a tag, or better the digest build-push outputs (its 'image' output).`,
      );
    }
    return value;
  }

  json<T = unknown>(name: string): T | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    try {
      return JSON.parse(value) as T;
    } catch (error) {
      throw new ConfigurationError(`Input '${name}' must be valid JSON: ${(error as Error).message}.`, name);
    }
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback?: T): T | undefined {
    const value = this.optional(name);
    if (value === undefined) return fallback;
    const match = allowed.find((candidate) => candidate.toLowerCase() === value.toLowerCase());
    if (!match) throw new ConfigurationError(`Input '${name}' must be one of ${allowed.join(', ')}; got "${value}".`, name);
    return match;
  }
}

function describeBounds(min: number, max: number): string {
  const hasMin = min !== Number.MIN_SAFE_INTEGER;
  const hasMax = max !== Number.MAX_SAFE_INTEGER;
  if (hasMin && hasMax) return ` from ${min} to ${max}`;
  if (hasMin) return ` of at least ${min}`;
  if (hasMax) return ` of at most ${max}`;
  return '';
}

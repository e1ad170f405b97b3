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

/** A `[container:]KEY=VALUE` line: `container` is the prefix, absent for the step's default container. */
export interface ContainerKeyValue extends KeyValue {
  container?: string;
  /** The line's number in the input (blank lines counted), for a message that points at it; set by the reader. */
  line?: number;
}

/** A `container=image` line. */
export interface ContainerImage {
  container: string;
  image: string;
  line?: number;
}

/** Variable names: a letter or underscore, then letters, digits, underscores, dots or dashes (no colon, so a prefix is unambiguous). */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
/** ECS container names: up to 255 letters, digits, underscores and hyphens (API reference, ContainerDefinition `name`). */
export const CONTAINER_NAME = /^[A-Za-z0-9_-]{1,255}$/;

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

  /** The same inputs with `name` given `value` instead (a step that reads one of several values as it reads one). */
  with(name: string, value: string): Inputs {
    return new Inputs((asked) => (asked === name ? value : this.source(asked)), this.warn);
  }

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

  /** Each non-blank line with its number (blank lines counted), surrounding spaces removed. */
  numberedLines(name: string): Array<{ text: string; line: number }> {
    return (this.optional(name) ?? '')
      .split('\n')
      .map((text, index) => ({ text: text.trim(), line: index + 1 }))
      .filter(({ text }) => text !== '');
  }

  /** KEY=VALUE lines. The value may contain `=`; a key may appear once. */
  keyValues(name: string): KeyValue[] {
    return this.keyValueLines(name, false).map(({ name: key, value }) => ({ name: key, value }));
  }

  /**
   * `[container:]KEY=VALUE` lines, for another container than the default one. Each line is split at its first `=`
   * and the prefix is taken from the part before it only, so values may hold colons (`URL=postgres://...`,
   * `X=arn:aws:...`). A key may appear once per prefix; whether an unprefixed line and a prefixed one name the same
   * container is known only with the revision (renderTaskDefinition).
   */
  containerKeyValues(name: string): ContainerKeyValue[] {
    return this.keyValueLines(name, true);
  }

  private keyValueLines(name: string, prefixed: boolean): ContainerKeyValue[] {
    const pairs: ContainerKeyValue[] = [];
    const seen = new Set<string>();
    for (const { text, line } of this.numberedLines(name)) {
      const separator = text.indexOf('=');
      const key = separator > 0 ? text.slice(0, separator).trim() : '';
      const colon = prefixed ? key.indexOf(':') : -1;
      const container = colon >= 0 ? key.slice(0, colon).trim() : undefined;
      const variable = colon >= 0 ? key.slice(colon + 1).trim() : key;
      if (!VARIABLE_NAME.test(variable)) {
        throw new ConfigurationError(
          `Input '${name}' must hold KEY=VALUE lines whose name starts with a letter or underscore followed by letters, digits, underscores, dots or dashes; got a line starting "${text.slice(0, 20)}".`,
          name,
        );
      }
      if (container !== undefined && !CONTAINER_NAME.test(container)) {
        throw new ConfigurationError(
          `Input '${name}' line ${line} starts with "${container}:", which is not a container name (up to 255 letters, digits, underscores and hyphens): write container:${variable}=..., or ${variable}=... for the default container.`,
          name,
        );
      }
      const shown = container === undefined ? variable : `${container}:${variable}`;
      if (seen.has(shown)) throw new ConfigurationError(`Input '${name}' sets ${shown} more than once; give each name one line.`, name);
      seen.add(shown);
      pairs.push({ ...(container === undefined ? {} : { container }), name: variable, value: text.slice(separator + 1), line });
    }
    return pairs;
  }

  /** `container=image` lines, each container once, each image a valid reference (warned about without a tag, as `image`). */
  containerImages(name: string): ContainerImage[] {
    const images: ContainerImage[] = [];
    const lines = new Map<string, number>();
    for (const { text, line } of this.numberedLines(name)) {
      const separator = text.indexOf('=');
      const container = separator > 0 ? text.slice(0, separator).trim() : '';
      if (!CONTAINER_NAME.test(container)) {
        throw new ConfigurationError(
          `Input '${name}' must hold container=image lines, the container a name of up to 255 letters, digits, underscores and hyphens, such as app=123456789012.dkr.ecr.us-east-1.amazonaws.com/web@sha256:...; line ${line} is "${text}".`,
          name,
        );
      }
      const earlier = lines.get(container);
      if (earlier !== undefined) {
        throw new ConfigurationError(
          `Input '${name}' gives container "${container}" an image on lines ${earlier} and ${line}; give each container one line.`,
          name,
        );
      }
      lines.set(container, line);
      images.push({
        container,
        image: this.checkedImage(name, text.slice(separator + 1).trim(), ` line ${line} (container "${container}")`),
        line,
      });
    }
    return images;
  }

  /** One image reference; one without a tag or digest is accepted, with a warning, since it means :latest. */
  image(name: string): string | undefined {
    const value = this.optional(name);
    return value === undefined ? undefined : this.checkedImage(name, value, '');
  }

  /** `where` says which part of the input holds the image (a line of `images`), '' for the whole input. */
  private checkedImage(name: string, value: string, where: string): string {
    const reference = parseImageReference(value);
    if ('problem' in reference) {
      throw new ConfigurationError(
        `Input '${name}'${where} must be one image reference, registry/repository[:tag][@sha256:digest] such as 123456789012.dkr.ecr.us-east-1.amazonaws.com/web@sha256:...; got "${value}": ${reference.problem}.`,
        name,
      );
    }
    if (reference.tag === undefined && reference.digest === undefined) {
      this.warn(
        `Input '${name}'${where} is "${value}" without a tag or digest, which means ${value}:latest: the revision will not say which build it runs, and a later push changes what a restarted task pulls. Give a tag, or better the digest build-push outputs (its 'image' output).`,
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

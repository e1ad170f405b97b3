import type { FileLocation } from './errors';

/** Where progress goes. Injected so that core logic can be exercised in tests without a runner. */
export interface Logger {
  info(message: string): void;
  /** With `location`, the annotation is on that line of that file. */
  warning(message: string, location?: FileLocation): void;
  error(message: string, location?: FileLocation): void;
  debug(message: string): void;
  group<T>(title: string, body: () => Promise<T>): Promise<T>;
}

export function silentLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => void lines.push(m),
    warning: (m) => void lines.push(`warning: ${m}`),
    error: (m) => void lines.push(`error: ${m}`),
    debug: () => undefined,
    group: async (title, body) => {
      lines.push(`[${title}]`);
      return body();
    },
  };
}

/**
 * The log of one of several jobs running at once (deploy-ecs's services): each line starts with `[name]`, so
 * interleaved lines still say whose they are. A group is a line of its own: groups of concurrent jobs cannot nest.
 */
export function prefixedLogger(log: Logger, name: string): Logger {
  const tag = (message: string) => `[${name}] ${message}`;
  return {
    info: (message) => log.info(tag(message)),
    warning: (message, location) => log.warning(tag(message), location),
    error: (message, location) => log.error(tag(message), location),
    debug: (message) => log.debug(tag(message)),
    group: async (title, body) => {
      log.info(tag(title));
      return body();
    },
  };
}

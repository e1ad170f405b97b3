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
 * A logger whose lines start with `[name] `, for one of several services worked on at once: their lines interleave
 * in the job log. Groups are not opened (the runner's groups do not nest, and concurrent ones would swallow each
 * other's lines): the title is logged instead.
 */
export function prefixedLogger(log: Logger, name: string): Logger {
  const prefix = `[${name}] `;
  return {
    info: (message) => log.info(prefix + message),
    warning: (message, location) => log.warning(prefix + message, location),
    error: (message, location) => log.error(prefix + message, location),
    debug: (message) => log.debug(prefix + message),
    group: async (title, body) => {
      log.info(prefix + title);
      return body();
    },
  };
}

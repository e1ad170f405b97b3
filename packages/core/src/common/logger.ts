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

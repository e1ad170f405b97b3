/** How long a part of a stop may take before stderr says which part is still stopping. */
const SLOW_STOP_MS = 15_000;

export interface SlowStopOptions {
  slowMs?: number;
  /** Where the line goes: stderr by default. */
  write?: (line: string) => void;
}

/**
 * `stopping`, saying on stderr which part of a stop is still under way every SLOW_STOP_MS: a stop that hangs on a
 * loaded machine then names what it waits for, instead of only timing out the test hook around it.
 */
export async function reportingSlowStop<T>(part: string, stopping: Promise<T>, options: SlowStopOptions = {}): Promise<T> {
  const { slowMs = SLOW_STOP_MS, write = (line: string) => void process.stderr.write(line) } = options;
  const startedAt = Date.now();
  const timer = setInterval(
    () => write(`sandbox stop: ${part} still stopping after ${Math.round((Date.now() - startedAt) / 1000)} s\n`),
    slowMs,
  );
  timer.unref();
  try {
    return await stopping;
  } finally {
    clearInterval(timer);
  }
}

/**
 * The one way tests, benchmarks and the demo start a sandbox: `startSandbox` here (a promise, for scripts),
 * `useSandbox` in use-sandbox.ts (jest's beforeAll and afterAll around it). Both give a handle that is the
 * sandbox itself (every Sandbox member, so helpers taking a Sandbox take it) plus what was started beside it,
 * and whose `stop()` stops all of it, last started first.
 */
import { reportingSlowStop, start, type Sandbox, type SandboxOptions } from '@ecs-deploy/sandbox';

export interface SampleDatabase {
  /** PostgreSQL connection URL, for DATABASE_URL. */
  url: string;
  stop(): Promise<void>;
}

export interface SandboxHarnessOptions extends SandboxOptions {
  /**
   * The sample service's embedded PostgreSQL, started before the sandbox and migrated up to `migrations`
   * (default 2, the schema its releases need: see sample-database.ts).
   */
  database?: { migrations?: number };
}

export interface SandboxHandle extends Sandbox {
  /** The database of `options.database`; reading it on a handle started without one throws. */
  readonly database: SampleDatabase;
  /** Stops the sandbox (its tasks' processes with it), then the database. Safe to call twice. */
  stop(): Promise<void>;
}

/** The SDK settings for a client of the sandbox. `maxAttempts: 1` lets a test see an injected fault as is. */
export function clientConfig(sandbox: Pick<Sandbox, 'region' | 'endpoint'>, maxAttempts?: number) {
  return { region: sandbox.region, endpoint: sandbox.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts };
}

export async function startSandbox(options: SandboxHarnessOptions = {}): Promise<SandboxHandle> {
  const { database: databaseOptions, ...sandboxOptions } = options;
  // Imported only when asked for: the sandbox's own tests load this module and need no PostgreSQL.
  const database = databaseOptions
    ? await (await import('./sample-database')).startMigratedDatabase(databaseOptions.migrations)
    : undefined;
  let sandbox: Sandbox;
  try {
    sandbox = await start(sandboxOptions);
  } catch (error) {
    await database?.stop();
    throw error;
  }
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      await sandbox.stop();
      if (database) await reportingSlowStop('the sample database', database.stop());
    })());
  return handleOver(() => sandbox, {
    get database() {
      if (!database) throw new Error('this sandbox was started without a database: pass { database: {} } to startSandbox or useSandbox');
      return database;
    },
    stop,
  });
}

/**
 * A SandboxHandle whose Sandbox members come from `current()` at each use, so jest's useSandbox can hand one
 * out before beforeAll has started the sandbox. Functions are bound to the sandbox they came from.
 */
export function handleOver(current: () => Sandbox, own: Pick<SandboxHandle, 'database' | 'stop'>): SandboxHandle {
  return new Proxy(own as SandboxHandle, {
    get(target, key) {
      if (key in target) return Reflect.get(target, key);
      const sandbox = current();
      const value = Reflect.get(sandbox, key, sandbox);
      return typeof value === 'function' ? value.bind(sandbox) : value;
    },
    has: (target, key) => key in target || key in current(),
  });
}

import { afterAll, beforeAll } from '@jest/globals';
import { handleOver, startSandbox, type SandboxHandle, type SandboxHarnessOptions } from './sandbox-harness';

/**
 * A sandbox (and what `options` asks beside it) for one test file or describe block: started in beforeAll,
 * stopped in afterAll. The handle is usable in tests and hooks from then on; `handle.env()` is what a child
 * process (a bundled action) needs to reach it.
 */
export function useSandbox(options: SandboxHarnessOptions = {}): SandboxHandle {
  let started: SandboxHandle | undefined;
  const current = () => {
    if (!started) throw new Error('the sandbox of useSandbox has not started: use its handle inside a test or a hook');
    return started;
  };
  beforeAll(async () => {
    started = await startSandbox(options);
  });
  afterAll(async () => {
    await started?.stop();
  });
  return handleOver(current, {
    get database() {
      return current().database;
    },
    stop: () => current().stop(),
  });
}

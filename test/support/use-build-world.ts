import { afterAll, beforeAll } from '@jest/globals';
import { INFRA_TIMEOUT_MS, startBuildWorld, type BuildWorld } from './build-push';

/** Starts the world before a test file's tests and stops it after them; call the result inside a test. */
export function useBuildWorld(): () => BuildWorld {
  let world: BuildWorld | undefined;
  beforeAll(async () => {
    world = await startBuildWorld();
  }, INFRA_TIMEOUT_MS);
  afterAll(async () => {
    await world?.stop();
  });
  return () => {
    if (!world) throw new Error('the build world has not started');
    return world;
  };
}

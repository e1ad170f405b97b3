import { readFileSync } from 'node:fs';
import type { Context } from './context';
import { createCluster } from './ecs/clusters';
import { createService } from './ecs/services';
import { registerTaskDefinition } from './ecs/task-definitions';
import type { SeedState } from './types';

export function loadSeedFile(path: string): SeedState {
  return JSON.parse(readFileSync(path, 'utf8')) as SeedState;
}

/** Creates seed state through the same functions the API calls, so seeded resources obey the same rules. */
export function applySeed(ctx: Context, seed: SeedState): void {
  for (const cluster of seed.clusters ?? []) createCluster(ctx, typeof cluster === 'string' ? { clusterName: cluster } : cluster);
  for (const definition of seed.taskDefinitions ?? []) registerTaskDefinition(ctx, definition);
  for (const group of seed.logGroups ?? []) if (!ctx.logs.groups.has(group)) ctx.logs.createGroup(group, ctx.clock.now());
  for (const service of seed.services ?? []) createService(ctx, service);
}

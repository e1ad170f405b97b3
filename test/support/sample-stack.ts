import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { start, type CatalogEntry, type Sandbox } from '@ecs-deploy/sandbox';
import { startDatabase } from '../fixtures/sample-service/database.mjs';
import { REPOSITORY_ROOT, SAMPLE_SERVICE_DIR, sampleServiceCatalog } from './sample-service';

export interface SampleStack {
  sandbox: Sandbox;
  database: { url: string; stop(): Promise<void> };
  stop(): Promise<void>;
}

/**
 * What an end-to-end test of the real sample service needs: an embedded PostgreSQL migrated to `migrations`
 * (so a release requiring 002_add_price is healthy), and a sandbox that runs the sample image as processes
 * (or the images of `catalog`).
 */
export async function startSampleStack(options: { timeScale: number; migrations?: number; catalog?: Record<string, CatalogEntry> }): Promise<SampleStack> {
  const database = await startDatabase();
  // Asynchronously: the embedded database answers from this very process.
  await promisify(execFile)(process.execPath, [`${SAMPLE_SERVICE_DIR}/migrate.mjs`, 'up', String(options.migrations ?? 2)], {
    cwd: REPOSITORY_ROOT,
    env: { ...process.env, DATABASE_URL: database.url },
  });
  const sandbox = await start({ timeScale: options.timeScale, catalog: options.catalog ?? sampleServiceCatalog() });
  return {
    sandbox,
    database,
    stop: async () => {
      await sandbox.stop();
      await database.stop();
    },
  };
}

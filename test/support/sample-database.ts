import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startDatabase } from '../fixtures/sample-service/database.mjs';
import { REPOSITORY_ROOT, SAMPLE_SERVICE_DIR } from './sample-service';

/**
 * The sample service's embedded PostgreSQL, migrated up to its `migrations`-th migration; the default, 2, is
 * `002_add_price`, the schema its releases need (`003_unique_sku` fails on purpose); 0 leaves it empty. Migrated
 * asynchronously: the database answers from this very process.
 */
export async function startMigratedDatabase(migrations = 2): Promise<{ url: string; stop(): Promise<void> }> {
  const database = await startDatabase();
  if (migrations === 0) return database;
  try {
    await promisify(execFile)(process.execPath, [`${SAMPLE_SERVICE_DIR}/migrate.mjs`, 'up', String(migrations)], {
      cwd: REPOSITORY_ROOT,
      env: { ...process.env, DATABASE_URL: database.url },
    });
  } catch (error) {
    await database.stop();
    throw error;
  }
  return database;
}

/** Writes the report page and the record it was drawn from, side by side, and says where. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DemoRecord } from '../record';
import { reportPage } from './page';

/** Beside the bench's .bench/, ignored by git. */
export const DEFAULT_REPORT_DIR = '.demo';

export function writeReport(record: DemoRecord, dir: string): { page: string; record: string } {
  mkdirSync(dir, { recursive: true });
  const page = resolve(join(dir, 'report.html'));
  const recordFile = resolve(join(dir, 'record.json'));
  writeFileSync(recordFile, JSON.stringify(record));
  writeFileSync(page, reportPage(record));
  return { page, record: recordFile };
}

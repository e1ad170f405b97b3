import { heading, section, table } from '../report/markdown';
import type { FileLocation } from '../common/errors';
import type { CheckStatus } from './check';

/** A row of the report: `skip` when the mode left a check out. */
export interface PreflightRow {
  id: string;
  title: string;
  status: CheckStatus | 'skip';
  message: string;
  input?: string;
  location?: FileLocation;
}

const MARKS: Record<PreflightRow['status'], string> = { pass: '✅', warn: '⚠️', fail: '❌', skip: '⏭️' };

/** The table for the job log: one line a check, columns aligned so the statuses read down one column. */
export function preflightText(rows: PreflightRow[]): string {
  const width = Math.max(...rows.map((row) => row.title.length));
  const lines = rows.map((row) => `  ${row.status.padEnd(4)}  ${row.title.padEnd(width)}  ${row.message}`);
  return [`Pre-flight checks (${rows.length}):`, ...lines].join('\n');
}

/** The same table for the job summary. */
export function preflightMarkdown(rows: PreflightRow[]): string {
  return section(
    heading('Pre-flight checks', 3),
    table(
      ['', 'Check', 'Input', 'Result'],
      rows.map((row) => [`${MARKS[row.status]} ${row.status}`, row.title, row.input ? `\`${row.input}\`` : undefined, row.message]),
    ),
  );
}

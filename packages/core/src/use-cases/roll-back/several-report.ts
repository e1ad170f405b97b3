import { formatDuration } from '../../common/duration';
import { shortTaskDefinition } from '../../common/identifiers';
import { heading, section, table } from '../../report/markdown';
import type { RollbackVerdict } from './report';
import type { ServiceRollbackOutput } from './request';

/** One service's rollback among several, as the summary and the 'services' output tell it. */
export interface ServiceRollbackRow {
  output: ServiceRollbackOutput;
  failed: boolean;
  verdict: RollbackVerdict;
  /** The revision the service ran when the step began. */
  fromArn?: string;
  /** The service's own summary sections (its story, timeline and pre-flight table), shown below the table. */
  details: string[];
}

const ICON: Record<RollbackVerdict, string> = { 'rolled-back': '↩️', started: '↩️', 'already-there': 'ℹ️', failed: '❌' };

/** The job summary with several services: one row per service, then each service's own summary. */
export function severalRollbacksMarkdown(rows: readonly ServiceRollbackRow[]): string {
  const failed = rows.filter((row) => row.failed).length;
  const title =
    failed > 0 ? `❌ Auto-rollback of ${rows.length} services: ${failed} failed` : `↩️ Auto-rollback of ${rows.length} services`;
  return section(
    heading(title),
    table(
      ['', 'Service', 'From', 'To', 'Rolled back', 'Duration', 'What happened'],
      rows.map((row) => [
        ICON[row.failed ? 'failed' : row.verdict],
        row.output.service,
        shortTaskDefinition(row.fromArn),
        shortTaskDefinition(row.output.taskDefinitionArn),
        String(row.output.rolledBack),
        formatDuration(row.output.durationSeconds * 1000),
        row.output.reason,
      ]),
    ),
    ...rows.map((row) =>
      row.details.length > 0 ? `<details><summary>${row.output.service}</summary>\n\n${section(...row.details)}\n\n</details>` : undefined,
    ),
  );
}

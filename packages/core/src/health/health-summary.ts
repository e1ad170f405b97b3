import { formatDuration } from '../common/duration';
import { codeBlock, heading, section, table } from '../report/markdown';
import { renderTimeline } from '../report/timeline';
import { bodyExcerpt } from './judge';
import { latencyFigures } from './url-stats';
import type { HealthReport } from './verify-health';

const ms = (value: number | undefined) => (value === undefined ? '–' : `${value} ms`);

/** The job summary: the verdict and the moment it was decided, a table per URL, the other signals, a timeline. */
export function healthSummaryMarkdown(report: HealthReport, title = 'Verify health'): string {
  const icon = report.healthy ? '✅' : '❌';
  const urls = report.urls.map((stats) => {
    const figures = latencyFigures(stats.latencies);
    const last = stats.last;
    return section(
      heading(stats.url, 3),
      table(
        ['Checks', 'Failures', 'p50', 'p95', 'Max', 'Last status', 'Last body'],
        [
          [
            stats.checks,
            stats.failures,
            ms(figures.p50),
            ms(figures.p95),
            ms(figures.max),
            last?.status ?? last?.error ?? '–',
            last ? `\`${bodyExcerpt(last.body, 80) || ' '}\`` : '',
          ],
        ],
      ),
    );
  });
  const signals = report.lastSignals.length
    ? section(
        heading('Service, targets and alarms at the end', 3),
        table(
          ['Source', 'State', 'Detail'],
          report.lastSignals.map((s) => [s.source, s.passed ? 'ok' : s.unread ? 'not read' : 'failing', s.detail]),
        ),
      )
    : undefined;
  return section(
    heading(`${icon} ${title}: ${report.healthy ? 'healthy' : report.verdict}`),
    report.explanation,
    moment(report),
    ...urls,
    signals,
    report.timeline.length ? section(heading('Timeline', 3), codeBlock(timelineLines(report))) : undefined,
  );
}

/** A flapping service changes state every few rounds; the last changes are the ones that explain the verdict. */
const TIMELINE_SHOWN = 30;

function timelineLines(report: HealthReport): string[] {
  const lines = renderTimeline(report.startedAt, report.timeline);
  if (lines.length <= TIMELINE_SHOWN) return lines;
  return [`… ${lines.length - TIMELINE_SHOWN} earlier changes`, ...lines.slice(-TIMELINE_SHOWN)];
}

function moment(report: HealthReport): string {
  const parts = [
    `${report.rounds} rounds, ${report.checks} checks, ${report.failures} failed, over ${formatDuration(report.finishedAt - report.startedAt)}`,
  ];
  if (report.wonAt !== undefined) parts.push(`health won at +${formatDuration(report.wonAt - report.startedAt)}`);
  if (report.lostAt !== undefined)
    parts.push(`health lost at +${formatDuration(report.lostAt - report.startedAt)}${report.lostIn === 'bake' ? ' (during bake)' : ''}`);
  return `**${parts.join(' · ')}**`;
}

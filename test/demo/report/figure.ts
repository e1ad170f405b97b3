/** A lane's chart with its caption (what was sent, what failed and when), and the legend the charts share. */
import type { RecordedLane, RecordedStep } from '../record';
import { laneChartSvg, type ChartWindow } from './chart';
import { escapeHtml } from './escape';

export const LEGEND_HTML = `<ul class="legend">${[
  ['served', 'requests answered (per second)'],
  ['failed', 'requests failed'],
  ['deploy', 'deploy started'],
  ['stage', 'stage change'],
  ['ok', 'verdict: healthy'],
  ['failed', 'verdict: unhealthy or failed'],
  ['rollback', 'rollback'],
]
  .map(([colour, text]) => `<li><i style="background: var(--${colour})"></i>${text}</li>`)
  .join('')}</ul>`;

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

function caption(lane: RecordedLane, origin: number): string {
  const sent = lane.traffic.reduce((sum, stretch) => sum + stretch.sentAt.length, 0);
  const failures = lane.traffic.flatMap((stretch) => stretch.failedAt);
  const when = failures.length > 0 ? `, from ${seconds(Math.min(...failures) - origin)} to ${seconds(Math.max(...failures) - origin)}` : '';
  return `${sent} requests, ${failures.length} failed${when}`;
}

export function chartFigure(lane: RecordedLane, window: ChartWindow, hrefOf: (step: RecordedStep) => string): string {
  return (
    `<figure data-lane="${escapeHtml(lane.name)}"><figcaption>${escapeHtml(lane.title)} <span>${caption(lane, window.origin)}</span></figcaption>` +
    `${laneChartSvg(lane, window, hrefOf)}</figure>`
  );
}

/**
 * A page of charts alone (the bench's runs): each lane on its own clock, from its first step or request, with the
 * same marks and strip of steps as the demo's report, and no job summaries. Self-contained like the report.
 */
import type { RecordedLane } from '../record';
import { chartWindow } from './chart';
import { escapeHtml } from './escape';
import { chartFigure, LEGEND_HTML } from './figure';
import { PAGE_STYLE } from './page-style';

function laneFigure(lane: RecordedLane): string {
  const moments = [
    ...lane.steps.flatMap((step) => [step.startedAt, step.finishedAt]),
    ...lane.traffic.flatMap((stretch) => stretch.sentAt),
  ];
  const origin = Math.min(...moments);
  return chartFigure(lane, chartWindow(origin, Math.max(...moments) + 1000, [lane]), () => '');
}

export function chartsPage(title: string, description: string, lanes: readonly RecordedLane[]): string {
  const figures = lanes.filter((lane) => lane.steps.length > 0 || lane.traffic.length > 0).map(laneFigure);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p class="meta">${escapeHtml(description)}</p>
${LEGEND_HTML}
${figures.join('\n')}
</main>
</body>
</html>
`;
}

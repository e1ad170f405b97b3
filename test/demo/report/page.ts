/**
 * The report page: one self-contained HTML file (inline CSS and SVG, nothing loaded from anywhere) with a chart of
 * each service's traffic through the load balancer, the demo's verdicts, and every step's job summary as GitHub
 * renders it. Each mark on a chart links to the summary of the step it comes from.
 */
import type { DemoRecord, RecordedStep } from '../record';
import { chartWindow } from './chart';
import { escapeHtml } from './escape';
import { chartFigure, LEGEND_HTML, seconds } from './figure';
import { PAGE_STYLE } from './page-style';
import { summaryHtml } from './summary-html';

function stepArticle(step: RecordedStep, id: string, origin: number): string {
  const outcome = step.exitCode === 0 ? 'succeeded' : `failed (exit ${step.exitCode})`;
  const body = step.summary.trim() ? summaryHtml(step.summary) : '<p><em>This step wrote no job summary.</em></p>';
  return (
    `<article class="step" id="${id}" data-step="${escapeHtml(step.title)}" data-action="${escapeHtml(step.action)}">` +
    `<header><h4>${escapeHtml(step.title)}</h4><span>uses: ./actions/${escapeHtml(step.action)} · ` +
    `<b class="outcome ${step.exitCode === 0 ? 'ok' : 'bad'}">${outcome}</b> in ${seconds(step.finishedAt - step.startedAt)}, ` +
    `from ${seconds(step.startedAt - origin)}</span></header>` +
    `<div class="markdown-body">${body}</div></article>`
  );
}

export function reportPage(record: DemoRecord): string {
  const origin = record.startedAt;
  const ids = new Map<RecordedStep, string>();
  record.lanes.forEach((lane) => lane.steps.forEach((step, index) => ids.set(step, `step-${lane.name}-${index + 1}`)));
  const hrefOf = (step: RecordedStep) => ids.get(step) ?? '';
  const window = chartWindow(origin, record.finishedAt, record.lanes);
  const allAsExpected = record.verdicts.length > 0 && record.verdicts.every((verdict) => verdict.ok);
  const charts = record.lanes.map((lane) => chartFigure(lane, window, hrefOf)).join('');
  const verdicts = record.verdicts
    .map(({ what, ok, detail }) => `<li class="${ok ? 'ok' : 'bad'}"><b>${escapeHtml(what)}</b>: ${escapeHtml(detail)}</li>`)
    .join('');
  const summaries = record.lanes
    .map((lane) => `<h3>${escapeHtml(lane.title)}</h3>${lane.steps.map((step) => stepArticle(step, hrefOf(step), origin)).join('')}`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ECS deploy suite demo: report</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<main>
<h1>ECS deploy suite demo</h1>
<p class="meta">${escapeHtml(new Date(origin).toISOString())}, ${seconds(record.finishedAt - origin)} ·
<b class="outcome ${allAsExpected ? 'ok' : 'bad'}">${allAsExpected ? 'every step behaved as expected' : 'some step did not behave as expected'}</b></p>
<h2>Traffic through the load balancer</h2>
${LEGEND_HTML}
${charts}
<h2>Verdicts</h2>
<ul class="verdicts">${verdicts}</ul>
<h2>Job summaries</h2>
${summaries}
</main>
</body>
</html>
`;
}

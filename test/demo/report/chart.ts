/**
 * One lane's chart as inline SVG: requests a second through the load balancer over the demo's time, failed ones
 * in red, with the lane's deploys, stage changes, verdicts and rollbacks marked, and its steps in a strip below.
 * The svg element carries its geometry (plot edges, the seconds shown) so a test can check where a mark was drawn.
 */
import type { RecordedLane, RecordedStep } from '../record';
import { axesSvg } from './chart-axes';
import { barsSvg } from './chart-bars';
import { frameFor } from './chart-frame';
import { marksSvg, type PlacedMark } from './chart-marks';
import { stepsSvg } from './chart-steps';
import { escapeHtml } from './escape';
import { marksOf } from './marks';
import { perSecond } from './per-second';

/** The stretch a chart shows, in whole seconds since `origin` (the demo's start): its first step or request to its end. */
export interface ChartWindow {
  origin: number;
  start: number;
  end: number;
}

/** The window from `origin` (whole seconds) that shows every step and request of `lanes`, up to `finishedAt`. */
export function chartWindow(origin: number, finishedAt: number, lanes: readonly RecordedLane[]): ChartWindow {
  const moments = lanes.flatMap((lane) => [
    ...lane.steps.map((step) => step.startedAt),
    ...lane.traffic.flatMap((stretch) => stretch.sentAt),
  ]);
  const first = moments.length > 0 ? Math.min(...moments) : origin;
  const end = Math.max(1, Math.ceil((finishedAt - origin) / 1000));
  return { origin, start: Math.min(end - 1, Math.max(0, Math.floor((first - origin) / 1000) - 1)), end };
}

export function laneChartSvg(lane: RecordedLane, window: ChartWindow, hrefOf: (step: RecordedStep) => string): string {
  const { origin, start, end } = window;
  const traffic = perSecond(lane.traffic, origin, end);
  const frame = frameFor(start, end, Math.max(0, ...traffic.map((second) => second.sent)));
  const stepsByTitle = new Map(lane.steps.map((step) => [step.title, step]));
  const sinceOrigin = (at: number) => (at - origin) / 1000;
  const marks: PlacedMark[] = marksOf(lane.steps).map((mark) => ({
    ...mark,
    seconds: sinceOrigin(mark.at),
    untilSeconds: mark.until === undefined ? undefined : sinceOrigin(mark.until),
    href: hrefOf(stepsByTitle.get(mark.step) as RecordedStep),
  }));
  const sent = traffic.reduce((sum, second) => sum + second.sent, 0);
  const failed = traffic.reduce((sum, second) => sum + second.failed, 0);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${frame.width} ${frame.height}" role="img" ` +
    `aria-label="${escapeHtml(`${lane.title}: ${sent} requests, ${failed} failed`)}" data-lane="${escapeHtml(lane.name)}" ` +
    `data-origin="${origin}" data-start="${start}" data-end="${end}" data-plot-left="${frame.left}" data-plot-right="${frame.right}" ` +
    `data-width="${frame.width}">` +
    axesSvg(frame) +
    barsSvg(frame, traffic) +
    marksSvg(frame, marks) +
    stepsSvg(frame, lane.steps, origin, hrefOf) +
    '</svg>'
  );
}

/** The chart's grid and axes: requests a second up the left, seconds since the demo started along the
 * bottom. */
import type { Frame } from './chart-frame';
import { ticks } from './scale';

export function axesSvg(frame: Frame): string {
  const { left, right, top, bottom, x, y } = frame;
  const rows = ticks(0, frame.maxPerSecond, 4).map(
    (value) =>
      `<line class="grid" x1="${left}" x2="${right}" y1="${y(value)}" y2="${y(value)}"/>` +
      `<text class="axis-label" x="${left - 6}" y="${y(value) + 4}" text-anchor="end">${value}</text>`,
  );
  const columns = ticks(frame.start, frame.end, 12).map(
    (second) =>
      `<line class="tick" x1="${x(second)}" x2="${x(second)}" y1="${bottom}" y2="${bottom + 4}"/>` +
      `<text class="axis-label" x="${x(second)}" y="${bottom + 15}" text-anchor="middle">${second}s</text>`,
  );
  const title = `<text class="axis-title" x="${left - 36}" y="${(top + bottom) / 2}" transform="rotate(-90 ${left - 36} ${(top + bottom) / 2})" text-anchor="middle">requests/s</text>`;
  return `<g class="axes">${rows.join('')}${columns.join('')}<line class="axis" x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}"/>${title}</g>`;
}

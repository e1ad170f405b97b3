/** One bar a second: the requests that were answered, with the ones that failed stacked red at its foot. */
import type { Frame } from './chart-frame';
import type { Second } from './per-second';

export function barsSvg(frame: Frame, seconds: readonly Second[]): string {
  const { x, y, bottom } = frame;
  const width = Math.max(1, x(1) - x(0) - 1);
  const bars = seconds
    .filter(({ sent }) => sent > 0)
    .map(({ second, sent, failed }) => {
      const served = sent - failed;
      const failedTop = y(failed);
      const failedBar =
        failed > 0 ? `<rect class="failed" x="${x(second)}" y="${failedTop}" width="${width}" height="${bottom - failedTop}"/>` : '';
      const servedBar =
        served > 0 ? `<rect class="served" x="${x(second)}" y="${y(sent)}" width="${width}" height="${failedTop - y(sent)}"/>` : '';
      return (
        `<g class="second" data-second="${second}" data-sent="${sent}" data-failed="${failed}">` +
        `<title>${second}s to ${second + 1}s: ${sent} sent, ${failed} failed</title>${servedBar}${failedBar}</g>`
      );
    });
  return `<g class="traffic">${bars.join('')}</g>`;
}

/**
 * The marks over the traffic: deploys and rollbacks as lines across the plot (a rollback's step as a band), verdicts
 * as diamonds, stage changes as ticks at its foot. Each carries its kind, moment (seconds since the origin) and
 * label as data attributes, and links to the job summary of the step it comes from.
 */
import type { Frame } from './chart-frame';
import { escapeHtml, linked } from './escape';
import type { Mark } from './marks';

/** A rough width of label text at the chart's font size, to keep labels in a row from overlapping. */
const CHARACTER_WIDTH = 6.2;
const ROW: Record<Mark['kind'], number> = { deploy: 0, verdict: 1, rollback: 2, stage: -1 };

export interface PlacedMark extends Mark {
  /** Seconds since the origin. */
  seconds: number;
  untilSeconds?: number;
  /** The id of the step's job summary on the page; empty on a page without summaries. */
  href: string;
}

function shape(frame: Frame, mark: PlacedMark): string {
  const { top, bottom, x } = frame;
  const at = x(mark.seconds);
  switch (mark.kind) {
    case 'deploy':
      return `<line class="mark-line" x1="${at}" x2="${at}" y1="${frame.labelRow(0) + 3}" y2="${bottom}"/>`;
    case 'rollback': {
      const until = x(mark.untilSeconds ?? mark.seconds);
      return (
        `<rect class="mark-band" x="${at}" y="${top}" width="${Math.max(2, until - at)}" height="${bottom - top}"/>` +
        `<line class="mark-line" x1="${at}" x2="${at}" y1="${frame.labelRow(2) + 3}" y2="${bottom}"/>`
      );
    }
    case 'verdict': {
      const cy = frame.labelRow(1) - 4;
      return (
        `<path class="mark-diamond" d="M${at} ${cy - 5}L${at + 5} ${cy}L${at} ${cy + 5}L${at - 5} ${cy}Z"/>` +
        `<line class="mark-line" x1="${at}" x2="${at}" y1="${cy + 5}" y2="${bottom}"/>`
      );
    }
    case 'stage':
      return `<line class="mark-tick" x1="${at}" x2="${at}" y1="${bottom - 8}" y2="${bottom + 2}"/>`;
  }
}

function dataOf(mark: PlacedMark): string {
  const attributes: Record<string, string | undefined> = {
    'data-kind': mark.kind,
    'data-at': mark.seconds.toFixed(3),
    'data-until': mark.untilSeconds?.toFixed(3),
    'data-label': mark.label,
    'data-step': mark.step,
    'data-ok': mark.ok === undefined ? undefined : String(mark.ok),
  };
  return Object.entries(attributes)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}="${escapeHtml(value ?? '')}"`)
    .join(' ');
}

export function marksSvg(frame: Frame, marks: readonly PlacedMark[]): string {
  // Each row's labels run left to right; one that would overlap the previous starts after it.
  const rowEnds = new Map<number, number>();
  // Stage ticks first, so the lines and diamonds are drawn over them.
  const ordered = [...marks.filter((mark) => mark.kind === 'stage'), ...marks.filter((mark) => mark.kind !== 'stage')];
  const drawn = ordered.map((mark) => {
    const row = ROW[mark.kind];
    const text = row >= 0 ? mark.label : undefined;
    let label = '';
    if (text !== undefined) {
      const width = text.length * CHARACTER_WIDTH;
      const gap = mark.kind === 'verdict' ? 8 : 4;
      const after = Math.max(frame.x(mark.seconds) + gap, rowEnds.get(row) ?? -Infinity);
      // Near the right edge a label goes on the mark's left instead, if the row has room there.
      const before = frame.x(mark.seconds) - gap - width;
      const start = after + width > frame.width && before >= (rowEnds.get(row) ?? -Infinity) ? before : after;
      rowEnds.set(row, start + width + 8);
      label = `<text class="mark-label" x="${start}" y="${frame.labelRow(row)}">${escapeHtml(text)}</text>`;
    }
    const outcome = mark.ok === undefined ? '' : mark.ok ? ' ok' : ' bad';
    return linked(
      mark.href,
      `<g class="mark mark-${mark.kind}${outcome}" ${dataOf(mark)}>` +
        `<title>${escapeHtml(`${mark.step}: ${mark.label} at ${mark.seconds.toFixed(1)}s`)}</title>${shape(frame, mark)}${label}</g>`,
    );
  });
  return `<g class="marks">${drawn.join('')}</g>`;
}

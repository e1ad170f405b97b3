/** The strip under the axis: each step of the lane as a span of time, green when it succeeded and red when it failed. */
import type { RecordedStep } from '../record';
import type { Frame } from './chart-frame';
import { escapeHtml, linked } from './escape';

const CHARACTER_WIDTH = 6;

export function stepsSvg(frame: Frame, steps: readonly RecordedStep[], origin: number, hrefOf: (step: RecordedStep) => string): string {
  const { top, height } = frame.stepStrip;
  const spans = steps.map((step) => {
    const start = frame.x((step.startedAt - origin) / 1000);
    const width = Math.max(2, frame.x((step.finishedAt - origin) / 1000) - start);
    const fits = step.title.length * CHARACTER_WIDTH + 6 <= width;
    const label = fits ? `<text class="step-label" x="${start + 3}" y="${top + height - 5}">${escapeHtml(step.title)}</text>` : '';
    const seconds = ((step.finishedAt - step.startedAt) / 1000).toFixed(1);
    return linked(
      hrefOf(step),
      `<g class="step-span ${step.exitCode === 0 ? 'ok' : 'bad'}" data-step="${escapeHtml(step.title)}">` +
        `<title>${escapeHtml(`${step.title} (${step.action}): ${step.exitCode === 0 ? 'succeeded' : 'failed'} in ${seconds}s`)}</title>` +
        `<rect x="${start}" y="${top}" width="${width}" height="${height}" rx="2"/>${label}</g>`,
    );
  });
  return `<g class="steps">${spans.join('')}</g>`;
}

/** Where a lane's chart draws what: the plot, the rows of labels above it and the strip of steps below it. */
import { linearScale, niceCeiling, type Scale } from './scale';

export const WIDTH = 1000;
const LEFT = 48;
const RIGHT = 16;
/** Three rows of labels above the plot: deploys, verdicts, rollbacks. */
const LABEL_ROWS = 3;
const ROW_HEIGHT = 15;
const PLOT_HEIGHT = 150;
/** Below the plot: the time axis, then the strip of steps. */
const AXIS_HEIGHT = 22;
const STEP_STRIP_HEIGHT = 18;

export interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
  /** The baseline of label row `row` (0: deploys, 1: verdicts, 2: rollbacks). */
  labelRow: (row: number) => number;
  stepStrip: { top: number; height: number };
  /** The stretch of the demo shown, in seconds since it started. */
  start: number;
  end: number;
  maxPerSecond: number;
  /** Seconds since the origin to x. */
  x: Scale;
  /** Requests a second to y. */
  y: Scale;
}

export function frameFor(start: number, end: number, busiestSecond: number): Frame {
  const top = LABEL_ROWS * ROW_HEIGHT + 8;
  const bottom = top + PLOT_HEIGHT;
  // Up to the next of about four round steps above the busiest second: 26 requests make an axis to 30, not 50.
  const step = niceCeiling(Math.max(busiestSecond, 1) / 4);
  const maxPerSecond = Math.ceil(Math.max(busiestSecond, 1) / step) * step;
  const stepTop = bottom + AXIS_HEIGHT;
  return {
    width: WIDTH,
    height: stepTop + STEP_STRIP_HEIGHT + 4,
    left: LEFT,
    right: WIDTH - RIGHT,
    top,
    bottom,
    labelRow: (row) => (row + 1) * ROW_HEIGHT - 3,
    stepStrip: { top: stepTop, height: STEP_STRIP_HEIGHT },
    start,
    end,
    maxPerSecond,
    x: linearScale([start, end], [LEFT, WIDTH - RIGHT]),
    y: linearScale([0, maxPerSecond], [bottom, top]),
  };
}

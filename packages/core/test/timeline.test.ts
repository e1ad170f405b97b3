import { describe, expect, test } from '@jest/globals';
import { renderTimeline } from '../src/report/timeline';

describe('renderTimeline', () => {
  const origin = Date.UTC(2026, 0, 1, 12, 0, 0);

  test('oldest first, with seconds since the origin', () => {
    const lines = renderTimeline(origin, [
      { at: origin + 65_250, text: 'rollout completed' },
      { at: origin, text: 'UpdateService called' },
      { at: origin + 1_200, text: 'task started' },
    ]);
    expect(lines).toEqual(['+   0.0s  UpdateService called', '+   1.2s  task started', '+  65.3s  rollout completed']);
  });

  test('entries at the same moment keep the order given', () => {
    const lines = renderTimeline(origin, [
      { at: origin + 500, text: 'first' },
      { at: origin + 500, text: 'second' },
    ]);
    expect(lines).toEqual(['+   0.5s  first', '+   0.5s  second']);
  });

  test('offsets line up until they reach 1000 s', () => {
    const lines = renderTimeline(origin, [
      { at: origin + 9_000, text: 'a' },
      { at: origin + 999_900, text: 'b' },
    ]);
    expect(lines.map((line) => line.indexOf('s  '))).toEqual([7, 7]);
  });

  test('does not reorder the entries it was given', () => {
    const entries = [
      { at: origin + 2_000, text: 'later' },
      { at: origin + 1_000, text: 'earlier' },
    ];
    renderTimeline(origin, entries);
    expect(entries.map((e) => e.text)).toEqual(['later', 'earlier']);
  });

  test('no entries, no lines', () => {
    expect(renderTimeline(origin, [])).toEqual([]);
  });
});

import { describe, expect, test } from '@jest/globals';
import { formatDuration, parseDuration } from '../src/common/duration';

describe('parseDuration', () => {
  test.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['2h5m10s', 7_510_000],
    ['500ms', 500],
    ['1s500ms', 1_500],
    ['1.5h', 5_400_000],
    ['0.5s', 500],
    ['90', 90_000],
    ['1.5', 1_500],
    ['0', 0],
    ['15M', 900_000],
    ['  30s  ', 30_000],
  ])('%j -> %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  test.each(['abc', '10 minutes', '-5s', '', '   ', '-5', 's', '5x', '1h 30m', '1.s', '.5s', '5d', '1,5'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  test('"m" is minutes and "ms" milliseconds, not the other way round', () => {
    expect(parseDuration('1m')).toBe(60_000);
    expect(parseDuration('1ms')).toBe(1);
    expect(parseDuration('1m1ms')).toBe(60_001);
  });
});

describe('formatDuration', () => {
  test.each([
    [0, '0ms'],
    [250, '250ms'],
    [999.4, '999ms'],
    [1_000, '1s'],
    [1_500, '1.5s'],
    [45_000, '45s'],
    [59_000, '59s'],
    [60_000, '1m'],
    [90_000, '1m30s'],
    [900_000, '15m'],
    [3_600_000, '60m'],
    [5_400_000, '90m'],
  ])('%d ms -> %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  test.each([500, 1_000, 1_500, 30_000, 90_000, 900_000, 5_400_000])('%d ms reads back through parseDuration', (ms) => {
    expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});

describe('formatDuration never shows an impossible value', () => {
  test.each([
    [59_960, '1m'],
    [59_940, '59.9s'],
    [119_500, '2m'],
    [3_599_600, '60m'],
    [61_000, '1m1s'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

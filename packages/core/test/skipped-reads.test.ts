import { describe, expect, test } from '@jest/globals';
import { silentLogger } from '../src/common/logger';
import { SkippedReads } from '../src/common/skipped-reads';

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });

describe('SkippedReads.intervalAfter', () => {
  test('the usual interval after a round that read', () => {
    const skipped = new SkippedReads(silentLogger());
    expect(skipped.intervalAfter(1000)).toBe(1000);
    skipped.skip(throttled());
    skipped.read();
    expect(skipped.intervalAfter(1000)).toBe(1000);
  });

  test('300 ms after one skipped round, 600 ms after two, the usual interval from the third on', () => {
    const skipped = new SkippedReads(silentLogger());
    const waits = [1, 2, 3, 4].map(() => {
      skipped.skip(throttled());
      return skipped.intervalAfter(2000);
    });
    expect(waits).toEqual([300, 600, 2000, 2000]);
  });

  test('never longer than the loop asks for', () => {
    const skipped = new SkippedReads(silentLogger());
    skipped.skip(throttled());
    skipped.skip(throttled());
    expect(skipped.intervalAfter(200)).toBe(200);
  });
});

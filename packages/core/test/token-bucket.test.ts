import { describe, expect, test } from '@jest/globals';
import { TokenBucket } from '../src/common/token-bucket';
import { fakeClock } from './support/fake-clock';

describe('TokenBucket', () => {
  test('the burst goes at once, each call after it a second later (plus the margin), in the order asked', async () => {
    const clock = fakeClock(0);
    const bucket = new TokenBucket({ burst: 3, perSecond: 1 }, clock, 250);
    const at: number[] = [];

    await Promise.all(Array.from({ length: 5 }, () => bucket.take().then(() => at.push(clock.now()))));

    expect(at).toEqual([0, 0, 0, 1250, 2250]);
  });

  test('a bucket left alone fills up to its burst, never beyond', async () => {
    const clock = fakeClock(0);
    const bucket = new TokenBucket({ burst: 2, perSecond: 1 }, clock, 0);
    await bucket.take();
    await bucket.take();
    clock.advance(60_000);
    const at: number[] = [];

    await Promise.all(Array.from({ length: 3 }, () => bucket.take().then(() => at.push(clock.now()))));

    expect(at).toEqual([60_000, 60_000, 61_000]);
  });
});

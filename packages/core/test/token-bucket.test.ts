import { describe, expect, test } from '@jest/globals';
import { TokenBucket } from '../src/common/token-bucket';
import { fakeClock } from './support/fake-clock';

describe('TokenBucket', () => {
  test('the burst goes at once, each call after it a second later, in the order asked', async () => {
    const clock = fakeClock(0);
    const bucket = new TokenBucket({ burst: 3, perSecond: 1 }, clock);
    const at: number[] = [];

    await Promise.all(Array.from({ length: 5 }, () => bucket.take().then((answered) => (at.push(clock.now()), answered()))));

    expect(at).toEqual([0, 0, 0, 1000, 2000]);
  });

  test('no token is earned while a call is in flight: the refill counts from its answer, as AWS counted it by then', async () => {
    const clock = fakeClock(0);
    const bucket = new TokenBucket({ burst: 1, perSecond: 1 }, clock);
    const answered = await bucket.take();
    clock.advance(700);
    answered();

    await bucket.take();

    expect(clock.now()).toBe(1700);
  });

  test('a bucket left alone fills up to its burst, never beyond', async () => {
    const clock = fakeClock(0);
    const bucket = new TokenBucket({ burst: 2, perSecond: 1 }, clock);
    (await bucket.take())();
    (await bucket.take())();
    clock.advance(60_000);
    const at: number[] = [];

    await Promise.all(Array.from({ length: 3 }, () => bucket.take().then((answered) => (at.push(clock.now()), answered()))));

    expect(at).toEqual([60_000, 60_000, 61_000]);
  });
});

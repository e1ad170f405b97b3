import { describe, expect, test } from '@jest/globals';
import { ConfigurationError } from '../src/common/errors';
import { silentLogger } from '../src/common/logger';
import { parseExpectedStatus } from '../src/health/expected-status';
import { assertReachable, type HealthPlan } from '../src/health/health-plan';
import type { ProbeAnswer } from '../src/health/http-probe';
import type { SignalReading } from '../src/health/signals';
import { verifyHealth } from '../src/health/verify-health';
import { fakeClock } from './support/fake-clock';

const START = Date.UTC(2026, 0, 1);
const URL_A = 'http://web.test/health';

function plan(overrides: Partial<HealthPlan> = {}): HealthPlan {
  return {
    urls: [URL_A],
    expectedStatus: parseExpectedStatus('200-299'),
    warmupMs: 0,
    intervalMs: 2_000,
    timeoutMs: 60_000,
    successThreshold: 3,
    failureThreshold: 3,
    bakeMs: 0,
    ...overrides,
  };
}

/**
 * One letter a round: P passes (200), F answers 500, R is refused, S answers 200 slowly (1500 ms); a number is
 * a 200 taking that many ms. Each answer advances the fake clock by its latency; past the end the last repeats.
 */
function scripted(clock: ReturnType<typeof fakeClock>, script: (string | number)[]) {
  let round = 0;
  return async (url: string): Promise<ProbeAnswer> => {
    const step = script[Math.min(round++, script.length - 1)];
    const latencyMs = typeof step === 'number' ? step : step === 'S' ? 1_500 : 20;
    clock.advance(latencyMs);
    if (step === 'R') return { url, body: '', latencyMs, error: 'connection refused by web.test:80: nothing is listening there (yet)' };
    if (step === 'F') return { url, status: 500, body: '{"error":"boom"}', latencyMs };
    return { url, status: 200, body: '{"status":"ok"}', latencyMs };
  };
}

const seq = (text: string) => text.split('');

describe('verifyHealth decides from consecutive rounds', () => {
  test.each([
    { name: 'healthy from the start', script: seq('PPP'), overrides: {}, verdict: 'healthy', rounds: 3, failures: 0 },
    {
      name: 'a failing release is lost after failure-threshold rounds',
      script: seq('FFF'),
      overrides: {},
      verdict: 'unhealthy',
      rounds: 3,
      failures: 3,
    },
    { name: 'one failure resets the passing streak', script: seq('PPFPPP'), overrides: {}, verdict: 'healthy', rounds: 6, failures: 1 },
    {
      name: 'flapping never reaches success-threshold nor failure-threshold: timed out',
      script: seq('PPFPPFPPFPPFPPFPPFPPFPPFPPFPPFPPF'),
      overrides: { timeoutMs: 60_000 },
      verdict: 'timed-out',
      rounds: 31,
      failures: 10,
    },
    {
      name: 'refused during warm-up does not count, then healthy',
      script: seq('RRRRRPPP'),
      overrides: { warmupMs: 10_000 },
      verdict: 'healthy',
      rounds: 8,
      failures: 5,
    },
    {
      name: 'the same refusals without warm-up are unhealthy',
      script: seq('RRRRRPPP'),
      overrides: {},
      verdict: 'unhealthy',
      rounds: 3,
      failures: 3,
    },
    {
      name: 'failures right after warm-up count',
      script: seq('RRRRRRRR'),
      overrides: { warmupMs: 5_000 },
      verdict: 'unhealthy',
      rounds: 6,
      failures: 6,
    },
    {
      name: 'success-threshold 1 wins on the first pass',
      script: seq('FP'),
      overrides: { successThreshold: 1 },
      verdict: 'healthy',
      rounds: 2,
      failures: 1,
    },
  ])('$name', async ({ script, overrides, verdict, rounds, failures }) => {
    const clock = fakeClock(START);
    const report = await verifyHealth(plan(overrides), { probe: scripted(clock, script), clock });
    expect(report.verdict).toBe(verdict);
    expect(report.healthy).toBe(verdict === 'healthy');
    expect(report.rounds).toBe(rounds);
    expect(report.checks).toBe(rounds);
    expect(report.failures).toBe(failures);
  });

  test('health is won at the round that completes the streak, and the summary facts say when', async () => {
    const clock = fakeClock(START);
    const report = await verifyHealth(plan(), { probe: scripted(clock, seq('FPPP')), clock });
    // Rounds at 0, 2.02s, 4.04s, 6.06s: each 20 ms answer, then a 2 s pause.
    expect(report.wonAt).toBe(START + 3 * 2_020);
    expect(report.lostAt).toBeUndefined();
    expect(report.explanation).toMatch(/^Healthy 6\.1s in: 3 passing rounds in a row on http:\/\/web\.test\/health, p95 latency 20ms\.$/);
    expect(report.timeline.map((e) => e.text)).toEqual([
      'round 1 failed: http://web.test/health: status 500, expected 200-299',
      'round 2 passed',
      'health won: 3 passing rounds in a row',
    ]);
  });

  test('an unhealthy verdict names what failed', async () => {
    const clock = fakeClock(START);
    const report = await verifyHealth(plan(), { probe: scripted(clock, seq('PFFF')), clock });
    expect(report.lostAt).toBe(START + 3 * 2_020);
    expect(report.explanation).toBe(
      'Unhealthy 6.1s in, after 3 failing rounds in a row: http://web.test/health: status 500, expected 200-299.',
    );
  });

  test('the timeout verdict says how far the best streak got', async () => {
    const clock = fakeClock(START);
    const report = await verifyHealth(plan({ timeoutMs: 20_000 }), { probe: scripted(clock, seq('PPF'.repeat(20))), clock });
    expect(report.verdict).toBe('timed-out');
    expect(report.explanation).toMatch(
      /^Not healthy within the timeout of 20s: the longest run was 2 passing round\(s\) of the 3 needed\./,
    );
    expect(clock.now() - START).toBeLessThanOrEqual(20_000 + 20);
  });

  test('every URL is probed each round and one failing URL fails the round', async () => {
    const clock = fakeClock(START);
    const seen: string[] = [];
    const probe = async (url: string): Promise<ProbeAnswer> => {
      seen.push(url);
      return url.endsWith('/b') ? { url, status: 503, body: 'down', latencyMs: 5 } : { url, status: 200, body: 'ok', latencyMs: 5 };
    };
    const report = await verifyHealth(plan({ urls: ['http://x.test/a', 'http://x.test/b'] }), { probe, clock });
    expect(report.verdict).toBe('unhealthy');
    expect(seen).toEqual([
      'http://x.test/a',
      'http://x.test/b',
      'http://x.test/a',
      'http://x.test/b',
      'http://x.test/a',
      'http://x.test/b',
    ]);
    expect(report.urls.map((u) => [u.url, u.checks, u.failures])).toEqual([
      ['http://x.test/a', 3, 0],
      ['http://x.test/b', 3, 3],
    ]);
  });

  test('body-contains fails an answer whose body lacks the text', async () => {
    const clock = fakeClock(START);
    const report = await verifyHealth(plan({ bodyContains: '"version":"v2"' }), { probe: scripted(clock, seq('P')), clock });
    expect(report.verdict).toBe('unhealthy');
    expect(report.explanation).toContain('status 200 but the body does not contain "\\"version\\":\\"v2\\""'.replace(/\\"/g, '"'));
  });
});

describe('bake', () => {
  test.each([
    { name: 'a new run of failures during bake loses health', script: seq('PPPPPFFF'), verdict: 'unhealthy', lostIn: 'bake' },
    {
      name: 'a blip shorter than failure-threshold during bake is tolerated',
      script: seq('PPPPFFPFFPPPPPPPPPPPPPPPPP'),
      verdict: 'healthy',
      lostIn: undefined,
    },
    { name: 'a steady bake stays healthy', script: seq('P'), verdict: 'healthy', lostIn: undefined },
  ])('$name', async ({ script, verdict, lostIn }) => {
    const clock = fakeClock(START);
    const report = await verifyHealth(plan({ bakeMs: 40_000 }), { probe: scripted(clock, script), clock });
    expect(report.verdict).toBe(verdict);
    expect(report.lostIn).toBe(lostIn);
    expect(report.wonAt).toBe(START + 2 * 2_020);
    if (verdict === 'healthy') {
      // Bake rounds run until 40 s after health was won, no longer.
      expect(clock.now() - (report.wonAt as number)).toBeGreaterThanOrEqual(40_000);
      expect(clock.now() - (report.wonAt as number)).toBeLessThan(40_000 + 2_100);
      expect(report.explanation).toMatch(/It stayed healthy through the 40s bake\.$/);
    } else {
      expect(report.explanation).toMatch(/^Health was won 4s in but lost 14\.1s in, during the 40s bake, after 3 failing rounds in a row/);
    }
  });

  test('without bake the check ends the moment health is won', async () => {
    const clock = fakeClock(START);
    const report = await verifyHealth(plan(), { probe: scripted(clock, seq('P')), clock });
    expect(report.finishedAt).toBe(report.wonAt! + 20);
    expect(report.rounds).toBe(3);
  });
});

describe('max-latency-ms judges the p95 of a window, not one answer', () => {
  const fast = Array<number>(30).fill(40);

  test('one very slow answer among fast ones stays healthy', async () => {
    const clock = fakeClock(START);
    const script = [...fast.slice(0, 4), 5_000, ...fast];
    const report = await verifyHealth(plan({ maxLatencyMs: 500, timeoutMs: 120_000 }), { probe: scripted(clock, script), clock });
    expect(report.verdict).toBe('healthy');
    // Health needs a window of 20 answers before the p95 means anything.
    expect(report.rounds).toBe(20);
    expect(report.urls[0].latencies).toContain(5_000);
  });

  test('answers steadily slower than the limit fail once the window can be judged', async () => {
    const clock = fakeClock(START);
    const report = await verifyHealth(plan({ maxLatencyMs: 1_000, timeoutMs: 120_000 }), { probe: scripted(clock, seq('S')), clock });
    expect(report.verdict).toBe('unhealthy');
    expect(report.rounds).toBe(22);
    expect(report.explanation).toContain('p95 latency 1500ms over the last 20 answers exceeds max-latency-ms 1000');
    expect(report.p95LatencyMs).toBe(1_500);
  });

  test('a slow start that recovers wins once the slow answers leave the window', async () => {
    const clock = fakeClock(START);
    const script = [...Array<number>(2).fill(1_500), ...fast];
    const report = await verifyHealth(plan({ maxLatencyMs: 1_000, failureThreshold: 5, timeoutMs: 120_000 }), {
      probe: scripted(clock, script),
      clock,
    });
    // Round 20 judges 2 slow answers of 20 (10%): p95 slow, the round fails. From round 21 one slow answer of 20
    // is 5%, which the p95 leaves out: rounds 21-23 pass.
    expect(report.verdict).toBe('healthy');
    expect(report.rounds).toBe(23);
    expect(report.failures).toBe(0);
  });
});

describe('signals from ECS, targets and alarms', () => {
  const reading = (source: string, passed: boolean, detail: string, fatal = false): SignalReading => ({ source, passed, detail, fatal });

  test('unhealthy targets keep health from being won even when the URL passes', async () => {
    const clock = fakeClock(START);
    const signals = async () => [
      reading('target group web', false, '1 of 2 targets not healthy: 10.0.0.7:8080 unhealthy (Target.ResponseCodeMismatch)'),
    ];
    const report = await verifyHealth(plan(), { probe: scripted(clock, seq('P')), signals, clock });
    expect(report.verdict).toBe('unhealthy');
    expect(report.explanation).toContain(
      'target group web: 1 of 2 targets not healthy: 10.0.0.7:8080 unhealthy (Target.ResponseCodeMismatch)',
    );
    expect(report.lastSignals).toHaveLength(1);
  });

  test('an alarm in ALARM during bake ends the check at once', async () => {
    const clock = fakeClock(START);
    let round = 0;
    const signals = async () => [
      ++round === 6 ? reading('alarm web-5xx', false, 'in ALARM: threshold crossed', true) : reading('alarm web-5xx', true, 'OK'),
    ];
    const report = await verifyHealth(plan({ bakeMs: 60_000 }), { probe: scripted(clock, seq('P')), signals, clock });
    expect(report.verdict).toBe('unhealthy');
    expect(report.lostIn).toBe('bake');
    expect(report.rounds).toBe(6);
    expect(report.explanation).toContain('because alarm web-5xx is in ALARM');
  });

  test('an alarm in ALARM fails even during warm-up', async () => {
    const clock = fakeClock(START);
    const signals = async () => [reading('alarm web-5xx', false, 'in ALARM: threshold crossed', true)];
    const report = await verifyHealth(plan({ warmupMs: 30_000 }), { probe: scripted(clock, seq('R')), signals, clock });
    expect(report.verdict).toBe('unhealthy');
    expect(report.rounds).toBe(1);
  });
});

describe('signals that could not be read', () => {
  const unread = (source: string): SignalReading => ({
    source,
    passed: false,
    unread: true,
    error: Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }),
    detail: 'not read this round (ThrottlingException: Rate exceeded)',
  });
  const ok = (source: string): SignalReading => ({ source, passed: true, detail: 'steady' });
  /** One letter a round: R read (passing), U unread; past the end the last repeats. */
  const signalScript = (script: string) => {
    let round = 0;
    return async () => [script[Math.min(round++, script.length - 1)] === 'U' ? unread('service web') : ok('service web')];
  };

  test('an unread signal is not an unhealthy one: health is won once every signal was read within the passing streak', async () => {
    const clock = fakeClock(START);
    const report = await verifyHealth(plan(), { probe: scripted(clock, seq('P')), signals: signalScript('UUUUUR'), clock });
    expect(report.verdict).toBe('healthy');
    expect(report.rounds).toBe(6);
    expect(report.unreadRounds).toBe(5);
    expect(report.failures).toBe(0);
    // The verdict says that rounds lacked the signals.
    expect(report.explanation).toContain(
      'The AWS signals could not all be read in 5 of 6 rounds (throttled or failing); a passing streak wins health only once every signal was read within it.',
    );
  });

  test('an unread round carries the passing streak on when the signal was read within it', async () => {
    const clock = fakeClock(START);
    const report = await verifyHealth(plan(), { probe: scripted(clock, seq('P')), signals: signalScript('RUU'), clock });
    expect(report.verdict).toBe('healthy');
    expect(report.rounds).toBe(3);
    // The summary's state at the end: the latest reading, not "not read".
    expect(report.lastSignals).toEqual([ok('service web')]);
  });

  test('failing targets that are read only now and then are never called healthy: the unread rounds between do not end the failing streak', async () => {
    const clock = fakeClock(START);
    let round = 0;
    const failing: SignalReading = { source: 'target group web-tg', passed: false, detail: '0 of 2 targets healthy' };
    const signals = async () => [round++ % 2 === 0 ? failing : unread('target group web-tg')];
    const report = await verifyHealth(plan(), { probe: scripted(clock, seq('P')), signals, clock });
    expect(report.verdict).toBe('unhealthy');
    expect(report.rounds).toBe(5);
    expect(report.explanation).toContain('target group web-tg: 0 of 2 targets healthy');
  });

  test('a URL that passes again ends its failing streak, although another signal is unread', async () => {
    const clock = fakeClock(START);
    const report = await verifyHealth(plan({ timeoutMs: 20_000 }), {
      probe: scripted(clock, seq('FPFPFPFPFPFPFPFPFPFP')),
      signals: signalScript('UUUUUUUUUUUUUUUUUUUUUU'),
      clock,
    });
    expect(report.verdict).toBe('timed-out');
  });

  test('signals never read: no verdict of health, the timeout says why, and one warning says the reads are throttled', async () => {
    const clock = fakeClock(START);
    const log = silentLogger();
    const report = await verifyHealth(plan({ timeoutMs: 30_000 }), {
      probe: scripted(clock, seq('P')),
      signals: signalScript('U'),
      clock,
      log,
    });
    expect(report.verdict).toBe('timed-out');
    expect(report.explanation).toContain('passing rounds, but not with every AWS signal read within them.');
    expect(report.explanation).toContain('Last round: service web: not read this round (ThrottlingException: Rate exceeded).');
    expect(report.explanation).toMatch(/The AWS signals could not all be read in (\d+) of \1 rounds \(throttled or failing\)/);
    expect(log.lines.filter((line) => line.startsWith('warning:'))).toEqual([expect.stringContaining('is throttling (or failing)')]);
    expect(log.lines).toContainEqual(
      expect.stringMatching(/^\? round 1 \+0ms \(a signal was not read\): .* — service web: not read this round/),
    );
  });

  test('failing probes still lose health while a signal is unread, and the verdict names what was not read', async () => {
    const clock = fakeClock(START);
    const report = await verifyHealth(plan(), { probe: scripted(clock, seq('F')), signals: signalScript('U'), clock });
    expect(report.verdict).toBe('unhealthy');
    expect(report.rounds).toBe(3);
    expect(report.explanation).toContain(`${URL_A}: status 500, expected 200-299; service web: not read this round`);
  });
});

describe('assertReachable', () => {
  test.each([
    [
      { timeoutMs: 5_000 },
      /timeout' is 5s, shorter than the check can ever take to decide: warmup 0ms \+ 3 rounds × interval 2s = 6s\. Set timeout to at least 6s/,
    ],
    [{ timeoutMs: 30_000, warmupMs: 30_000 }, /warmup 30s \+ 3 rounds × interval 2s = 36s/],
    [{ timeoutMs: 30_000, failureThreshold: 20 }, /20 rounds × interval 2s = 40s/],
    [
      { timeoutMs: 30_000, maxLatencyMs: 200 },
      /20 rounds \(max-latency-ms needs 20 rounds for a p95 one slow answer cannot decide\) × interval 2s = 40s/,
    ],
  ])('refuses %o', (overrides, message) => {
    let error: unknown;
    try {
      assertReachable(plan(overrides));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).input).toBe('timeout');
    expect((error as Error).message).toMatch(message);
  });

  test('accepts a timeout that leaves room for the thresholds', () => {
    expect(() => assertReachable(plan({ timeoutMs: 6_000 }))).not.toThrow();
    expect(() => assertReachable(plan({ timeoutMs: 60_000, maxLatencyMs: 200, urls: ['http://a.test/', 'http://b.test/'] }))).not.toThrow();
  });
});

describe('the job log', () => {
  test('one line a round, repeated problems not spelt out again', async () => {
    const { silentLogger } = await import('../src/common/logger');
    const log = silentLogger();
    const clock = fakeClock(START);
    await verifyHealth(plan(), { probe: scripted(clock, seq('PFFF')), clock, log });
    expect(log.lines).toEqual([
      '✓ round 1 +0ms: http://web.test/health 200 20ms',
      '✗ round 2 +2s: http://web.test/health 500 20ms — http://web.test/health: status 500, expected 200-299',
      '✗ round 3 +4s: http://web.test/health 500 20ms — same problems as the round before',
      '✗ round 4 +6.1s: http://web.test/health 500 20ms — same problems as the round before',
    ]);
  });
});

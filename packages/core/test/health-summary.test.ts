import { describe, expect, test } from '@jest/globals';
import { healthSummaryMarkdown } from '../src/health/health-summary';
import type { HealthReport } from '../src/health/verify-health';

const START = Date.UTC(2026, 0, 1);

function report(overrides: Partial<HealthReport> = {}): HealthReport {
  return {
    healthy: false,
    verdict: 'unhealthy',
    explanation: 'Unhealthy 6s in, after 3 failing rounds in a row: http://web.test/health: status 500, expected 200-299.',
    startedAt: START,
    finishedAt: START + 6_500,
    lostAt: START + 6_000,
    lostIn: 'check',
    rounds: 4,
    checks: 4,
    failures: 3,
    p95LatencyMs: 40,
    urls: [
      {
        url: 'http://web.test/health',
        checks: 4,
        failures: 3,
        latencies: [10, 20, 30, 40],
        last: {
          url: 'http://web.test/health',
          status: 500,
          body: '{"error":"FAIL_MODE=500: | this release fails"}',
          latencyMs: 40,
          passed: false,
          problem: 'status 500',
        },
      },
    ],
    lastSignals: [
      {
        source: 'target group web',
        passed: false,
        detail: '1 of 2 targets not healthy: 10.0.0.2:8080 unhealthy (Target.ResponseCodeMismatch)',
      },
    ],
    timeline: [
      { at: START, text: 'round 1 passed' },
      { at: START + 2_000, text: 'round 2 failed: status 500' },
      { at: START + 6_000, text: 'health lost' },
    ],
    ...overrides,
  };
}

describe('healthSummaryMarkdown', () => {
  test('verdict, the moment it was decided, a table per URL, the signals and the timeline', () => {
    const markdown = healthSummaryMarkdown(report());
    expect(markdown).toContain('## ❌ Verify health: unhealthy');
    expect(markdown).toContain('**4 rounds, 4 checks, 3 failed, over 6.5s · health lost at +6s**');
    expect(markdown).toContain('### http://web.test/health');
    // p50 20, p95 40, max 40; the pipe in the body is escaped so the table holds.
    expect(markdown).toContain('| 4 | 3 | 20 ms | 40 ms | 40 ms | 500 | `{"error":"FAIL_MODE=500: \\| this release fails"}` |');
    expect(markdown).toContain(
      '| target group web | failing | 1 of 2 targets not healthy: 10.0.0.2:8080 unhealthy (Target.ResponseCodeMismatch) |',
    );
    expect(markdown).toContain('+   6.0s  health lost');
  });

  test('a won health says when, and a loss during bake says so', () => {
    const markdown = healthSummaryMarkdown(report({ healthy: false, wonAt: START + 4_000, lostAt: START + 20_000, lostIn: 'bake' }));
    expect(markdown).toContain('health won at +4s · health lost at +20s (during bake)');
  });

  test('a long flapping timeline keeps its last 30 changes', () => {
    const timeline = Array.from({ length: 100 }, (_, i) => ({ at: START + i * 1_000, text: `change ${i}` }));
    const markdown = healthSummaryMarkdown(report({ timeline }));
    expect(markdown).toContain('… 70 earlier changes');
    expect(markdown).not.toContain('change 69\n');
    expect(markdown).toContain('change 70');
    expect(markdown).toContain('change 99');
  });
});

import { describe, expect, test } from '@jest/globals';
import { silentLogger } from '../../../src/common/logger';
import { rollbackWatchTimeout } from '../../../src/use-cases/roll-back/watch-timeout';

const TEN_MINUTES = 600_000;
const BAKE = 3_600_000;

describe('rollbackWatchTimeout', () => {
  test('a new deployment through a strategy with a bake is watched for the default timeout plus the bake', () => {
    const log = silentLogger();
    expect(rollbackWatchTimeout({ timeoutMs: TEN_MINUTES }, { mechanism: 'UpdateService' }, BAKE, log)).toBe(TEN_MINUTES + BAKE);
    expect(log.lines.join('\n')).toMatch(/up to 70m: 10m plus the strategy's bake of 60m/);
  });

  test('a rollback within the release (a traffic shift back) keeps the timeout: it does not bake again', () => {
    for (const mechanism of ['StopServiceDeployment', 'ContinueServiceDeployment', 'none']) {
      expect(rollbackWatchTimeout({ timeoutMs: TEN_MINUTES }, { mechanism }, BAKE, silentLogger())).toBe(TEN_MINUTES);
    }
  });

  test('a service without a bake keeps the timeout', () => {
    expect(rollbackWatchTimeout({ timeoutMs: TEN_MINUTES }, { mechanism: 'UpdateService' }, 0, silentLogger())).toBe(TEN_MINUTES);
  });

  test('a timeout given is kept as asked, with a warning when the bake outlasts it', () => {
    const log = silentLogger();
    expect(rollbackWatchTimeout({ timeoutMs: TEN_MINUTES, timeoutGiven: true }, { mechanism: 'UpdateService' }, BAKE, log)).toBe(
      TEN_MINUTES,
    );
    expect(log.lines.join('\n')).toMatch(
      /warning: Input 'timeout' \(10m\) is shorter than the bake of the rollback's new deployment \(60m\)/,
    );
  });

  test('a timeout given that covers the bake is kept without a warning', () => {
    const log = silentLogger();
    const twoHours = 2 * BAKE;
    expect(rollbackWatchTimeout({ timeoutMs: twoHours, timeoutGiven: true }, { mechanism: 'UpdateService' }, BAKE, log)).toBe(twoHours);
    expect(log.lines.filter((line) => line.startsWith('warning:'))).toEqual([]);
  });
});

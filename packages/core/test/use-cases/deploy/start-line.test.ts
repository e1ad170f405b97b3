import { describe, expect, test } from '@jest/globals';
import { NotStarted, StartLine } from '../../../src/use-cases/deploy/start-line';

describe('StartLine', () => {
  test('holds every service until the last got there, then lets all go', async () => {
    const line = new StartLine(['web', 'worker']);
    let webWent = false;
    const web = line.ready('web').then(() => (webWent = true));
    await Promise.resolve();
    expect(webWent).toBe(false);

    await Promise.all([web, line.ready('worker')]);

    expect(webWent).toBe(true);
    expect(line.passed).toBe(true);
  });

  test('a service that failed before the line stops those waiting there, naming it', async () => {
    const line = new StartLine(['web', 'worker', 'scheduler']);
    const web = line.ready('web');

    line.fail('worker');

    await expect(web).rejects.toEqual(new NotStarted(['worker']));
    await expect(line.ready('scheduler')).rejects.toBeInstanceOf(NotStarted);
    expect(line.passed).toBe(false);
  });
});

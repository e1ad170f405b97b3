import { expect, test } from '@jest/globals';
import { reportingSlowStop } from '../src/slow-stop';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a part of a stop still under way after the limit is named, and nothing more once it is done', async () => {
  const written: string[] = [];
  let finish = () => {};
  const stopping = reportingSlowStop('the sample database', new Promise<void>((resolve) => (finish = resolve)), {
    slowMs: 20,
    write: (line) => written.push(line),
  });

  await pause(50);
  finish();
  await stopping;
  const whileStopping = written.length;
  await pause(50);

  expect(whileStopping).toBeGreaterThan(0);
  expect(written[0]).toMatch(/^sandbox stop: the sample database still stopping after \d+ s\n$/);
  expect(written).toHaveLength(whileStopping);
});

test('a quick stop says nothing and gives its value', async () => {
  const written: string[] = [];
  await expect(reportingSlowStop('the API server', Promise.resolve(7), { slowMs: 20, write: (line) => written.push(line) })).resolves.toBe(
    7,
  );
  await pause(40);
  expect(written).toEqual([]);
});

import { expect, test } from '@jest/globals';
import { runBlueGreenPart } from '../demo/blue-green-part';

// The blue/green part of `npm run demo`, on its own sandbox as the demo runs it: every verdict it prints holds, and
// the one it exists for is read from its detail: the production audience was never answered by the bad release.
test("the demo's blue/green part: 2.1.0 continued into production, 2.2.0 rolled back at the test listener before any production request", async () => {
  const part = await runBlueGreenPart({ GITHUB_REPOSITORY: 'acme/checkout', GITHUB_SERVER_URL: 'https://github.com' });
  const verdicts = part.verdicts.all;

  expect(verdicts.filter((verdict) => !verdict.ok)).toEqual([]);
  expect(verdicts.map((verdict) => verdict.what)).toEqual([
    'deploy-ecs checkout 2.1.0',
    'verify-health checkout 2.1.0 (test listener)',
    'deploy-ecs checkout 2.1.0 (followed)',
    'production during checkout 2.1.0',
    'deploy-ecs checkout 2.2.0',
    'verify-health checkout 2.2.0 (test listener)',
    'auto-rollback checkout 2.2.0',
    'production during checkout 2.2.0',
  ]);
  const production = (what: string) => verdicts.find((verdict) => verdict.what === `production during checkout ${what}`)?.detail;
  expect(production('2.1.0')).toMatch(/^0 of \d+ requests failed; answered by 2\.0\.0: \d+, 2\.1\.0: [1-9]\d*$/);
  expect(production('2.2.0')).toMatch(/^0 of \d+ requests failed; answered by 2\.1\.0: [1-9]\d*, 2\.2\.0: 0$/);
  expect(part.lines.join('\n')).toMatch(/Rolled back service deployment \S+ at its PAUSE hook ecs-pause-\S+ \(POST_TEST_TRAFFIC_SHIFT\)/);
});

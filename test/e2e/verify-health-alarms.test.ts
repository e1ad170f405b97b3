import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { CloudWatchClient, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { putErrorRateAlarm } from '../support/alarms';
import { start, type Sandbox } from '@ecs-deploy/sandbox';
import { startLocalServer, type RunningServer } from '../support/health-servers';
import { errorsOf, runBundledAction } from '../support/run-action';

// CloudWatch alarms as a vote on health, read over the wire from the sandbox by the bundled action.
let sandbox: Sandbox;
let server: RunningServer;
let cloudwatch: CloudWatchClient;
let requests = 0;

const putAlarm = (name: string) => putErrorRateAlarm(cloudwatch, name);

beforeAll(async () => {
  sandbox = await start({ timeScale: 0.2 });
  cloudwatch = new CloudWatchClient({
    region: sandbox.region,
    endpoint: sandbox.endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  server = await startLocalServer((_req, res) => {
    requests += 1;
    res.end('{"status":"ok"}');
  });
});
afterAll(async () => {
  await server?.stop();
  await sandbox?.stop();
});

describe('verify-health with alarms', () => {
  test('an unknown alarm name is refused before the first request', async () => {
    await putAlarm('web-5xx');
    const before = requests;
    const run = await runBundledAction(
      'verify-health',
      { url: `${server.base}/health`, alarms: 'web-5xx\nweb-5xxx' },
      { env: sandbox.env() },
    );
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      `Input 'alarms': no CloudWatch alarm named "web-5xxx" in us-east-1. Names are case-sensitive; list them with 'aws cloudwatch describe-alarms'.`,
    ]);
    expect(requests).toBe(before);
  });

  test('alarms that stay OK through the bake: healthy, and the summary shows them', async () => {
    await putAlarm('quiet-5xx');
    const run = await runBundledAction(
      'verify-health',
      { url: `${server.base}/health`, interval: '0.2s', bake: '1s', alarms: 'quiet-5xx' },
      { env: sandbox.env() },
    );
    expect(run.exitCode).toBe(0);
    expect(run.outputs.healthy).toBe('true');
    expect(run.summary).toContain('| alarm quiet-5xx | ok | OK |');
  });

  test('an alarm set to ALARM during the bake fails the step at once, naming it', async () => {
    await putAlarm('checkout-5xx');
    let alarmedAt: number | undefined;
    const run = await runBundledAction(
      'verify-health',
      { url: `${server.base}/health`, interval: '0.2s', bake: '30s', alarms: 'checkout-5xx' },
      {
        env: sandbox.env(),
        onLine: (line) => {
          if (alarmedAt === undefined && line.text.startsWith('✅ Healthy')) {
            alarmedAt = Date.now();
            void cloudwatch.send(
              new SetAlarmStateCommand({
                AlarmName: 'checkout-5xx',
                StateValue: 'ALARM',
                StateReason: 'Threshold Crossed: 12 errors in 1 minute',
              }),
            );
          }
        },
      },
    );
    expect(alarmedAt).toBeDefined();
    expect(run.exitCode).toBe(1);
    expect(run.outputs.healthy).toBe('false');
    expect(errorsOf(run)).toEqual([
      expect.stringMatching(
        /^Health was won [\d.]+m?s in but lost [\d.]+m?s in, during the 30s bake, because alarm checkout-5xx is in ALARM: alarm checkout-5xx: in ALARM: Threshold Crossed: 12 errors in 1 minute\.$/,
      ),
    ]);
    // Far sooner than the 30 s bake: the round after the alarm changed.
    expect(run.finishedAt - (alarmedAt as number)).toBeLessThan(5_000);
    expect(run.summary).toMatch(/health lost at \+[\d.]+m?s \(during bake\)/);
  });
});

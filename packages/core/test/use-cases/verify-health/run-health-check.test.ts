import { describe, expect, test } from '@jest/globals';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { ActionFailure, ConfigurationError, silentLogger, type ClientFactory, type DeploymentState } from '../../../src/common';
import { parseExpectedStatus, type HealthReport, type Probe } from '../../../src/health';
import { runHealthCheck, type HealthRequest } from '../../../src/use-cases/verify-health';
import { fakeClock } from '../../support/fake-clock';

const URL = 'http://web.test/health';

function request(overrides: Partial<HealthRequest> = {}): HealthRequest {
  return {
    plan: {
      urls: [URL],
      expectedStatus: parseExpectedStatus('200-299'),
      warmupMs: 0,
      intervalMs: 2_000,
      timeoutMs: 60_000,
      successThreshold: 3,
      failureThreshold: 3,
      bakeMs: 0,
    },
    headers: [{ name: 'Authorization', value: 'Bearer t0ken' }],
    requestTimeoutMs: 5_000,
    ...overrides,
  };
}

const answering =
  (status: number): Probe =>
  async (url) => ({ url, status, body: '{"status":"ok"}', latencyMs: 20 });

function ports() {
  const outputs: HealthReport[] = [];
  const summaries: string[] = [];
  const secrets: string[] = [];
  const statuses: [DeploymentState, string][] = [];
  const log = silentLogger();
  const auditTrail = {
    follow: async () => undefined,
    report: async (state: DeploymentState, description: string) => void statuses.push([state, description]),
  };
  return {
    outputs,
    summaries,
    secrets,
    statuses,
    log,
    ports: {
      log,
      clock: fakeClock(),
      setSecret: (value: string) => void secrets.push(value),
      writeSummary: async (markdown: string) => void summaries.push(markdown),
      setOutputs: (report: HealthReport) => void outputs.push(report),
      trail: auditTrail,
    },
  };
}

const noAws: ClientFactory = () => {
  throw new Error('no AWS client is needed without cluster, service or alarms');
};

describe('runHealthCheck', () => {
  test('a URL that passes success-threshold rounds is healthy: outputs, summary and a success status', async () => {
    const world = ports();

    const report = await runHealthCheck(request(), { aws: noAws, probe: answering(200) }, world.ports);

    expect(report).toMatchObject({ healthy: true, verdict: 'healthy', checks: 3, failures: 0 });
    expect(world.outputs).toEqual([report]);
    expect(world.secrets).toEqual(['Bearer t0ken']);
    expect(world.statuses).toEqual([['success', report.explanation]]);
    expect(world.summaries).toHaveLength(1);
    expect(world.log.lines[0]).toBe('Probing http://web.test/health every 2s; healthy after 3 passing rounds, unhealthy after 3 failing.');
    expect(world.log.lines.at(-1)).toBe(`✅ ${report.explanation}`);
  });

  test('a URL that fails failure-threshold rounds is unhealthy: the step fails with the explanation, after the outputs and a failure status', async () => {
    const world = ports();

    await expect(runHealthCheck(request(), { aws: noAws, probe: answering(500) }, world.ports)).rejects.toThrow(ActionFailure);

    expect(world.outputs).toHaveLength(1);
    expect(world.outputs[0]).toMatchObject({ healthy: false, verdict: 'unhealthy', failures: 3 });
    expect(world.statuses).toEqual([['failure', world.outputs[0].explanation]]);
    expect(world.summaries).toHaveLength(1);
  });

  test('an alarm name that matches no alarm fails before the first probe', async () => {
    const cloudwatch = mockClient(CloudWatchClient);
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
    const world = ports();
    const probed: string[] = [];
    const probe: Probe = async (url) => {
      probed.push(url);
      return { url, status: 200, body: '', latencyMs: 1 };
    };
    const aws: ClientFactory = (Client, region) => new Client({ region } as never);

    const failure = runHealthCheck(request({ aws: { region: 'us-east-1', alarms: ['web-5xx'] } }), { aws, probe }, world.ports);

    await expect(failure).rejects.toThrow(ConfigurationError);
    await expect(failure).rejects.toThrow(`Input 'alarms': no CloudWatch alarm named "web-5xx" in us-east-1.`);
    expect(probed).toEqual([]);
    expect(world.outputs).toEqual([]);
  });

  test('the pre-flight checks report one table in the log, before the first probe, and in the summary', async () => {
    const cloudwatch = mockClient(CloudWatchClient);
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: 'web-5xx', StateValue: 'OK' }] });
    const world = ports();
    const aws: ClientFactory = (Client, region) => new Client({ region } as never);

    await runHealthCheck(request({ aws: { region: 'us-east-1', alarms: ['web-5xx'] } }), { aws, probe: answering(200) }, world.ports);

    expect(world.log.lines[0]).toBe(['Pre-flight checks (1):', '  pass  Alarms exist  1 alarm found: web-5xx'].join('\n'));
    expect(world.log.lines[1]).toMatch(/^Probing /);
    expect(world.summaries).toHaveLength(1);
    expect(world.summaries[0]).toContain('## ✅ Verify health: healthy');
    expect(world.summaries[0]).toContain('| ✅ pass | Alarms exist |   | 1 alarm found: web-5xx |');
  });

  test('a failing pre-flight check puts its table in the summary, and nothing is probed or followed', async () => {
    const cloudwatch = mockClient(CloudWatchClient);
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
    const world = ports();
    let followed = false;
    const aws: ClientFactory = (Client, region) => new Client({ region } as never);
    const probe: Probe = async () => Promise.reject(new Error('no probe before the checks pass'));

    await expect(
      runHealthCheck(
        request({ aws: { region: 'us-east-1', alarms: ['web-5xx'] } }),
        { aws, probe },
        { ...world.ports, trail: { ...world.ports.trail, follow: async () => void (followed = true) } },
      ),
    ).rejects.toThrow(`Input 'alarms': no CloudWatch alarm named "web-5xx" in us-east-1.`);
    expect(followed).toBe(false);
    expect(world.summaries).toEqual([
      expect.stringContaining('| ❌ fail | Alarms exist | `alarms` | Input \'alarms\': no CloudWatch alarm named "web-5xx"'),
    ]);
  });

  test("alarms are the verdict's gate: a role that may not read them ends the step with AWS's refusal before the first probe, not with a warning", async () => {
    const cloudwatch = mockClient(CloudWatchClient);
    const denied = Object.assign(
      new Error(
        'User is not authorized to perform: cloudwatch:DescribeAlarms because no identity-based policy allows the cloudwatch:DescribeAlarms action',
      ),
      { name: 'AccessDeniedException' },
    );
    cloudwatch.on(DescribeAlarmsCommand).rejects(denied);
    const world = ports();
    const probed: string[] = [];
    const probe: Probe = async (url) => {
      probed.push(url);
      return { url, status: 200, body: '', latencyMs: 1 };
    };
    const aws: ClientFactory = (Client, region) => new Client({ region } as never);

    const thrown = await runHealthCheck(request({ aws: { region: 'us-east-1', alarms: ['web-5xx'] } }), { aws, probe }, world.ports).catch(
      (e: unknown) => e,
    );

    expect((thrown as Error).name).toBe('AccessDeniedException');
    expect((thrown as Error).message).toBe(denied.message);
    expect(probed).toEqual([]);
    expect(world.outputs).toEqual([]);
    expect(world.log.lines.filter((line) => line.startsWith('warning:'))).toEqual([]);
  });
});

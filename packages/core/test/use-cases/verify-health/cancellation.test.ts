import { describe, expect, test } from '@jest/globals';
import { ActionFailure, silentLogger, type ClientFactory, type DeploymentState } from '../../../src/common';
import { parseExpectedStatus, type Probe } from '../../../src/health';
import { runHealthCheck, type HealthRequest } from '../../../src/use-cases/verify-health';
import { fakeClock } from '../../support/fake-clock';

const URL = 'http://web.test/health';
const plan: HealthRequest['plan'] = {
  urls: [URL],
  expectedStatus: parseExpectedStatus('200-299'),
  warmupMs: 0,
  intervalMs: 2_000,
  timeoutMs: 60_000,
  successThreshold: 5,
  failureThreshold: 5,
  bakeMs: 0,
};
const noAws: ClientFactory = () => {
  throw new Error('no AWS client is needed without cluster, service or alarms');
};

describe('runHealthCheck when the workflow is cancelled', () => {
  test('probing stops at once: no verdict, no further probe, the summary and the Deployment say it was cancelled', async () => {
    const controller = new AbortController();
    let probes = 0;
    // The runner's SIGINT arrives during the second round.
    const probe: Probe = async (url) => {
      probes += 1;
      if (probes === 2) controller.abort();
      return { url, status: 200, body: 'ok', latencyMs: 10 };
    };
    const summaries: string[] = [];
    const statuses: [DeploymentState, string][] = [];
    const outputs: unknown[] = [];

    const failure = await runHealthCheck(
      { plan, headers: [], requestTimeoutMs: 5_000 },
      { aws: noAws, probe },
      {
        log: silentLogger(),
        clock: fakeClock(),
        setSecret: () => {},
        writeSummary: async (markdown) => void summaries.push(markdown),
        setOutputs: (report) => void outputs.push(report),
        trail: { follow: async () => {}, report: async (state, description) => void statuses.push([state, description]) },
        signal: controller.signal,
      },
    ).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ActionFailure);
    expect((failure as Error).message).toContain(`The workflow was cancelled while probing ${URL}: no health verdict was reached`);
    expect(probes).toBe(2);
    expect(outputs).toEqual([]);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toContain('cancelled, no verdict');
    expect(statuses).toEqual([['error', expect.stringContaining('Cancelled')]]);
  });
});

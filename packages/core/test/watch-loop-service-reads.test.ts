import { describe, expect, test } from '@jest/globals';
import { DescribeServicesCommand, ECSClient, type Service } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { silentLogger } from '../src/common/logger';
import type { ServiceReads } from '../src/ecs/service-reads';
import { followDeployment, type PollStep } from '../src/ecs/watch-loop';
import { fakeClock } from './support/fake-clock';

/** A step that ends the watch on the third poll. */
const thirdPoll: PollStep<string> = (() => {
  let polls = 0;
  return {
    observe: async () => ((polls += 1) === 3 ? 'steady' : undefined),
    conclude: async () => ({ status: 'succeeded', failedTasks: [] }),
  };
})();

describe('followDeployment with shared service reads', () => {
  test('each poll reads the service through the shared reads, not DescribeServices of its own, and says when the watch ends', async () => {
    const ecs = mockClient(ECSClient);
    const asked: string[] = [];
    const ended: string[] = [];
    const reads: ServiceReads = {
      read: async (cluster, service) => {
        asked.push(`${cluster}/${service}`);
        return { serviceName: service, events: [] } as Service;
      },
      done: (cluster, service) => void ended.push(`${cluster}/${service}`),
    };

    const outcome = await followDeployment({ cluster: 'prod', service: 'web', startedAt: 0, timeoutMs: 60_000 }, thirdPoll, {
      ecs: ecs as unknown as ECSClient,
      log: silentLogger(),
      clock: fakeClock(),
      serviceReads: reads,
    });

    expect(outcome).toMatchObject({ status: 'succeeded', polls: 3 });
    expect(asked).toEqual(['prod/web', 'prod/web', 'prod/web']);
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(0);
    expect(ended).toEqual(['prod/web']);
  });
});

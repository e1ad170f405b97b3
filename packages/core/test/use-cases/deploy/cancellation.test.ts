import { beforeEach, describe, expect, test } from '@jest/globals';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { ActionFailure } from '../../../src/common/errors';
import { silentLogger } from '../../../src/common/logger';
import type { DeploymentState } from '../../../src/common/audit-trail';
import { deployService, type DeployPorts } from '../../../src/use-cases/deploy/deploy-service';
import type { DeployOutputs } from '../../../src/use-cases/deploy/request';
import { deployment, service } from '../../fixtures/ecs';
import { fakeClock } from '../../support/fake-clock';
import { deployRequest, IMAGE, LIVE, LIVE_ID, NEXT, NEXT_ID, settledOnLive } from './deploy-fixtures';
import { described, TAGS } from '../../support/task-definitions';

const ecsMock = mockClient(ECSClient);
mockClient(CloudWatchLogsClient);

let summaries: string[];
let statuses: { state: DeploymentState; description: string }[];
let controller: AbortController;
let outputs: DeployOutputs[];
const clients = () => ({ ecs: new ECSClient({ region: 'us-east-1' }), logs: new CloudWatchLogsClient({ region: 'us-east-1' }) });

function ports(): DeployPorts {
  return {
    log: silentLogger(),
    setSecret: () => undefined,
    clock: fakeClock(),
    writeSummary: async (markdown) => void summaries.push(markdown),
    setOutputs: (set) => void outputs.push(set),
    signal: controller.signal,
    trail: {
      start: async () => {},
      follow: async () => {},
      report: async (state, description) => void statuses.push({ state, description }),
    },
  };
}

const rollingOut = service([
  deployment({ id: NEXT_ID, taskDefinition: NEXT, runningCount: 1, pendingCount: 1 }),
  deployment({ id: LIVE_ID, status: 'ACTIVE', taskDefinition: LIVE, runningCount: 2, rolloutState: 'COMPLETED' }),
]);
const calls = (command: Parameters<typeof ecsMock.commandCalls>[0]) => ecsMock.commandCalls(command).length;

beforeEach(() => {
  ecsMock.reset();
  summaries = [];
  statuses = [];
  outputs = [];
  controller = new AbortController();
  ecsMock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: described(), tags: TAGS });
  ecsMock.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: NEXT } });
  ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
  ecsMock.on(UpdateServiceCommand).resolves({ service: rollingOut });
});

describe('deployService when the workflow is cancelled', () => {
  test('mid-rollout: the watch stops at once, and the failure, the summary and the Deployment name the deployment ECS goes on with', async () => {
    let polls = 0;
    ecsMock.on(DescribeServicesCommand).callsFake(() => {
      polls += 1;
      // The first answer is the pre-flight's; the runner's SIGINT arrives during the watch's second poll.
      if (polls === 3) controller.abort();
      return { services: [polls === 1 ? settledOnLive() : rollingOut] };
    });

    const failure = await deployService(deployRequest({ image: IMAGE }), clients(), ports()).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ActionFailure);
    expect((failure as Error).message).toContain(`The workflow was cancelled while ECS deployment ${NEXT_ID}`);
    expect((failure as Error).message).toContain('it was not stopped');
    expect(polls).toBe(3);
    expect(calls(StopServiceDeploymentCommand)).toBe(0);
    expect(calls(UpdateServiceCommand)).toBe(1);
    expect(outputs.at(-1)).toMatchObject({ status: 'cancelled', deploymentId: NEXT_ID });
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toContain('Deploy web: cancelled');
    expect(summaries[0]).toContain(NEXT_ID);
    expect(statuses.at(-1)).toEqual({
      state: 'error',
      description: expect.stringContaining(`Cancelled: the workflow was cancelled; ECS deployment ${NEXT_ID}`),
    });
  });

  test('before the service was updated: nothing is registered or updated, and the summary says so', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [settledOnLive()] });
    controller.abort();

    const failure = await deployService(deployRequest({ image: IMAGE }), clients(), ports()).catch((error: unknown) => error);

    expect((failure as Error).message).toContain('cancelled before the service was updated: no revision was registered');
    expect(calls(RegisterTaskDefinitionCommand)).toBe(0);
    expect(calls(UpdateServiceCommand)).toBe(0);
    expect(outputs.at(-1)?.status).toBe('cancelled');
    expect(summaries[0]).toContain('cancelled');
  });
});

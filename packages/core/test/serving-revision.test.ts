import { beforeEach, describe, expect, test } from '@jest/globals';
import { AccessDeniedException, ECSClient, ListServiceDeploymentsCommand, type Deployment } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { mockHistory } from './fixtures/service-deployment-history';
import { findServingRevision, newestCompletedDeployment } from '../src/ecs/serving-revision';
import { silentLogger } from '../src/common/logger';
import { deployment, NEW, NEW_ID, OLD, OLD_ID, service } from './fixtures/ecs';

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: 'us-east-1' });

const PREFIX = 'arn:aws:ecs:us-east-1:123456789012';
const OLDER = `${PREFIX}:task-definition/web:6`;
const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 0, minutes));

const primary = (overrides: Partial<Deployment> = {}) => deployment({ createdAt: at(10), ...overrides });
const active = (overrides: Partial<Deployment> = {}) =>
  deployment({
    id: OLD_ID,
    status: 'ACTIVE',
    taskDefinition: OLD,
    rolloutState: 'COMPLETED',
    runningCount: 2,
    createdAt: at(5),
    ...overrides,
  });

const history = (newestFirst: Parameters<typeof mockHistory>[1]) => mockHistory(ecsMock, newestFirst);

beforeEach(() => {
  ecsMock.reset();
  // No test may reach the history API unless it says so: an unmocked call fails it.
  ecsMock.onAnyCommand().rejects(new Error('unexpected call'));
});

describe('previous-task-definition-arn from DescribeServices: the newest COMPLETED deployment', () => {
  const cases: [string, Deployment[], string | undefined][] = [
    ["settled: the service's own revision", [primary({ rolloutState: 'COMPLETED', runningCount: 2 })], NEW],
    ['a deploy in progress: the revision still serving beside it', [primary(), active()], OLD],
    [
      'after a failed deploy nobody rolled back (no circuit breaker): the older ACTIVE deployment',
      [primary({ failedTasks: 0, runningCount: 0 }), active()],
      OLD,
    ],
    [
      'after the circuit breaker marked it FAILED without rollback: the older ACTIVE deployment',
      [primary({ rolloutState: 'FAILED' }), active()],
      OLD,
    ],
    [
      'two deployments after a failed deploy, then a new one: the newest that completed',
      [
        primary({ id: 'ecs-svc/3', taskDefinition: `${PREFIX}:task-definition/web:9`, createdAt: at(20) }),
        primary({ status: 'ACTIVE' }),
        active(),
        active({ id: 'ecs-svc/0', taskDefinition: OLDER, createdAt: at(1) }),
      ],
      OLD,
    ],
    ['none completed', [primary({ runningCount: 0 })], undefined],
  ];

  test.each(cases)('%s', (_name, deployments, expected) => {
    expect(newestCompletedDeployment(service(deployments))?.taskDefinition).toBe(expected);
  });

  test('a COMPLETED deployment needs no other call, and the evidence names it', async () => {
    const found = await findServingRevision(ecs, 'prod', service([primary({ failedTasks: 3 }), active()]), silentLogger());
    expect(found).toEqual({
      taskDefinitionArn: OLD,
      evidence: `deployment ${OLD_ID} (ACTIVE) is COMPLETED, still serving beside the PRIMARY deployment ${NEW_ID} of web:8`,
    });
    expect(ecsMock.calls()).toHaveLength(0);
  });
});

describe('previous-task-definition-arn when DescribeServices lists no COMPLETED deployment: the deployment history', () => {
  // The old tasks drained (minimumHealthyPercent 0) while the broken revision still rolls out.
  const draining = service([primary({ runningCount: 0 })], { serviceArn: `${PREFIX}:service/prod/web` });

  test("the current service deployment's revision when it ended SUCCESSFUL", async () => {
    history([
      { status: 'SUCCESSFUL', taskDefinition: NEW },
      { status: 'SUCCESSFUL', taskDefinition: OLD },
    ]);
    const found = await findServingRevision(ecs, 'prod', draining, silentLogger());
    expect(found.taskDefinitionArn).toBe(NEW);
    expect(found.evidence).toBe('the current service deployment sd-0 ended SUCCESSFUL');
  });

  test('else the last revision that completed one before it', async () => {
    history([
      { status: 'IN_PROGRESS', taskDefinition: NEW },
      { status: 'SUCCESSFUL', taskDefinition: OLD },
    ]);
    const found = await findServingRevision(ecs, 'prod', draining, silentLogger());
    expect(found.taskDefinitionArn).toBe(OLD);
    expect(found.evidence).toMatch(/^service deployment sd-1 ended SUCCESSFUL/);
  });

  test('nothing completed known: no revision, and the evidence says why (never a guess)', async () => {
    history([
      { status: 'IN_PROGRESS', taskDefinition: NEW },
      { status: 'STOPPED', taskDefinition: OLD },
    ]);
    const found = await findServingRevision(ecs, 'prod', draining, silentLogger());
    expect(found.taskDefinitionArn).toBeUndefined();
    expect(found.evidence).toContain('no deployment of this service is known to have completed');
  });

  test('without permission for the history: no revision rather than the broken live one', async () => {
    ecsMock.on(ListServiceDeploymentsCommand).rejects(new AccessDeniedException({ message: 'not authorized', $metadata: {} }));
    const log = silentLogger();
    const found = await findServingRevision(ecs, 'prod', draining, log);
    expect(found.taskDefinitionArn).toBeUndefined();
    expect(log.lines.some((line) => line.startsWith('warning:') && line.includes('ecs:ListServiceDeployments'))).toBe(true);
  });
});

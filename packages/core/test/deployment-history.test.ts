import { beforeEach, describe, expect, test } from '@jest/globals';
import {
  AccessDeniedException,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  type Deployment,
  type Service,
  type ServiceDeployment,
  type ServiceDeploymentStatus,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { readDeploymentHistory } from '../src/ecs/deployment-history';
import { silentLogger } from '../src/logger';

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: 'us-east-1' });

const PREFIX = 'arn:aws:ecs:us-east-1:123456789012';
const td = (revision: number) => `${PREFIX}:task-definition/web:${revision}`;
const revisionArn = (revision: number) => `${PREFIX}:service-revision/prod/web/rev-${revision}`;
const service: Service = { serviceArn: `${PREFIX}:service/prod/web`, serviceName: 'web' };

/** One line of a service's deployment history: which revision it targeted and how it ended. */
interface Entry {
  status: ServiceDeploymentStatus;
  revision: number;
  /** For ROLLBACK_* statuses: the revision ECS went back to. */
  rolledBackTo?: number;
}

/**
 * Answers ListServiceDeployments (newest first, pages of `maxResults`), DescribeServiceDeployments and
 * DescribeServiceRevisions the way ECS does, from `newestFirst`.
 */
function history(newestFirst: Entry[]) {
  const base = Date.parse('2026-11-25T12:00:00Z');
  const deployments: ServiceDeployment[] = newestFirst.map((entry, index) => ({
    serviceDeploymentArn: `${PREFIX}:service-deployment/prod/web/sd-${index}`,
    status: entry.status,
    createdAt: new Date(base - index * 60_000),
    finishedAt: entry.status === 'SUCCESSFUL' ? new Date(base - index * 60_000 + 30_000) : undefined,
    // A distinct service revision per deployment, as ECS creates one per UpdateService.
    targetServiceRevision: { arn: `${revisionArn(entry.revision)}-${index}` },
    rollback: entry.rolledBackTo ? { serviceRevisionArn: `${revisionArn(entry.rolledBackTo)}-rb${index}` } : undefined,
  }));
  const revisions = new Map<string, string>();
  newestFirst.forEach((entry, index) => {
    revisions.set(`${revisionArn(entry.revision)}-${index}`, td(entry.revision));
    if (entry.rolledBackTo) revisions.set(`${revisionArn(entry.rolledBackTo)}-rb${index}`, td(entry.rolledBackTo));
  });
  ecsMock.on(ListServiceDeploymentsCommand).callsFake((input: { maxResults?: number; nextToken?: string }) => {
    const from = Number(input.nextToken ?? 0);
    const to = from + (input.maxResults ?? 20);
    return {
      serviceDeployments: deployments.slice(from, to).map((sd) => ({ serviceDeploymentArn: sd.serviceDeploymentArn, status: sd.status, createdAt: sd.createdAt })),
      nextToken: to < deployments.length ? String(to) : undefined,
    };
  });
  ecsMock.on(DescribeServiceDeploymentsCommand).callsFake((input: { serviceDeploymentArns: string[] }) => {
    // ECS does not promise the order of its answer: give it reversed to prove the caller keeps list order.
    return { serviceDeployments: deployments.filter((sd) => input.serviceDeploymentArns.includes(sd.serviceDeploymentArn as string)).reverse() };
  });
  ecsMock.on(DescribeServiceRevisionsCommand).callsFake((input: { serviceRevisionArns: string[] }) => {
    if (input.serviceRevisionArns.length > 20) throw new Error('DescribeServiceRevisions takes at most 20 ARNs');
    return { serviceRevisions: input.serviceRevisionArns.map((arn) => ({ serviceRevisionArn: arn, taskDefinition: revisions.get(arn) })) };
  });
}

const redeploys = (count: number, revision: number): Entry[] => Array.from({ length: count }, () => ({ status: 'SUCCESSFUL' as const, revision }));

beforeEach(() => {
  ecsMock.reset();
});

describe('readDeploymentHistory from the service deployments API', () => {
  const cases: [string, Entry[], { current: number; currentStatus: string; previous: number | undefined }][] = [
    ['a finished release: the one before it', [{ status: 'SUCCESSFUL', revision: 2 }, { status: 'SUCCESSFUL', revision: 1 }], { current: 2, currentStatus: 'SUCCESSFUL', previous: 1 }],
    ['a release in progress: the last completed one', [{ status: 'IN_PROGRESS', revision: 2 }, { status: 'SUCCESSFUL', revision: 1 }], { current: 2, currentStatus: 'IN_PROGRESS', previous: 1 }],
    [
      'a release ECS rolled back: the revision it went back to',
      [{ status: 'ROLLBACK_SUCCESSFUL', revision: 3, rolledBackTo: 2 }, { status: 'SUCCESSFUL', revision: 2 }, { status: 'SUCCESSFUL', revision: 1 }],
      { current: 3, currentStatus: 'ROLLBACK_SUCCESSFUL', previous: 2 },
    ],
    [
      'forced redeploys of the current revision are not a way back',
      [{ status: 'SUCCESSFUL', revision: 2 }, { status: 'SUCCESSFUL', revision: 2 }, { status: 'SUCCESSFUL', revision: 1 }],
      { current: 2, currentStatus: 'SUCCESSFUL', previous: 1 },
    ],
    [
      'stopped, failed and rolled-back-failed deployments never completed',
      [
        { status: 'SUCCESSFUL', revision: 4 },
        { status: 'STOPPED', revision: 3 },
        { status: 'ROLLBACK_FAILED', revision: 2, rolledBackTo: 1 },
        { status: 'ROLLBACK_IN_PROGRESS', revision: 2, rolledBackTo: 1 },
        { status: 'SUCCESSFUL', revision: 1 },
      ],
      { current: 4, currentStatus: 'SUCCESSFUL', previous: 1 },
    ],
    [
      'a rollback that succeeded completed the revision it returned to',
      [{ status: 'SUCCESSFUL', revision: 3 }, { status: 'ROLLBACK_SUCCESSFUL', revision: 2, rolledBackTo: 1 }],
      { current: 3, currentStatus: 'SUCCESSFUL', previous: 1 },
    ],
    ['a service deployed once has nothing to go back to', [{ status: 'SUCCESSFUL', revision: 1 }], { current: 1, currentStatus: 'SUCCESSFUL', previous: undefined }],
    [
      'the way back can be on a later page',
      [{ status: 'SUCCESSFUL', revision: 7 }, ...redeploys(30, 7), { status: 'SUCCESSFUL', revision: 6 }],
      { current: 7, currentStatus: 'SUCCESSFUL', previous: 6 },
    ],
  ];

  test.each(cases)('%s', async (_name, entries, expected) => {
    history(entries);
    const found = await readDeploymentHistory(ecs, 'prod', service, silentLogger());
    expect(found.source).toBe('service-deployments');
    expect(found.current).toEqual(expect.objectContaining({ taskDefinitionArn: td(expected.current), status: expected.currentStatus }));
    expect(found.current?.serviceDeploymentArn).toMatch(/sd-0$/);
    expect(found.previous?.taskDefinitionArn).toBe(expected.previous === undefined ? undefined : td(expected.previous));
  });

  test('says which service deployment completed the revision, and when', async () => {
    history([{ status: 'SUCCESSFUL', revision: 2 }, { status: 'SUCCESSFUL', revision: 1 }]);
    const found = await readDeploymentHistory(ecs, 'prod', service, silentLogger());
    expect(found.previous).toEqual({
      taskDefinitionArn: td(1),
      serviceDeploymentArn: `${PREFIX}:service-deployment/prod/web/sd-1`,
      finishedAt: new Date('2026-11-25T11:59:30Z'),
      evidence: 'service deployment sd-1 ended SUCCESSFUL at 2026-11-25T11:59:30.000Z',
    });
  });

  test('reads no further back than it needs to', async () => {
    history([{ status: 'SUCCESSFUL', revision: 3 }, { status: 'SUCCESSFUL', revision: 2 }, ...redeploys(40, 1)]);
    await readDeploymentHistory(ecs, 'prod', service, silentLogger());
    expect(ecsMock.commandCalls(ListServiceDeploymentsCommand)).toHaveLength(1);
  });
});

describe('readDeploymentHistory falls back to the deployments DescribeServices lists', () => {
  const deployment = (id: string, status: string, revision: number, rolloutState: Deployment['rolloutState'], minutesAgo: number): Deployment => ({
    id,
    status,
    taskDefinition: td(revision),
    rolloutState,
    createdAt: new Date(Date.parse('2026-11-25T12:00:00Z') - minutesAgo * 60_000),
  });
  const rollingOut: Service = {
    ...service,
    deployments: [deployment('ecs-svc/2', 'PRIMARY', 2, 'IN_PROGRESS', 1), deployment('ecs-svc/1', 'ACTIVE', 1, 'COMPLETED', 60)],
  };

  test('when the history API is refused, with a warning naming the permissions', async () => {
    ecsMock.on(ListServiceDeploymentsCommand).rejects(new AccessDeniedException({ message: 'not authorized', $metadata: {} }));
    const log = silentLogger();
    const found = await readDeploymentHistory(ecs, 'prod', rollingOut, log);
    expect(found).toEqual({
      source: 'service',
      current: expect.objectContaining({ taskDefinitionArn: td(2), status: 'IN_PROGRESS' }),
      previous: { taskDefinitionArn: td(1), evidence: 'deployment ecs-svc/1 is still listed by the service as COMPLETED' },
    });
    expect(log.lines).toEqual([expect.stringMatching(/^warning: Could not read the service's deployment history \(AccessDeniedException: not authorized\).*ecs:ListServiceDeployments/)]);
  });

  test('when the history is empty', async () => {
    ecsMock.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [] });
    const found = await readDeploymentHistory(ecs, 'prod', rollingOut, silentLogger());
    expect(found.source).toBe('service');
    expect(found.previous?.taskDefinitionArn).toBe(td(1));
  });

  test('and never takes "the second deployment": a settled service lists only one', async () => {
    ecsMock.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [] });
    const settled: Service = { ...service, deployments: [deployment('ecs-svc/2', 'PRIMARY', 2, 'COMPLETED', 1)] };
    expect((await readDeploymentHistory(ecs, 'prod', settled, silentLogger())).previous).toBeUndefined();
    const failedOld: Service = { ...service, deployments: [deployment('ecs-svc/3', 'PRIMARY', 3, 'IN_PROGRESS', 1), deployment('ecs-svc/2', 'ACTIVE', 2, 'FAILED', 5)] };
    expect((await readDeploymentHistory(ecs, 'prod', failedOld, silentLogger())).previous).toBeUndefined();
  });
});

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
import { silentLogger } from '../src/common/logger';

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
  /** sourceServiceRevisions: the target service revisions of these entries (by index) were serving when it started. */
  sourcesFrom?: number[];
}

interface HistoryOptions {
  /** How ListServiceDeployments orders its briefs: ECS documents no order. */
  order?: 'newest-first' | 'oldest-first';
  pageSize?: number;
  /** Entries (by index) DescribeServiceDeployments answers MISSING for, as it does for old ones. */
  missing?: number[];
  /** Answer an empty first page that still carries a nextToken. */
  emptyFirstPage?: boolean;
}

const targetRevisionArn = (entry: Entry, index: number) => `${revisionArn(entry.revision)}-${index}`;

/**
 * Answers ListServiceDeployments (pages of `maxResults`, in the order asked), DescribeServiceDeployments and
 * DescribeServiceRevisions the way ECS does, from `newestFirst`.
 */
function history(newestFirst: Entry[], options: HistoryOptions = {}) {
  const base = Date.parse('2026-11-25T12:00:00Z');
  const deployments: ServiceDeployment[] = newestFirst.map((entry, index) => ({
    serviceDeploymentArn: `${PREFIX}:service-deployment/prod/web/sd-${index}`,
    status: entry.status,
    createdAt: new Date(base - index * 60_000),
    finishedAt: entry.status === 'SUCCESSFUL' ? new Date(base - index * 60_000 + 30_000) : undefined,
    // A distinct service revision per deployment, as ECS creates one per UpdateService.
    targetServiceRevision: { arn: targetRevisionArn(entry, index) },
    sourceServiceRevisions: entry.sourcesFrom?.map((from) => ({ arn: targetRevisionArn(newestFirst[from], from) })),
    rollback: entry.rolledBackTo ? { serviceRevisionArn: `${revisionArn(entry.rolledBackTo)}-rb${index}` } : undefined,
  }));
  const revisions = new Map<string, string>();
  newestFirst.forEach((entry, index) => {
    revisions.set(targetRevisionArn(entry, index), td(entry.revision));
    if (entry.rolledBackTo) revisions.set(`${revisionArn(entry.rolledBackTo)}-rb${index}`, td(entry.rolledBackTo));
  });
  const listed = options.order === 'oldest-first' ? [...deployments].reverse() : deployments;
  const pages: ServiceDeployment[][] = options.emptyFirstPage ? [[]] : [];
  for (let at = 0; at < listed.length; at += options.pageSize ?? 100) pages.push(listed.slice(at, at + (options.pageSize ?? 100)));
  ecsMock.on(ListServiceDeploymentsCommand).callsFake((input: { nextToken?: string }) => {
    const page = Number(input.nextToken ?? 0);
    return {
      serviceDeployments: (pages[page] ?? []).map((sd) => ({
        serviceDeploymentArn: sd.serviceDeploymentArn,
        status: sd.status,
        createdAt: sd.createdAt,
        finishedAt: sd.finishedAt,
        targetServiceRevisionArn: sd.targetServiceRevision?.arn,
      })),
      nextToken: page + 1 < pages.length ? String(page + 1) : undefined,
    };
  });
  const missing = new Set((options.missing ?? []).map((index) => deployments[index].serviceDeploymentArn));
  ecsMock.on(DescribeServiceDeploymentsCommand).callsFake((input: { serviceDeploymentArns: string[] }) => {
    if (input.serviceDeploymentArns.length > 20) throw new Error('DescribeServiceDeployments takes at most 20 ARNs');
    // ECS does not promise the order of its answer: give it reversed to prove the caller does not rely on it.
    const asked = deployments.filter((sd) => input.serviceDeploymentArns.includes(sd.serviceDeploymentArn as string));
    return {
      serviceDeployments: asked.filter((sd) => !missing.has(sd.serviceDeploymentArn)).reverse(),
      failures: asked
        .filter((sd) => missing.has(sd.serviceDeploymentArn))
        .map((sd) => ({ arn: sd.serviceDeploymentArn, reason: 'MISSING' })),
    };
  });
  ecsMock.on(DescribeServiceRevisionsCommand).callsFake((input: { serviceRevisionArns: string[] }) => {
    if (input.serviceRevisionArns.length > 20) throw new Error('DescribeServiceRevisions takes at most 20 ARNs');
    return { serviceRevisions: input.serviceRevisionArns.map((arn) => ({ serviceRevisionArn: arn, taskDefinition: revisions.get(arn) })) };
  });
}

const redeploys = (count: number, revision: number): Entry[] =>
  Array.from({ length: count }, () => ({ status: 'SUCCESSFUL' as const, revision }));

beforeEach(() => {
  ecsMock.reset();
});

describe('readDeploymentHistory from the service deployments API', () => {
  const cases: [string, Entry[], { current: number; currentStatus: string; previous: number | undefined }][] = [
    [
      'a finished release: the one before it',
      [
        { status: 'SUCCESSFUL', revision: 2 },
        { status: 'SUCCESSFUL', revision: 1 },
      ],
      { current: 2, currentStatus: 'SUCCESSFUL', previous: 1 },
    ],
    [
      'a release in progress: the last completed one',
      [
        { status: 'IN_PROGRESS', revision: 2 },
        { status: 'SUCCESSFUL', revision: 1 },
      ],
      { current: 2, currentStatus: 'IN_PROGRESS', previous: 1 },
    ],
    [
      'a release ECS rolled back: the revision it went back to',
      [
        { status: 'ROLLBACK_SUCCESSFUL', revision: 3, rolledBackTo: 2 },
        { status: 'SUCCESSFUL', revision: 2 },
        { status: 'SUCCESSFUL', revision: 1 },
      ],
      { current: 3, currentStatus: 'ROLLBACK_SUCCESSFUL', previous: 2 },
    ],
    [
      'forced redeploys of the current revision are not a way back',
      [
        { status: 'SUCCESSFUL', revision: 2 },
        { status: 'SUCCESSFUL', revision: 2 },
        { status: 'SUCCESSFUL', revision: 1 },
      ],
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
      [
        { status: 'SUCCESSFUL', revision: 3 },
        { status: 'ROLLBACK_SUCCESSFUL', revision: 2, rolledBackTo: 1 },
      ],
      { current: 3, currentStatus: 'SUCCESSFUL', previous: 1 },
    ],
    [
      'a service deployed once has nothing to go back to',
      [{ status: 'SUCCESSFUL', revision: 1 }],
      { current: 1, currentStatus: 'SUCCESSFUL', previous: undefined },
    ],
  ];

  test.each(cases)('%s', async (_name, entries, expected) => {
    history(entries);
    const found = await readDeploymentHistory(ecs, 'prod', service, silentLogger());
    expect(found.source).toBe('service-deployments');
    expect(found.current).toEqual(
      expect.objectContaining({ targetTaskDefinitionArn: td(expected.current), status: expected.currentStatus }),
    );
    expect(found.current?.serviceDeploymentArn).toMatch(/sd-0$/);
    expect(found.previous?.taskDefinitionArn).toBe(expected.previous === undefined ? undefined : td(expected.previous));
  });

  test('says which service deployment completed the revision, and when', async () => {
    history([
      { status: 'SUCCESSFUL', revision: 2 },
      { status: 'SUCCESSFUL', revision: 1 },
    ]);
    const found = await readDeploymentHistory(ecs, 'prod', service, silentLogger());
    expect(found.previous).toEqual({
      taskDefinitionArn: td(1),
      serviceDeploymentArn: `${PREFIX}:service-deployment/prod/web/sd-1`,
      finishedAt: new Date('2026-11-25T11:59:30Z'),
      evidence: 'service deployment sd-1 ended SUCCESSFUL at 2026-11-25T11:59:30.000Z',
    });
  });

  test('lists every page but describes no further back than it needs to', async () => {
    history([{ status: 'SUCCESSFUL', revision: 3 }, { status: 'SUCCESSFUL', revision: 2 }, ...redeploys(40, 1)], { pageSize: 20 });
    await readDeploymentHistory(ecs, 'prod', service, silentLogger());
    expect(ecsMock.commandCalls(ListServiceDeploymentsCommand)).toHaveLength(3);
    expect(ecsMock.commandCalls(DescribeServiceDeploymentsCommand)).toHaveLength(1);
  });

  test('the way back can be described in a later batch', async () => {
    history([{ status: 'SUCCESSFUL', revision: 7 }, ...redeploys(30, 7), { status: 'SUCCESSFUL', revision: 6 }], { pageSize: 20 });
    const found = await readDeploymentHistory(ecs, 'prod', service, silentLogger());
    expect(found.previous?.taskDefinitionArn).toBe(td(6));
    expect(ecsMock.commandCalls(DescribeServiceDeploymentsCommand)).toHaveLength(2);
  });
});

describe('readDeploymentHistory does not trust what ECS does not promise', () => {
  const releaseInProgress: Entry[] = [
    { status: 'IN_PROGRESS', revision: 3 },
    { status: 'SUCCESSFUL', revision: 2 },
    { status: 'SUCCESSFUL', revision: 1 },
  ];

  test('pages in no particular order: the newest by createdAt is current, and the way back is the newest completed', async () => {
    history(releaseInProgress, { order: 'oldest-first', pageSize: 1 });
    const found = await readDeploymentHistory(ecs, 'prod', service, silentLogger());
    expect(found.current).toEqual(
      expect.objectContaining({ serviceDeploymentArn: expect.stringMatching(/sd-0$/), status: 'IN_PROGRESS', taskDefinitionArn: td(3) }),
    );
    expect(found.previous?.taskDefinitionArn).toBe(td(2));
  });

  test('an empty page that carries a nextToken is not the end of the history', async () => {
    history(releaseInProgress, { emptyFirstPage: true });
    const found = await readDeploymentHistory(ecs, 'prod', service, silentLogger());
    expect(found.source).toBe('service-deployments');
    expect(found.current?.taskDefinitionArn).toBe(td(3));
    expect(found.previous?.taskDefinitionArn).toBe(td(2));
  });

  test('a deployment described as MISSING still counts by its brief', async () => {
    history(releaseInProgress, { missing: [1] });
    const found = await readDeploymentHistory(ecs, 'prod', service, silentLogger());
    expect(found.current?.serviceDeploymentArn).toMatch(/sd-0$/);
    expect(found.previous).toEqual(
      expect.objectContaining({ taskDefinitionArn: td(2), serviceDeploymentArn: expect.stringMatching(/sd-1$/) }),
    );
  });

  test('paging is bounded even when every page is empty', async () => {
    ecsMock.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [], nextToken: 'more' });
    const found = await readDeploymentHistory(ecs, 'prod', { ...service, deployments: [] }, silentLogger());
    expect(found.current).toBeUndefined();
    expect(ecsMock.commandCalls(ListServiceDeploymentsCommand)).toHaveLength(10);
  });
});

describe('readDeploymentHistory: sourceServiceRevisions', () => {
  test('a source revision counts once a deployment completed it, and is dated by the deployment that started from it', async () => {
    // sd-2 completed web:1; sd-1 (web:2) ended STOPPED without rollback, so its tasks kept running beside web:1;
    // the release sd-0 started from both. web:2 never completed: only web:1 is a way back.
    history([
      { status: 'IN_PROGRESS', revision: 3, sourcesFrom: [1, 2] },
      { status: 'STOPPED', revision: 2, sourcesFrom: [2] },
      { status: 'SUCCESSFUL', revision: 1 },
    ]);
    const found = await readDeploymentHistory(ecs, 'prod', service, silentLogger());
    expect(found.previous).toEqual(
      expect.objectContaining({
        taskDefinitionArn: td(1),
        serviceDeploymentArn: expect.stringMatching(/sd-2$/),
        evidence:
          'service deployment sd-2 ended SUCCESSFUL at 2026-11-25T11:58:30.000Z, and it was serving when service deployment sd-0 started',
      }),
    );
  });

  test('among several sources that completed, the one completed last is the way back, whatever their order', async () => {
    history([
      { status: 'IN_PROGRESS', revision: 3, sourcesFrom: [2, 1] },
      { status: 'SUCCESSFUL', revision: 2 },
      { status: 'SUCCESSFUL', revision: 1 },
    ]);
    const found = await readDeploymentHistory(ecs, 'prod', service, silentLogger());
    expect(found.previous?.taskDefinitionArn).toBe(td(2));
    expect(found.lastCompleted?.taskDefinitionArn).toBe(td(2));
  });

  test('a broken revision among the sources is never the way back', async () => {
    history([
      { status: 'IN_PROGRESS', revision: 3, sourcesFrom: [1] },
      { status: 'STOPPED', revision: 2 },
    ]);
    const found = await readDeploymentHistory(ecs, 'prod', { ...service, deployments: [] }, silentLogger());
    expect(found.previous).toBeUndefined();
    expect(found.lastCompleted).toBeUndefined();
  });
});

describe('readDeploymentHistory: the current deployment', () => {
  test('after ROLLBACK_SUCCESSFUL the service stands on the revision ECS returned to', async () => {
    history([
      { status: 'ROLLBACK_SUCCESSFUL', revision: 3, rolledBackTo: 2 },
      { status: 'SUCCESSFUL', revision: 2 },
      { status: 'SUCCESSFUL', revision: 1 },
    ]);
    const found = await readDeploymentHistory(ecs, 'prod', service, silentLogger());
    expect(found.current).toEqual(
      expect.objectContaining({ status: 'ROLLBACK_SUCCESSFUL', taskDefinitionArn: td(2), targetTaskDefinitionArn: td(3) }),
    );
    expect(found.previous?.taskDefinitionArn).toBe(td(2));
  });

  test('after ROLLBACK_SUCCESSFUL to a revision completed beyond the history, that revision is still where the service stands', async () => {
    history([
      { status: 'ROLLBACK_SUCCESSFUL', revision: 3, rolledBackTo: 2 },
      { status: 'SUCCESSFUL', revision: 1 },
    ]);
    const found = await readDeploymentHistory(ecs, 'prod', service, silentLogger());
    expect(found.previous).toEqual(
      expect.objectContaining({ taskDefinitionArn: td(2), evidence: 'service deployment sd-0 rolled back to it (ROLLBACK_SUCCESSFUL)' }),
    );
  });
});

describe("readDeploymentHistory: the revision ECS's own rollback returns to", () => {
  test("is the last completed one, even when it is the release's own revision", async () => {
    // A forced redeploy of web:2 in progress: ECS's rollback would return to web:2, not to the previous web:1.
    history([
      { status: 'IN_PROGRESS', revision: 2 },
      { status: 'SUCCESSFUL', revision: 2 },
      { status: 'SUCCESSFUL', revision: 1 },
    ]);
    const found = await readDeploymentHistory(ecs, 'prod', service, silentLogger());
    expect(found.lastCompleted?.taskDefinitionArn).toBe(td(2));
    expect(found.previous?.taskDefinitionArn).toBe(td(1));
  });

  test('is the previous revision in the ordinary case', async () => {
    history([
      { status: 'IN_PROGRESS', revision: 3 },
      { status: 'SUCCESSFUL', revision: 2 },
    ]);
    const found = await readDeploymentHistory(ecs, 'prod', service, silentLogger());
    expect(found.lastCompleted?.taskDefinitionArn).toBe(td(2));
    expect(found.previous?.taskDefinitionArn).toBe(td(2));
  });
});

describe('readDeploymentHistory falls back to the deployments DescribeServices lists', () => {
  const deployment = (
    id: string,
    status: string,
    revision: number,
    rolloutState: Deployment['rolloutState'],
    minutesAgo: number,
  ): Deployment => ({
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
    expect(log.lines).toEqual([
      expect.stringMatching(
        /^warning: Could not read the service's deployment history \(AccessDeniedException: not authorized\).*ecs:ListServiceDeployments/,
      ),
    ]);
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
    const failedOld: Service = {
      ...service,
      deployments: [deployment('ecs-svc/3', 'PRIMARY', 3, 'IN_PROGRESS', 1), deployment('ecs-svc/2', 'ACTIVE', 2, 'FAILED', 5)],
    };
    expect((await readDeploymentHistory(ecs, 'prod', failedOld, silentLogger())).previous).toBeUndefined();
  });

  test('when the history has the release but no revision before it: ECS keeps only 90 days', async () => {
    // The only deployment of web:1 is older than the history; the service still lists it, COMPLETED.
    history([{ status: 'IN_PROGRESS', revision: 2 }]);
    const log = silentLogger();
    const found = await readDeploymentHistory(ecs, 'prod', rollingOut, log);
    expect(found.source).toBe('service-deployments');
    expect(found.current).toEqual(
      expect.objectContaining({ serviceDeploymentArn: expect.stringMatching(/sd-0$/), taskDefinitionArn: td(2) }),
    );
    expect(found.previous).toEqual({
      taskDefinitionArn: td(1),
      evidence: 'deployment ecs-svc/1 is still listed by the service as COMPLETED',
    });
    expect(found.lastCompleted).toBeUndefined();
    expect(log.lines).toEqual([expect.stringContaining('90 days')]);
  });
});

import { beforeEach, describe, expect, test } from '@jest/globals';
import {
  BatchGetDeploymentsCommand,
  CodeDeployClient,
  GetApplicationRevisionCommand,
  GetDeploymentCommand,
  ListDeploymentsCommand,
  type DeploymentGroupInfo,
  type DeploymentInfo,
} from '@aws-sdk/client-codedeploy';
import type { Service } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { deployedRevision, deployedRevisions } from '../../src/deployment/codedeploy/deployed-revision';
import { readCodeDeployHistory } from '../../src/deployment/codedeploy/history';
import { codeDeployServingRevision } from '../../src/deployment/codedeploy/serving-revision';
import { codeDeployNames } from '../../src/deployment/codedeploy/settings';
import { chooseTarget } from '../../src/use-cases/roll-back/target';

// GetDeployment's API reference says the AppSpec content is always null in the revision it returns: the content
// then comes from GetApplicationRevision by sha256. Either answer must work.
const cdMock = mockClient(CodeDeployClient);
const names = codeDeployNames('prod', 'web');
const td = (n: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${n}`;
const contentOf = (n: number) => JSON.stringify({ Resources: [{ TargetService: { Properties: { TaskDefinition: td(n) } } }] });
const sha = (n: number) => `sha-of-${n}`;
const withContent = (n: number) => ({ revisionType: 'AppSpecContent' as const, appSpecContent: { content: contentOf(n), sha256: sha(n) } });
const shaOnly = (n: number) => ({ revisionType: 'AppSpecContent' as const, appSpecContent: { sha256: sha(n) } });
const deployment = (id: string, n: number, extra: Partial<DeploymentInfo> = {}): DeploymentInfo => ({
  deploymentId: id,
  applicationName: names.application,
  status: 'Succeeded',
  creator: 'user',
  revision: shaOnly(n),
  ...extra,
});
/** GetApplicationRevision answers the content of revision `n` for sha(n). */
const applicationHasRevisions = () =>
  cdMock.on(GetApplicationRevisionCommand).callsFake((input: { revision: { appSpecContent: { sha256: string } } }) => {
    const n = Number(input.revision.appSpecContent.sha256.replace('sha-of-', ''));
    return { applicationName: names.application, revision: withContent(n) };
  });
const revisionReads = () => cdMock.commandCalls(GetApplicationRevisionCommand);
const denied = () =>
  Object.assign(new Error('not authorized to perform: codedeploy:GetApplicationRevision'), { name: 'AccessDeniedException' });

beforeEach(() => {
  cdMock.reset();
});

describe('deployedRevision', () => {
  test('the content GetDeployment carries is used without GetApplicationRevision', async () => {
    const read = await deployedRevision(new CodeDeployClient({}), deployment('d-1', 3, { revision: withContent(3) }));
    expect(read.taskDefinitionArn).toBe(td(3));
    expect(revisionReads()).toHaveLength(0);
  });

  test('without the content, GetApplicationRevision by its sha256, once per revision in a run', async () => {
    applicationHasRevisions();
    const codedeploy = new CodeDeployClient({});
    const found = await deployedRevisions(codedeploy, [deployment('d-1', 2), deployment('d-2', 3), deployment('d-3', 2)]);
    await deployedRevision(codedeploy, deployment('d-4', 3));
    expect([...found.values()].map((r) => r.taskDefinitionArn)).toEqual([td(2), td(3), td(2)]);
    expect(revisionReads().map((call) => call.args[0].input)).toEqual([
      { applicationName: names.application, revision: shaOnly(2) },
      { applicationName: names.application, revision: shaOnly(3) },
    ]);
  });

  test('a refused GetApplicationRevision is no revision, and says which permission to grant', async () => {
    cdMock.on(GetApplicationRevisionCommand).rejects(denied());
    const read = await deployedRevision(new CodeDeployClient({}), deployment('d-1', 2));
    expect(read.taskDefinitionArn).toBeUndefined();
    expect(read.refused).toBe(true);
    expect(read.unreadable).toMatch(/grant codedeploy:GetApplicationRevision on the application/);
  });
});

describe('the callers, when GetDeployment gives only the sha256', () => {
  const service: Service = {
    serviceName: 'web',
    taskDefinition: td(4),
    taskSets: [
      {
        id: 'ecs-svc/4',
        status: 'PRIMARY',
        taskDefinition: td(4),
        stabilityStatus: 'STEADY_STATE',
        createdAt: new Date('2026-12-02T10:05:00Z'),
      },
    ],
  };
  const groupHas = (...deployments: DeploymentInfo[]) => {
    cdMock.on(ListDeploymentsCommand).callsFake((input: { includeOnlyStatuses?: string[] }) => ({
      deployments: deployments
        .filter((d) => !input.includeOnlyStatuses || input.includeOnlyStatuses.includes(d.status as string))
        .map((d) => d.deploymentId as string),
    }));
    cdMock.on(BatchGetDeploymentsCommand).resolves({ deploymentsInfo: deployments });
  };
  const history = [
    deployment('d-RELEASE01', 4, { status: 'Failed', createTime: new Date('2026-12-02T10:00:00Z') }),
    deployment('d-GOOD00001', 2, { createTime: new Date('2026-12-01T10:00:00Z') }),
  ];

  test("auto-rollback's target is the last Succeeded deployment's revision, read by sha256", async () => {
    groupHas(...history);
    applicationHasRevisions();
    const read = await readCodeDeployHistory(new CodeDeployClient({}), names, service);
    expect(chooseTarget(undefined, read).taskDefinitionArn).toBe(td(2));
  });

  test('with GetApplicationRevision refused, the target cannot be chosen from the history: the input is asked for', async () => {
    groupHas(...history);
    cdMock.on(GetApplicationRevisionCommand).rejects(denied());
    const read = await readCodeDeployHistory(new CodeDeployClient({}), names, service);
    expect(read.previous).toBeUndefined();
    expect(() => chooseTarget(undefined, read)).toThrow(
      /^Input 'task-definition' is needed: the target cannot be chosen from the deployment history, since GetApplicationRevision .* grant codedeploy:GetApplicationRevision/,
    );
  });

  test("deploy-ecs's previous revision, when a failed deployment left its replacement serving, is the group's last Succeeded deployment's", async () => {
    cdMock.on(GetDeploymentCommand, { deploymentId: 'd-GOOD00001' }).resolves({ deploymentInfo: history[1] });
    applicationHasRevisions();
    const plan = {
      names,
      group: {
        lastAttemptedDeployment: { deploymentId: 'd-RELEASE01', status: 'Failed', createTime: new Date('2026-12-02T10:00:00Z') },
        lastSuccessfulDeployment: { deploymentId: 'd-GOOD00001', status: 'Succeeded' },
      } as DeploymentGroupInfo,
      deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
      waitMs: 0,
    };
    const serving = await codeDeployServingRevision(service, { codedeploy: new CodeDeployClient({}) }, [plan]);
    expect(serving.taskDefinitionArn).toBe(td(2));
    expect(revisionReads()).toHaveLength(1);
  });
});

import { beforeEach, describe, expect, test } from '@jest/globals';
import {
  CodeDeployClient,
  CreateDeploymentCommand,
  DeploymentAlreadyCompletedException,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  StopDeploymentCommand,
  type DeploymentInfo,
  type ECSTarget,
} from '@aws-sdk/client-codedeploy';
import { DescribeServicesCommand, ECSClient, type Service } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { silentLogger } from '@ecs-deploy/core/common';
import type { DeploymentHistory } from '@ecs-deploy/core/ecs';
import { startCodeDeployRollback } from '../../src/deployment/codedeploy/roll-back';
import { fakeClock } from '../support/fake-clock';

const cdMock = mockClient(CodeDeployClient);
const ecsMock = mockClient(ECSClient);
const codedeploy = new CodeDeployClient({ region: 'us-east-1' });
const ecs = new ECSClient({ region: 'us-east-1' });

const td = (revision: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${revision}`;
const RELEASE = 'd-RELEASE02';
const ROLLBACK = 'd-ROLLBACK3';

const serviceOn = (primary: number, active?: number): Service => ({
  serviceName: 'web',
  taskDefinition: td(primary),
  deploymentController: { type: 'CODE_DEPLOY' },
  loadBalancers: [{ targetGroupArn: 'arn:tg1', containerName: 'web', containerPort: 8080 }],
  taskSets: [
    { id: 'ecs-svc/one', status: 'PRIMARY', taskDefinition: td(primary) },
    ...(active ? [{ id: 'ecs-svc/two', status: 'ACTIVE', taskDefinition: td(active) }] : []),
  ],
});

/** The release d-RELEASE02 of web:2 over web:1, `status`, its Blue task set ecs-svc/one running web:1. */
function releaseIs(status: DeploymentInfo['status'], target: Partial<ECSTarget> = {}, rollbackInfo?: DeploymentInfo['rollbackInfo']) {
  const info: DeploymentInfo = { deploymentId: RELEASE, status, creator: 'user', ...(rollbackInfo ? { rollbackInfo } : {}) };
  cdMock.on(GetDeploymentCommand, { deploymentId: RELEASE }).resolves({ deploymentInfo: info });
  cdMock.on(GetDeploymentTargetCommand).resolves({
    deploymentTarget: {
      ecsTarget: {
        status: 'InProgress',
        taskSetsInfo: [
          { identifer: 'ecs-svc/one', taskSetLabel: 'Blue', trafficWeight: 100 },
          { identifer: 'ecs-svc/two', taskSetLabel: 'Green', trafficWeight: 0 },
        ],
        ...target,
      },
    },
  });
}

const inFlight = (deploymentId = RELEASE): DeploymentHistory => ({
  source: 'codedeploy-deployments',
  current: { deploymentId, inFlight: true, status: 'InProgress', taskDefinitionArn: td(2), targetTaskDefinitionArn: td(2) },
  previous: { taskDefinitionArn: td(1), evidence: 'CodeDeploy deployment d-GOOD00001 ended Succeeded' },
});
const finished: DeploymentHistory = {
  source: 'codedeploy-deployments',
  current: { deploymentId: RELEASE, inFlight: false, status: 'Succeeded', taskDefinitionArn: td(2), targetTaskDefinitionArn: td(2) },
  previous: { taskDefinitionArn: td(1), evidence: 'CodeDeploy deployment d-GOOD00001 ended Succeeded' },
};

const rollBack = (history: DeploymentHistory, targetArn = td(1)) =>
  startCodeDeployRollback(
    { region: 'us-east-1', cluster: 'prod', service: 'web', wait: false, timeoutMs: 600_000, targetArn, history },
    { ecs, codedeploy, log, clock },
  );

let log: ReturnType<typeof silentLogger>;
let clock: ReturnType<typeof fakeClock>;
beforeEach(() => {
  cdMock.reset();
  ecsMock.reset();
  log = silentLogger();
  clock = fakeClock();
  ecsMock.on(DescribeServicesCommand).resolves({ services: [serviceOn(1, 2)] });
  cdMock.on(StopDeploymentCommand).resolves({ status: 'Pending' });
  cdMock.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-NEWDEPLO4' });
  cdMock.on(GetDeploymentGroupCommand).resolves({
    deploymentGroupInfo: {
      applicationName: 'AppECS-prod-web',
      deploymentGroupName: 'DgpECS-prod-web',
      deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
      ecsServices: [{ clusterName: 'prod', serviceName: 'web' }],
      blueGreenDeploymentConfiguration: {
        terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 5 },
      },
    },
  });
});

const stops = () => cdMock.commandCalls(StopDeploymentCommand).map((call) => call.args[0].input);
const creates = () => cdMock.commandCalls(CreateDeploymentCommand).length;

describe('startCodeDeployRollback: StopDeployment in flight, CreateDeployment after', () => {
  test('a release in flight is stopped with autoRollbackEnabled, and the rollback deployment CodeDeploy names is the one to watch', async () => {
    releaseIs('InProgress');
    // StopDeployment answers Pending; a poll later the stopped deployment names its rollback.
    cdMock
      .on(GetDeploymentCommand, { deploymentId: RELEASE })
      .resolvesOnce({ deploymentInfo: { deploymentId: RELEASE, status: 'InProgress' } })
      .resolvesOnce({ deploymentInfo: { deploymentId: RELEASE, status: 'InProgress' } })
      .resolves({ deploymentInfo: { deploymentId: RELEASE, status: 'Stopped', rollbackInfo: { rollbackDeploymentId: ROLLBACK } } });

    const started = await rollBack(inFlight());

    expect(stops()).toEqual([{ deploymentId: RELEASE, autoRollbackEnabled: true }]);
    expect(started).toMatchObject({ mechanism: 'StopDeployment', deploymentId: ROLLBACK });
    expect(started.description).toMatch(/reroutes production traffic back to the original task set \(web:1\)/);
    expect(creates()).toBe(0);
  });

  test('in the termination wait (production on the replacement) the stop still rolls back, and says where the deployment was', async () => {
    releaseIs('InProgress', {
      status: 'Succeeded',
      lifecycleEvents: [{ lifecycleEventName: 'AfterAllowTraffic', status: 'Succeeded' }],
      taskSetsInfo: [
        { identifer: 'ecs-svc/two', taskSetLabel: 'Blue', trafficWeight: 0 },
        { identifer: 'ecs-svc/one', taskSetLabel: 'Green', trafficWeight: 100 },
      ],
    });
    // Production moved: the replacement (web:2) is PRIMARY, the original (web:1) ACTIVE beside it.
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [
        {
          ...serviceOn(2, 1),
          taskSets: [
            { id: 'ecs-svc/one', status: 'PRIMARY', taskDefinition: td(2) },
            { id: 'ecs-svc/two', status: 'ACTIVE', taskDefinition: td(1) },
          ],
        },
      ],
    });
    cdMock
      .on(GetDeploymentCommand, { deploymentId: RELEASE })
      .resolvesOnce({ deploymentInfo: { deploymentId: RELEASE, status: 'InProgress', instanceTerminationWaitTimeStarted: false } })
      .resolves({ deploymentInfo: { deploymentId: RELEASE, status: 'Stopped', rollbackInfo: { rollbackDeploymentId: ROLLBACK } } });

    const started = await rollBack(inFlight());

    expect(started.description).toMatch(/still in flight \(production rerouted, in its termination wait\)/);
    expect(started.deploymentId).toBe(ROLLBACK);
  });

  test('a deployment that finished between the read and the stop is followed to the rollback it names, not stopped twice', async () => {
    releaseIs('InProgress');
    cdMock.on(StopDeploymentCommand).rejects(new DeploymentAlreadyCompletedException({ message: 'complete', $metadata: {} }));
    cdMock
      .on(GetDeploymentCommand, { deploymentId: RELEASE })
      .resolvesOnce({ deploymentInfo: { deploymentId: RELEASE, status: 'InProgress' } })
      .resolves({ deploymentInfo: { deploymentId: RELEASE, status: 'Failed', rollbackInfo: { rollbackDeploymentId: ROLLBACK } } });

    const started = await rollBack(inFlight());

    expect(stops()).toHaveLength(1);
    expect(started).toMatchObject({ mechanism: 'StopDeployment', deploymentId: ROLLBACK });
    expect(started.description).toMatch(/which CodeDeploy had already ended/);
  });

  test('stopped before it made its replacement: nothing to reroute, the original serves alone, nothing left to watch', async () => {
    releaseIs('Created', { taskSetsInfo: [] });
    ecsMock.on(DescribeServicesCommand).resolves({ services: [serviceOn(1)] });
    cdMock
      .on(GetDeploymentCommand, { deploymentId: RELEASE })
      .resolvesOnce({ deploymentInfo: { deploymentId: RELEASE, status: 'Created' } })
      .resolves({ deploymentInfo: { deploymentId: RELEASE, status: 'Stopped' } });

    const started = await rollBack(inFlight());

    expect(started).toMatchObject({ mechanism: 'StopDeployment', settled: true });
    expect(creates()).toBe(0);
  });

  test('a finished release gets a new deployment of the target, and the watch is given its termination wait', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [serviceOn(2)] });

    const started = await rollBack(finished);

    expect(stops()).toEqual([]);
    const created = cdMock.commandCalls(CreateDeploymentCommand)[0].args[0].input;
    expect(created).toMatchObject({ applicationName: 'AppECS-prod-web', deploymentGroupName: 'DgpECS-prod-web' });
    expect(JSON.parse(created.revision?.appSpecContent?.content as string).Resources[0].TargetService.Properties.TaskDefinition).toBe(
      td(1),
    );
    expect(started).toMatchObject({ mechanism: 'CreateDeployment', deploymentId: 'd-NEWDEPLO4', bakeMs: 5 * 60_000 });
    expect(log.lines.join('\n')).toMatch(/runs the whole deployment again/);
  });

  test("CodeDeploy's own rollback to another revision is never stopped: it is waited for, then the target is deployed", async () => {
    cdMock.on(GetDeploymentTargetCommand).resolves({ deploymentTarget: { ecsTarget: { taskSetsInfo: [] } } });
    cdMock
      .on(GetDeploymentCommand, { deploymentId: ROLLBACK })
      .resolvesOnce({ deploymentInfo: { deploymentId: ROLLBACK, status: 'InProgress', creator: 'codeDeployRollback' } })
      .resolvesOnce({ deploymentInfo: { deploymentId: ROLLBACK, status: 'InProgress', creator: 'codeDeployRollback' } })
      .resolves({ deploymentInfo: { deploymentId: ROLLBACK, status: 'Succeeded', creator: 'codeDeployRollback' } });

    const started = await rollBack(inFlight(ROLLBACK), td(7));

    expect(stops()).toEqual([]);
    expect(started.mechanism).toBe('CreateDeployment');
    expect(log.lines.join('\n')).toMatch(/a rollback is never stopped/);
  });

  test("when CodeDeploy's rollback returns to another revision than the target, it is followed to its end, then the target is deployed", async () => {
    releaseIs('InProgress');
    cdMock
      .on(GetDeploymentCommand, { deploymentId: RELEASE })
      .resolvesOnce({ deploymentInfo: { deploymentId: RELEASE, status: 'InProgress' } })
      .resolves({ deploymentInfo: { deploymentId: RELEASE, status: 'Stopped', rollbackInfo: { rollbackDeploymentId: ROLLBACK } } });
    cdMock
      .on(GetDeploymentCommand, { deploymentId: ROLLBACK })
      .resolvesOnce({ deploymentInfo: { deploymentId: ROLLBACK, status: 'InProgress', creator: 'codeDeployRollback' } })
      .resolves({ deploymentInfo: { deploymentId: ROLLBACK, status: 'Succeeded', creator: 'codeDeployRollback' } });

    // The input names web:5; the original task set runs web:1.
    const started = await rollBack(inFlight(), td(5));

    expect(stops()).toEqual([{ deploymentId: RELEASE, autoRollbackEnabled: true }]);
    expect(log.lines.join('\n')).toMatch(/returns production to the original task set, web:1, not to web:5: waiting for it to end/);
    expect(started).toMatchObject({ mechanism: 'CreateDeployment', deploymentId: 'd-NEWDEPLO4' });
    const created = cdMock.commandCalls(CreateDeploymentCommand)[0].args[0].input;
    expect(created.revision?.appSpecContent?.content).toContain(td(5));
  });

  test('a Blue task set CodeDeploy names by another id than ECS is the oldest task set: a rollback to another revision still deploys the target after', async () => {
    releaseIs('InProgress', {
      taskSetsInfo: [
        { identifer: 'unknown-blue', taskSetLabel: 'Blue', trafficWeight: 100 },
        { identifer: 'unknown-green', taskSetLabel: 'Green', trafficWeight: 0 },
      ],
    });
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [
        {
          ...serviceOn(1, 2),
          taskSets: [
            { id: 'ecs-svc/two', status: 'ACTIVE', taskDefinition: td(2), createdAt: new Date(Date.UTC(2026, 0, 1, 1)) },
            { id: 'ecs-svc/one', status: 'PRIMARY', taskDefinition: td(1), createdAt: new Date(Date.UTC(2026, 0, 1, 0)) },
          ],
        },
      ],
    });
    cdMock
      .on(GetDeploymentCommand, { deploymentId: RELEASE })
      .resolvesOnce({ deploymentInfo: { deploymentId: RELEASE, status: 'InProgress' } })
      .resolves({ deploymentInfo: { deploymentId: RELEASE, status: 'Stopped', rollbackInfo: { rollbackDeploymentId: ROLLBACK } } });
    cdMock
      .on(GetDeploymentCommand, { deploymentId: ROLLBACK })
      .resolves({ deploymentInfo: { deploymentId: ROLLBACK, status: 'Succeeded' } });

    const started = await rollBack(inFlight(), td(5));

    expect(log.lines.join('\n')).toMatch(/returns production to the original task set, web:1, not to web:5/);
    expect(started.mechanism).toBe('CreateDeployment');
  });

  test('a deployment group that deploys another service is refused before anything is stopped or created', async () => {
    releaseIs('InProgress');
    cdMock.on(GetDeploymentGroupCommand).resolves({
      deploymentGroupInfo: { deploymentGroupName: 'DgpECS-prod-web', ecsServices: [{ clusterName: 'prod', serviceName: 'api' }] },
    });

    await expect(rollBack(inFlight())).rejects.toThrow(/deploys prod\/api, not service "web"/);
    expect(stops()).toEqual([]);
    expect(creates()).toBe(0);
  });

  test('a role without codedeploy:StopDeployment is told the grant, and nothing is deployed over the release', async () => {
    releaseIs('InProgress');
    cdMock.on(StopDeploymentCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $metadata: {} }));

    await expect(rollBack(inFlight())).rejects.toThrow(/grant codedeploy:StopDeployment/);
    expect(creates()).toBe(0);
  });
});

import { beforeEach, describe, expect, test } from '@jest/globals';
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { silentLogger } from '../../src/common/logger';
import type { DeploymentHistory } from '../../src/ecs/deployment-history';
import { startStrategyRollback } from '../../src/deployment/blue-green/roll-back';
import { fakeClock } from '../support/fake-clock';

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: 'us-east-1' });
const td = (revision: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${revision}`;
const SD = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/sd-release';
const NEW_SD = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/sd-again';

const history = (status: string): DeploymentHistory => ({
  source: 'service-deployments',
  current: { serviceDeploymentArn: SD, status, taskDefinitionArn: td(3), targetTaskDefinitionArn: td(3) },
  previous: { taskDefinitionArn: td(2), evidence: 'service deployment sd-1 ended SUCCESSFUL' },
  lastCompleted: { taskDefinitionArn: td(2), evidence: 'service deployment sd-1 ended SUCCESSFUL' },
});
const blueGreen = (primary: number): Service => ({
  serviceName: 'web',
  status: 'ACTIVE',
  taskDefinition: td(primary),
  deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 },
  deployments: [{ id: `ecs-svc/${primary}`, status: 'PRIMARY', taskDefinition: td(primary), rolloutState: 'IN_PROGRESS' }],
});

let clock: ReturnType<typeof fakeClock>;
beforeEach(() => {
  ecsMock.reset();
  clock = fakeClock();
  ecsMock.on(DescribeServicesCommand).resolves({ services: [blueGreen(3)] });
  ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
});

const rollBack = (status: string, log = silentLogger()) =>
  startStrategyRollback(
    { region: 'us-east-1', cluster: 'prod', service: 'web', wait: true, timeoutMs: 600_000, targetArn: td(2), history: history(status) },
    { ecs, log, clock },
  );

describe('startStrategyRollback', () => {
  test('a deployment paused at a PAUSE hook is answered ROLLBACK, and watched to ROLLBACK_SUCCESSFUL', async () => {
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves({
      serviceDeployments: [
        {
          serviceDeploymentArn: SD,
          status: 'IN_PROGRESS',
          lifecycleHookDetails: [{ hookId: 'ecs-pause-1', targetType: 'PAUSE', status: 'AWAITING_ACTION' }],
        },
      ],
    });
    ecsMock.on(ContinueServiceDeploymentCommand).resolves({ serviceDeploymentArn: SD });

    const started = await rollBack('IN_PROGRESS');

    expect(ecsMock.commandCalls(ContinueServiceDeploymentCommand)[0].args[0].input).toEqual({
      serviceDeploymentArn: SD,
      hookId: 'ecs-pause-1',
      action: 'ROLLBACK',
    });
    expect(ecsMock.commandCalls(StopServiceDeploymentCommand)).toHaveLength(0);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(started).toMatchObject({ mechanism: 'ContinueServiceDeployment', serviceDeploymentArn: SD, expect: 'rollback' });
  });

  test('a deployment in flight without a pause is stopped with ROLLBACK', async () => {
    ecsMock
      .on(DescribeServiceDeploymentsCommand)
      .resolves({ serviceDeployments: [{ serviceDeploymentArn: SD, status: 'IN_PROGRESS', lifecycleStage: 'BAKE_TIME' }] });
    ecsMock.on(StopServiceDeploymentCommand).resolves({ serviceDeploymentArn: SD });

    const started = await rollBack('IN_PROGRESS');

    expect(ecsMock.commandCalls(StopServiceDeploymentCommand)[0].args[0].input).toEqual({ serviceDeploymentArn: SD, stopType: 'ROLLBACK' });
    expect(ecsMock.commandCalls(ContinueServiceDeploymentCommand)).toHaveLength(0);
    expect(started).toMatchObject({ mechanism: 'StopServiceDeployment', serviceDeploymentArn: SD, expect: 'rollback' });
  });

  test('a finished deployment gets a new deployment of the target, which says it runs the whole strategy again', async () => {
    ecsMock.on(UpdateServiceCommand).resolves({ service: blueGreen(2) });
    ecsMock.on(ListServiceDeploymentsCommand).resolves({
      serviceDeployments: [{ serviceDeploymentArn: NEW_SD, createdAt: new Date(clock.now() + 200), targetServiceRevisionArn: 'rev-2' }],
    });
    ecsMock.on(DescribeServiceRevisionsCommand).resolves({ serviceRevisions: [{ serviceRevisionArn: 'rev-2', taskDefinition: td(2) }] });
    const log = silentLogger();

    const started = await rollBack('SUCCESSFUL', log);

    expect(ecsMock.commandCalls(StopServiceDeploymentCommand)).toHaveLength(0);
    expect(ecsMock.commandCalls(UpdateServiceCommand)[0].args[0].input).toMatchObject({ taskDefinition: td(2) });
    expect(started).toMatchObject({ mechanism: 'UpdateService', serviceDeploymentArn: NEW_SD, deploymentId: 'ecs-svc/2' });
    expect(started.expect).toBeUndefined();
    expect(started.description).toBe('UpdateService to web:2 (a new deployment, through the whole BLUE_GREEN strategy again)');
    expect(log.lines.join('\n')).toMatch(/runs through the whole strategy \(test traffic, production shift, bake\) again/);
  });

  test('a hook answered meanwhile (the Continue refused) falls back to stopping the deployment', async () => {
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves({
      serviceDeployments: [
        {
          serviceDeploymentArn: SD,
          status: 'IN_PROGRESS',
          lifecycleHookDetails: [{ hookId: 'ecs-pause-1', targetType: 'PAUSE', status: 'AWAITING_ACTION' }],
        },
      ],
    });
    const conflict = Object.assign(new Error('hook is not awaiting action'), {
      name: 'InvalidParameterException',
      $metadata: { httpStatusCode: 400 },
    });
    ecsMock.on(ContinueServiceDeploymentCommand).rejects(conflict);
    ecsMock.on(StopServiceDeploymentCommand).resolves({ serviceDeploymentArn: SD });
    const log = silentLogger();

    const started = await rollBack('IN_PROGRESS', log);

    expect(ecsMock.commandCalls(StopServiceDeploymentCommand)).toHaveLength(1);
    expect(started.mechanism).toBe('StopServiceDeployment');
    // Nothing for the user to fix: said in the log, not warned.
    expect(log.lines.filter((line) => line.startsWith('warning: '))).toEqual([]);
    expect(log.lines.join('\n')).toMatch(
      /ContinueServiceDeployment \(ROLLBACK\) of hook ecs-pause-1 did not go through .*stopping the deployment instead/,
    );
  });

  test('a role that may not answer the hook stops the deployment instead, warning that ecs:ContinueServiceDeployment would answer it', async () => {
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves({
      serviceDeployments: [
        {
          serviceDeploymentArn: SD,
          status: 'IN_PROGRESS',
          lifecycleHookDetails: [{ hookId: 'ecs-pause-1', targetType: 'PAUSE', status: 'AWAITING_ACTION' }],
        },
      ],
    });
    const denied = Object.assign(new Error('User: deploy is not authorized to perform: ecs:ContinueServiceDeployment'), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 },
    });
    ecsMock.on(ContinueServiceDeploymentCommand).rejects(denied);
    ecsMock.on(StopServiceDeploymentCommand).resolves({ serviceDeploymentArn: SD });
    const log = silentLogger();

    const started = await rollBack('IN_PROGRESS', log);

    expect(ecsMock.commandCalls(ContinueServiceDeploymentCommand)).toHaveLength(1);
    expect(ecsMock.commandCalls(StopServiceDeploymentCommand)[0].args[0].input).toEqual({ serviceDeploymentArn: SD, stopType: 'ROLLBACK' });
    expect(started).toMatchObject({ mechanism: 'StopServiceDeployment', serviceDeploymentArn: SD, expect: 'rollback' });
    const warnings = log.lines.filter((line) => line.startsWith('warning: '));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(
      'ContinueServiceDeployment (ROLLBACK) of PAUSE hook ecs-pause-1 of service deployment sd-release was refused (AccessDeniedException: ',
    );
    expect(warnings[0]).toContain('auto-rollback stops the deployment with StopServiceDeployment (ROLLBACK) instead');
    expect(warnings[0]).toContain('Grant ecs:ContinueServiceDeployment');
    // auto-rollback's words, not verify-health's.
    expect(log.lines.join('\n')).not.toContain('verify-health');
  });

  test('a deployment ECS is already rolling back is watched to its end: nothing is stopped, continued or updated', async () => {
    const started = await rollBack('ROLLBACK_IN_PROGRESS');

    expect(ecsMock.commandCalls(StopServiceDeploymentCommand)).toHaveLength(0);
    expect(ecsMock.commandCalls(ContinueServiceDeploymentCommand)).toHaveLength(0);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(started).toMatchObject({ mechanism: 'none', serviceDeploymentArn: SD, expect: 'rollback' });
  });
});

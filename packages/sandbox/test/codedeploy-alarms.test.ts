import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import {
  type AutoRollbackEvent,
  CreateApplicationCommand,
  CreateDeploymentGroupCommand,
  GetDeploymentGroupCommand,
  InvalidAlarmConfigException,
} from '@aws-sdk/client-codedeploy';
import { start, type Sandbox } from '../src/index';
import { putErrorRateAlarm } from '../../../test/support/alarms';
import { registerRevision } from '../../../test/support/blue-green';
import { codeDeployClient, createCodeDeployService, deploymentGroupInput, type CodeDeployService } from '../../../test/support/codedeploy';
import { appSpecContent, createDeployment, finished, observe, refusalOf, walk } from './support/codedeploy-walk';
import { cloudWatchClient } from './support/harness';

// Deployment-group alarms: an alarm in ALARM stops the deployment (ALARM_ACTIVE), and rolls it back with
// DEPLOYMENT_STOP_ON_ALARM.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start({ clock: 'manual' });
});
afterAll(async () => {
  await sandbox.stop();
});

const setAlarm = (name: string, state: 'OK' | 'ALARM') =>
  cloudWatchClient(sandbox).send(new SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: 'test' }));

async function watchedService(name: string, events: AutoRollbackEvent[]): Promise<{ cd: CodeDeployService; v2: string; alarm: string }> {
  const alarm = `${name}-5xx`;
  await putErrorRateAlarm(cloudWatchClient(sandbox), alarm);
  const cd = await createCodeDeployService(sandbox, {
    service: name,
    group: {
      alarmConfiguration: { enabled: true, alarms: [{ name: alarm }] },
      autoRollbackConfiguration: { enabled: true, events },
      blueGreenDeploymentConfiguration: {
        deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT', waitTimeInMinutes: 0 },
        terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 5 },
      },
    },
  });
  await sandbox.advance(45_000);
  return { cd, v2: await registerRevision(sandbox, cd, 'v2'), alarm };
}

test('an alarm going to ALARM during the termination wait stops the deployment and rolls it back to the original task set', async () => {
  const { cd, v2, alarm } = await watchedService('alarmroll', ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM']);
  const id = await createDeployment(sandbox, cd, appSpecContent(cd, v2));
  await walk(sandbox, cd, id, (o) => o.target.status === 'Succeeded' || finished(o));
  await setAlarm(alarm, 'ALARM');
  const stopped = await walk(sandbox, cd, id, finished);
  expect(stopped.info.status).toBe('Stopped');
  expect(stopped.info.errorInformation).toEqual({
    code: 'ALARM_ACTIVE',
    message: `The deployment was stopped because the CloudWatch alarm ${alarm} went into ALARM.`,
  });
  const rollbackId = stopped.info.rollbackInfo?.rollbackDeploymentId as string;
  const rollback = await walk(sandbox, cd, rollbackId, finished);
  expect(rollback.info.status).toBe('Succeeded');
  const back = sandbox.history.filter((e) => e.kind === 'codedeploy-traffic' && e.deploymentId === rollbackId).at(-1);
  expect(back?.trafficWeight).toBe(100);
});

test('without DEPLOYMENT_STOP_ON_ALARM the alarm stops the deployment and nothing rolls back', async () => {
  const { cd, v2, alarm } = await watchedService('alarmstop', ['DEPLOYMENT_FAILURE']);
  const id = await createDeployment(sandbox, cd, appSpecContent(cd, v2));
  await walk(sandbox, cd, id, (o) => o.target.lifecycleEvents?.[3]?.status === 'InProgress' || finished(o));
  await setAlarm(alarm, 'ALARM');
  const stopped = await walk(sandbox, cd, id, finished);
  expect(stopped.info).toMatchObject({ status: 'Stopped', errorInformation: { code: 'ALARM_ACTIVE' } });
  expect(stopped.info.rollbackInfo).toBeUndefined();
});

test('an alarm already in ALARM stops the next deployment; overrideAlarmConfiguration off lets it through', async () => {
  const { cd, v2, alarm } = await watchedService('alarmstale', ['DEPLOYMENT_FAILURE']);
  await setAlarm(alarm, 'ALARM');
  const blocked = await walk(sandbox, cd, await createDeployment(sandbox, cd, appSpecContent(cd, v2)), finished);
  expect(blocked.info).toMatchObject({ status: 'Stopped', errorInformation: { code: 'ALARM_ACTIVE' } });
  const override = await createDeployment(sandbox, cd, appSpecContent(cd, v2), { overrideAlarmConfiguration: { enabled: false } });
  expect((await observe(sandbox, cd, override)).info.overrideAlarmConfiguration).toEqual({
    enabled: false,
    ignorePollAlarmFailure: false,
    alarms: [],
  });
  await walk(sandbox, cd, override, (o) => o.target.status === 'Succeeded' || finished(o));
  expect((await observe(sandbox, cd, override)).info.status).toBe('InProgress');
});

test('an alarm in ALARM that the group does not name does not stop a deployment', async () => {
  const { cd, v2 } = await watchedService('alarmok', ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM']);
  await putErrorRateAlarm(cloudWatchClient(sandbox), 'someone-elses', { state: 'ALARM' });
  const id = await createDeployment(sandbox, cd, appSpecContent(cd, v2));
  expect((await walk(sandbox, cd, id, finished)).info.status).toBe('Succeeded');
});

test('CreateDeploymentGroup refuses an enabled alarm configuration without alarms, and duplicate alarm names', async () => {
  const cd = await createCodeDeployService(sandbox, { service: 'alarmcfg', createGroup: false });
  const codedeploy = codeDeployClient(sandbox);
  await codedeploy.send(new CreateApplicationCommand({ applicationName: cd.applicationName, computePlatform: 'ECS' }));
  const empty = await refusalOf(
    codedeploy.send(new CreateDeploymentGroupCommand({ ...deploymentGroupInput(cd), alarmConfiguration: { enabled: true, alarms: [] } })),
  );
  expect(empty).toBeInstanceOf(InvalidAlarmConfigException);
  const twice = await refusalOf(
    codedeploy.send(
      new CreateDeploymentGroupCommand({
        ...deploymentGroupInput(cd),
        alarmConfiguration: { enabled: true, alarms: [{ name: 'a' }, { name: 'a' }] },
      }),
    ),
  );
  expect(twice).toBeInstanceOf(InvalidAlarmConfigException);
  await codedeploy.send(
    new CreateDeploymentGroupCommand({ ...deploymentGroupInput(cd), alarmConfiguration: { enabled: true, alarms: [{ name: 'a' }] } }),
  );
  const group = await codedeploy.send(
    new GetDeploymentGroupCommand({ applicationName: cd.applicationName, deploymentGroupName: cd.deploymentGroupName }),
  );
  expect(group.deploymentGroupInfo?.alarmConfiguration).toEqual({ enabled: true, ignorePollAlarmFailure: false, alarms: [{ name: 'a' }] });
});

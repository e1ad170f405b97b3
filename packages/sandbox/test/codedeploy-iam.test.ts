import { afterAll, beforeAll, expect, test } from '@jest/globals';
import {
  ContinueDeploymentCommand,
  CreateDeploymentCommand,
  GetDeploymentConfigCommand,
  GetDeploymentTargetCommand,
  ListDeploymentsCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { start, type IamPolicy, type Sandbox } from '../src/index';
import { registerRevision } from '../../../test/support/blue-green';
import { codeDeployClient, createCodeDeployService, type CodeDeployService } from '../../../test/support/codedeploy';
import { appSpecContent, createDeployment, finished, refusalOf, walk } from './support/codedeploy-walk';

// The IAM allow-list judges CodeDeploy calls by the Service Authorization Reference and the user guide's permissions
// reference: action codedeploy:<Operation>, resource by its kind, and the dependent actions CreateDeployment needs.
let sandbox: Sandbox;
let cd: CodeDeployService;
let v2: string;
beforeAll(async () => {
  sandbox = await start({ clock: 'manual' });
  cd = await createCodeDeployService(sandbox, { service: 'iamcd', group: { blueGreenDeploymentConfiguration: undefined } });
  await sandbox.advance(45_000);
  v2 = await registerRevision(sandbox, cd, 'v2');
});
afterAll(async () => {
  await sandbox.stop();
});

const ARN = 'arn:aws:codedeploy:us-east-1:000000000000';
const groupArn = () => `${ARN}:deploymentgroup:${cd.applicationName}/${cd.deploymentGroupName}`;
const applicationArn = () => `${ARN}:application:${cd.applicationName}`;
const allConfigs = `${ARN}:deploymentconfig:*`;
const client = () => codeDeployClient(sandbox, 1);

async function withPolicy<T>(policy: IamPolicy, run: () => Promise<T>): Promise<T> {
  sandbox.setIamPolicy(policy);
  try {
    return await run();
  } finally {
    sandbox.setIamPolicy(undefined);
  }
}

const allow = (Action: string[], Resource: string | string[]) => ({ Effect: 'Allow' as const, Action, Resource });

function create(content: string, extra: Record<string, unknown> = {}) {
  return client().send(
    new CreateDeploymentCommand({
      applicationName: cd.applicationName,
      deploymentGroupName: cd.deploymentGroupName,
      revision: { revisionType: 'AppSpecContent', appSpecContent: { content } },
      ...extra,
    }),
  );
}

test("CreateDeployment without GetDeploymentConfig on the group's configuration is refused, naming it", async () => {
  const denied = await withPolicy(
    {
      Statement: [allow(['codedeploy:CreateDeployment'], groupArn()), allow(['codedeploy:RegisterApplicationRevision'], applicationArn())],
    },
    () => refusalOf(create(appSpecContent(cd, v2))),
  );
  expect(denied.message).toContain(`codedeploy:GetDeploymentConfig on resource: ${ARN}:deploymentconfig:CodeDeployDefault.ECSAllAtOnce`);
});

test('CreateDeployment without RegisterApplicationRevision or GetApplicationRevision on the application is refused', async () => {
  const denied = await withPolicy(
    { Statement: [allow(['codedeploy:CreateDeployment'], groupArn()), allow(['codedeploy:GetDeploymentConfig'], allConfigs)] },
    () => refusalOf(create(appSpecContent(cd, v2))),
  );
  expect(denied.message).toContain(`codedeploy:RegisterApplicationRevision on resource: ${applicationArn()}`);
});

test('CreateDeployment with GetApplicationRevision instead of RegisterApplicationRevision is allowed', async () => {
  const created = await withPolicy(
    {
      Statement: [
        allow(['codedeploy:CreateDeployment'], groupArn()),
        allow(['codedeploy:GetDeploymentConfig'], allConfigs),
        allow(['codedeploy:GetApplicationRevision'], applicationArn()),
      ],
    },
    () => create(appSpecContent(cd, v2)),
  );
  await walk(sandbox, cd, created.deploymentId as string, finished);
});

test('CreateDeployment with overrideAlarmConfiguration also needs UpdateDeploymentGroup on the group', async () => {
  const denied = await withPolicy(
    {
      Statement: [
        allow(['codedeploy:CreateDeployment'], groupArn()),
        allow(['codedeploy:GetDeploymentConfig'], allConfigs),
        allow(['codedeploy:RegisterApplicationRevision'], applicationArn()),
      ],
    },
    () => refusalOf(create(appSpecContent(cd, v2), { overrideAlarmConfiguration: { enabled: false } })),
  );
  expect(denied.message).toContain(`codedeploy:UpdateDeploymentGroup on resource: ${groupArn()}`);
});

test('StopDeployment, ContinueDeployment and GetDeploymentTarget granted on the deployment group only are refused on *', async () => {
  const id = await createDeployment(sandbox, cd, appSpecContent(cd, v2));
  const policy = {
    Statement: [allow(['codedeploy:StopDeployment', 'codedeploy:ContinueDeployment', 'codedeploy:GetDeploymentTarget'], groupArn())],
  };
  const messages = await withPolicy(policy, async () =>
    Promise.all([
      refusalOf(client().send(new StopDeploymentCommand({ deploymentId: id }))),
      refusalOf(client().send(new ContinueDeploymentCommand({ deploymentId: id }))),
      refusalOf(client().send(new GetDeploymentTargetCommand({ deploymentId: id, targetId: `${cd.cluster}:${cd.service}` }))),
    ]),
  );
  expect(messages.map((m) => /perform: (\S+) on resource: (\S+)/.exec(m.message)?.slice(1))).toEqual([
    ['codedeploy:StopDeployment', '*'],
    ['codedeploy:ContinueDeployment', '*'],
    ['codedeploy:GetDeploymentTarget', '*'],
  ]);
  await walk(sandbox, cd, id, finished);
});

test('ListDeployments is authorized on the group it names, and on * without one', async () => {
  const policy = { Statement: [allow(['codedeploy:ListDeployments'], groupArn())] };
  const listed = await withPolicy(policy, () =>
    client().send(new ListDeploymentsCommand({ applicationName: cd.applicationName, deploymentGroupName: cd.deploymentGroupName })),
  );
  expect(listed.deployments?.length).toBeGreaterThan(0);
  const denied = await withPolicy(policy, () => refusalOf(client().send(new ListDeploymentsCommand({}))));
  expect(denied.message).toContain('codedeploy:ListDeployments on resource: *');
});

test('GetDeploymentConfig is authorized on the deploymentconfig ARN', async () => {
  const name = 'CodeDeployDefault.ECSCanary10Percent5Minutes';
  const policy = { Statement: [allow(['codedeploy:GetDeploymentConfig'], `${ARN}:deploymentconfig:${name}`)] };
  const got = await withPolicy(policy, () => client().send(new GetDeploymentConfigCommand({ deploymentConfigName: name })));
  expect(got.deploymentConfigInfo?.deploymentConfigName).toBe(name);
  const other = await withPolicy(policy, () =>
    refusalOf(client().send(new GetDeploymentConfigCommand({ deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce' }))),
  );
  expect(other.message).toContain(`on resource: ${ARN}:deploymentconfig:CodeDeployDefault.ECSAllAtOnce`);
});

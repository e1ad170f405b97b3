import { beforeEach, describe, expect, test } from '@jest/globals';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { GetRoleCommand, IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import type { ClientFactory } from '../../../src/common/aws';
import { ConfigurationError } from '../../../src/common/errors';
import { silentLogger } from '../../../src/common/logger';
import { deployService, type DeployClients, type DeployPorts } from '../../../src/use-cases/deploy/deploy-service';
import { fakeClock } from '../../support/fake-clock';
import { described, TAGS } from '../../support/task-definitions';
import { deployRequest, NEXT, settledOnLive } from './deploy-fixtures';

// deploy-ecs's images-exist and log-groups-exist checks, wired through the use case: without a file the new revision
// is the live one rendered with the step's changes, read in its own check, and its images looked up after it.

const ecsMock = mockClient(ECSClient);
const ecrMock = mockClient(ECRClient);
const logsMock = mockClient(CloudWatchLogsClient);
// The revision's roles exist and trust ECS tasks and may read its secret, so the role checks pass beside the images'.
const iamMock = mockClient(IAMClient);
const TRUSTS_ECS = encodeURIComponent(
  JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
);
const aws: ClientFactory = (Client, region) => new Client({ region, credentials: { accessKeyId: 't', secretAccessKey: 't' } } as never);
const NEW_IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:2.0.0';

let log: ReturnType<typeof silentLogger>;
const clients = (): DeployClients => ({
  ecs: new ECSClient({ region: 'us-east-1' }),
  logs: new CloudWatchLogsClient({ region: 'us-east-1' }),
  aws,
});
const ports = (): DeployPorts => ({
  log,
  clock: fakeClock(),
  setSecret: () => undefined,
  writeSummary: async () => undefined,
  setOutputs: () => undefined,
});
const failure = (run: Promise<unknown>) =>
  run.then(
    () => undefined,
    (error: unknown) => error as Error,
  );

beforeEach(() => {
  ecsMock.reset();
  ecrMock.reset();
  logsMock.reset();
  iamMock.reset();
  iamMock
    .on(GetRoleCommand)
    .callsFake((input: { RoleName: string }) => ({ Role: { RoleName: input.RoleName, AssumeRolePolicyDocument: TRUSTS_ECS } }));
  iamMock.on(SimulatePrincipalPolicyCommand).callsFake((input: { ActionNames: string[]; ResourceArns: string[] }) => ({
    EvaluationResults: input.ActionNames.map((action) => ({
      EvalActionName: action,
      EvalDecision: 'allowed',
      ResourceSpecificResults: input.ResourceArns.map((arn) => ({ EvalResourceName: arn, EvalResourceDecision: 'allowed' })),
    })),
  }));
  log = silentLogger();
  ecsMock.on(DescribeServicesCommand).resolves({ services: [settledOnLive()] });
  ecsMock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: described(), tags: TAGS });
  ecsMock.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: NEXT } });
  ecsMock.on(UpdateServiceCommand).resolves({ service: settledOnLive() });
});

describe('deployService: images and log groups before any change', () => {
  test('the image the step sets is the one looked up, after the live revision is rendered in its own row', async () => {
    ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: `sha256:${'d'.repeat(64)}` }] });

    await deployService(deployRequest({ image: NEW_IMAGE, wait: false }), clients(), ports());

    expect(ecrMock.commandCalls(DescribeImagesCommand)[0].args[0].input).toMatchObject({
      repositoryName: 'web',
      imageIds: [{ imageTag: '2.0.0' }],
    });
    expect(log.lines[0]).toMatch(
      /\n {2}pass {2}New revision renders +web from the service's revision, 1 container\n {2}pass {2}Images exist +container "web" runs .*web:2\.0\.0/,
    );
  });

  test('a missing image stops the step before any revision is registered', async () => {
    ecrMock.on(DescribeImagesCommand).rejects(Object.assign(new Error('no such tag'), { name: 'ImageNotFoundException' }));

    const error = await failure(deployService(deployRequest({ image: NEW_IMAGE }), clients(), ports()));

    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error?.message).toMatch(/^container "web" runs .*web:2\.0\.0, which is not in repository web/);
    expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  test('a missing image given through images is reported against the images input', async () => {
    ecrMock.on(DescribeImagesCommand).rejects(Object.assign(new Error('no such tag'), { name: 'ImageNotFoundException' }));

    const error = await failure(
      deployService(deployRequest({ images: [{ container: 'web', image: NEW_IMAGE, line: 1 }] }), clients(), ports()),
    );

    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).input).toBe('images');
    expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
  });

  test('a container the live revision lacks fails once, with the message the deploy always had', async () => {
    const error = await failure(deployService(deployRequest({ image: NEW_IMAGE, container: 'api' }), clients(), ports()));

    expect(error?.message).toMatch(/^Input 'container' names "api", but task definition family web has the container/);
    expect(ecrMock.calls()).toHaveLength(0);
  });

  test("with preflight 'off' neither the revision nor its images are looked up before the deploy renders it", async () => {
    await deployService(deployRequest({ image: NEW_IMAGE, wait: false, preflight: 'off' }), clients(), ports());

    expect(ecrMock.calls()).toHaveLength(0);
    expect(log.lines.join('\n')).not.toContain('New revision renders');
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  AccessDeniedException,
  CreateClusterCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListClustersCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  ECSClient,
} from '@aws-sdk/client-ecs';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateRepositoryCommand, DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { start, type Sandbox } from '../src/index';
import { clientConfig } from '../../../test/support/sandbox-harness';
import { cloudWatchClient, container, ecsClient, elbClient } from './support/harness';

let sandbox: Sandbox;
let ecs: ECSClient;
beforeAll(async () => {
  sandbox = await start({ timeScale: 0.05 });
  ecs = ecsClient(sandbox, 1);
});
afterAll(async () => {
  await sandbox.stop();
});
afterEach(() => sandbox.setIamPolicy(undefined));

const PRINCIPAL = 'arn:aws:sts::000000000000:assumed-role/sandbox-deploy-role/sandbox-session';
const ROLE = 'arn:aws:iam::000000000000:role/web-task';
const EXECUTION_ROLE = 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole';

function refusalOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('the call was allowed');
    },
    (error: Error) => error,
  );
}

const registerWithRoles = () =>
  ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'web',
      taskRoleArn: ROLE,
      executionRoleArn: EXECUTION_ROLE,
      containerDefinitions: [container('web', 'web:v1')],
    }),
  );

describe('without a policy', () => {
  test('every call is allowed, and the call log records the IAM action each needed', async () => {
    await ecs.send(new ListClustersCommand({}));
    expect(sandbox.calls.at(-1)).toMatchObject({ operation: 'ListClusters', iamAction: 'ecs:ListClusters' });
    expect(sandbox.calls.at(-1)?.accessDenied).toBeUndefined();
  });
});

describe('an allow-list', () => {
  test("answers AccessDeniedException for any other action, in AWS's wording with the principal and the resource", async () => {
    sandbox.setIamPolicy({ allow: ['ecs:ListClusters', 'ecs:CreateCluster'] });
    await ecs.send(new ListClustersCommand({}));
    await ecs.send(new CreateClusterCommand({ clusterName: 'prod' }));

    const error = await refusalOf(ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', desiredCount: 1 })));

    expect(error).toBeInstanceOf(AccessDeniedException);
    expect(error.message).toBe(
      `User: ${PRINCIPAL} is not authorized to perform: ecs:UpdateService on resource: arn:aws:ecs:us-east-1:000000000000:service/prod/web because no identity-based policy allows the ecs:UpdateService action`,
    );
    // Refused before it ran: not a ServiceNotFoundException.
    expect(sandbox.calls.at(-1)).toMatchObject({
      iamAction: 'ecs:UpdateService',
      accessDenied: 'ecs:UpdateService on arn:aws:ecs:us-east-1:000000000000:service/prod/web',
    });
  });

  test('names the role and session it was given', async () => {
    sandbox.setIamPolicy({ allow: [], role: 'deploy', session: 'GitHubActions' });
    const error = await refusalOf(ecs.send(new DescribeClustersCommand({ clusters: ['prod'] })));
    expect(error.message).toContain(
      'User: arn:aws:sts::000000000000:assumed-role/deploy/GitHubActions is not authorized to perform: ecs:DescribeClusters on resource: arn:aws:ecs:us-east-1:000000000000:cluster/prod',
    );
  });

  test('the awsQuery ELBv2 and the JSON CloudWatch answer the refusal in their own shape, naming their IAM action', async () => {
    sandbox.setIamPolicy({ allow: ['ecs:*'] });
    const elb = await refusalOf(
      elbClient(sandbox, 1).send(
        new DescribeTargetHealthCommand({ TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/1' }),
      ),
    );
    // awsQuery's code for it (ELBv2 answers AccessDenied, HTTP 403).
    expect(elb.name).toBe('AccessDenied');
    expect((elb as Error & { $metadata: { httpStatusCode?: number } }).$metadata.httpStatusCode).toBe(403);
    expect(elb.message).toContain('not authorized to perform: elasticloadbalancing:DescribeTargetHealth on resource: *');
    const cloudwatch = await refusalOf(cloudWatchClient(sandbox, 1).send(new DescribeAlarmsCommand({ AlarmNames: ['errors'] })));
    expect(cloudwatch.name).toBe('AccessDenied');
    expect(cloudwatch.message).toContain('not authorized to perform: cloudwatch:DescribeAlarms on resource: *');
  });
});

describe('a policy document', () => {
  test('takes its Statement list with Action wildcards such as ecs:Describe*', async () => {
    sandbox.setIamPolicy({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['ecs:Describe*', 'ecs:List?lusters'], Resource: '*' }],
    });
    await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
    await ecs.send(new ListClustersCommand({}));
    await expect(ecs.send(new CreateClusterCommand({ clusterName: 'other' }))).rejects.toBeInstanceOf(AccessDeniedException);
  });

  test('an explicit Deny wins over an Allow, worded as such', async () => {
    sandbox.setIamPolicy({
      Statement: [
        { Effect: 'Allow', Action: 'ecs:*' },
        { Effect: 'Deny', Action: 'ecs:DescribeClusters', Resource: 'arn:aws:ecs:*:*:cluster/prod' },
      ],
    });
    await ecs.send(new DescribeClustersCommand({ clusters: ['staging'] }));
    const error = await refusalOf(ecs.send(new DescribeClustersCommand({ clusters: ['prod'] })));
    expect(error.message).toMatch(
      /perform: ecs:DescribeClusters on resource: \S+:cluster\/prod with an explicit deny in an identity-based policy$/,
    );
  });

  test('a statement that would not mean what it says is refused when set, naming what is wrong', () => {
    expect(() => sandbox.setIamPolicy({ Statement: [{ Effect: 'Permit' as 'Allow', Action: 'ecs:*' }] })).toThrow(
      'IAM policy statement 0: Effect must be "Allow" or "Deny", got "Permit"',
    );
    expect(() => sandbox.setIamPolicy({ Statement: [{ Effect: 'Allow', Action: 'DescribeServices' }] })).toThrow(
      /statement 0: Action must be "service:Operation" names/,
    );
  });
});

describe('iam:PassRole', () => {
  test('RegisterTaskDefinition with a task role and an execution role needs iam:PassRole on each, named with the role', async () => {
    sandbox.setIamPolicy({
      Statement: [
        { Effect: 'Allow', Action: 'ecs:RegisterTaskDefinition' },
        { Effect: 'Allow', Action: 'iam:PassRole', Resource: ROLE },
      ],
    });

    const error = await refusalOf(registerWithRoles());

    expect(error).toBeInstanceOf(AccessDeniedException);
    expect(error.message).toBe(
      `User: ${PRINCIPAL} is not authorized to perform: iam:PassRole on resource: ${EXECUTION_ROLE} because no identity-based policy allows the iam:PassRole action`,
    );
    expect(sandbox.calls.at(-1)).toMatchObject({
      iamAction: 'ecs:RegisterTaskDefinition',
      iamAlso: [
        { action: 'iam:PassRole', resource: ROLE },
        { action: 'iam:PassRole', resource: EXECUTION_ROLE },
      ],
    });
  });

  test('with iam:PassRole on both roles the revision registers', async () => {
    sandbox.setIamPolicy({
      Statement: [
        { Effect: 'Allow', Action: 'ecs:RegisterTaskDefinition', Resource: '*' },
        { Effect: 'Allow', Action: 'iam:PassRole', Resource: ['arn:aws:iam::000000000000:role/web-*', EXECUTION_ROLE] },
      ],
    });
    const registered = await registerWithRoles();
    expect(registered.taskDefinition?.taskRoleArn).toBe(ROLE);
  });
});

describe('a policy per access key', () => {
  test('applies to the requests signed with that key only; others keep the policy for everyone (here: none)', async () => {
    sandbox.setIamPolicy({ allow: ['ecs:ListClusters'] }, 'AKIA-ROW-1');
    const limited = new ECSClient({ ...clientConfig(sandbox, 1), credentials: { accessKeyId: 'AKIA-ROW-1', secretAccessKey: 'x' } });

    await limited.send(new ListClustersCommand({}));
    await expect(limited.send(new CreateClusterCommand({ clusterName: 'row' }))).rejects.toBeInstanceOf(AccessDeniedException);
    await ecs.send(new CreateClusterCommand({ clusterName: 'row' }));

    expect(sandbox.calls.at(-2)).toMatchObject({ accessKeyId: 'AKIA-ROW-1', accessDenied: expect.stringContaining('ecs:CreateCluster') });
    expect(sandbox.calls.at(-1)).toMatchObject({ accessKeyId: 'test', iamAction: 'ecs:CreateCluster' });
    sandbox.setIamPolicy(undefined, 'AKIA-ROW-1');
    await limited.send(new CreateClusterCommand({ clusterName: 'row' }));
  });
});

describe('resources', () => {
  test('an ECR call is authorized on its repository, so a policy can name the repositories a role may push to', async () => {
    sandbox.setIamPolicy({ Statement: [{ Effect: 'Allow', Action: 'ecr:*', Resource: 'arn:aws:ecr:*:000000000000:repository/web-*' }] });
    const ecr = new ECRClient(clientConfig(sandbox, 1));
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'web-app' }));
    const error = await refusalOf(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['api'] })));
    expect(error.message).toContain(
      'perform: ecr:DescribeRepositories on resource: arn:aws:ecr:us-east-1:000000000000:repository/api because',
    );
  });

  test("DescribeTasks naming several tasks is authorized on each task, so a policy scoped to one cluster's tasks covers them", async () => {
    sandbox.setIamPolicy({
      Statement: [{ Effect: 'Allow', Action: 'ecs:DescribeTasks', Resource: 'arn:aws:ecs:us-east-1:000000000000:task/blue/*' }],
    });
    const tasks = ['arn:aws:ecs:us-east-1:000000000000:task/blue/0aa', 'arn:aws:ecs:us-east-1:000000000000:task/blue/0bb'];
    // Past IAM, the sandbox answers that there is no such cluster: what matters here is that IAM let the call through.
    const pastIam = (promise: Promise<unknown>) =>
      promise.then(
        () => 'answered',
        (error: Error) => error.name,
      );
    expect(await pastIam(ecs.send(new DescribeTasksCommand({ cluster: 'blue', tasks })))).toBe('ClusterNotFoundException');
    expect(await pastIam(ecs.send(new DescribeTasksCommand({ cluster: 'blue', tasks: ['0cc', '0dd'] })))).toBe('ClusterNotFoundException');
    const error = await refusalOf(
      ecs.send(new DescribeTasksCommand({ cluster: 'blue', tasks: [...tasks, 'arn:aws:ecs:us-east-1:000000000000:task/green/0ee'] })),
    );
    expect(error.message).toContain('perform: ecs:DescribeTasks on resource: arn:aws:ecs:us-east-1:000000000000:task/green/0ee because');
  });

  test("GetLogEvents is authorized on its log stream, which a policy's log-group:<group>:* covers", async () => {
    sandbox.setIamPolicy({
      Statement: [{ Effect: 'Allow', Action: 'logs:GetLogEvents', Resource: 'arn:aws:logs:us-east-1:000000000000:log-group:/ecs/web:*' }],
    });
    const logs = new CloudWatchLogsClient(clientConfig(sandbox, 1));
    const read = (logGroupName: string) => logs.send(new GetLogEventsCommand({ logGroupName, logStreamName: 'ecs/web/0aa' }));
    // Past IAM, the sandbox answers that the group does not exist: IAM let the call through.
    expect(
      await read('/ecs/web').then(
        () => 'answered',
        (error: Error) => error.name,
      ),
    ).toBe('ResourceNotFoundException');
    const error = await refusalOf(read('/ecs/api'));
    expect(error.message).toContain(
      'perform: logs:GetLogEvents on resource: arn:aws:logs:us-east-1:000000000000:log-group:/ecs/api:log-stream:ecs/web/0aa because',
    );
  });
});

describe('ecs:TagResource', () => {
  test('a create call with tags also needs ecs:TagResource; without tags it does not', async () => {
    sandbox.setIamPolicy({ allow: ['ecs:RegisterTaskDefinition'] });
    const register = (tags?: Array<{ key: string; value: string }>) =>
      ecs.send(new RegisterTaskDefinitionCommand({ family: 'tagged', containerDefinitions: [container('web', 'web:v1')], tags }));
    await register();
    const error = await refusalOf(register([{ key: 'team', value: 'shop' }]));
    expect(error.message).toContain('is not authorized to perform: ecs:TagResource on resource: *');
    sandbox.setIamPolicy({ allow: ['ecs:RegisterTaskDefinition', 'ecs:TagResource'] });
    await register([{ key: 'team', value: 'shop' }]);
  });
});

describe('the control endpoint /_sandbox/iam', () => {
  const send = async (method: string, body?: unknown) => {
    const answer = await fetch(`${sandbox.endpoint}/_sandbox/iam`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: answer.status, body: (await answer.json()) as unknown };
  };

  test('sets, shows and clears the policy; a malformed one is a 400 saying why', async () => {
    expect(await send('GET')).toEqual({ status: 200, body: {} });
    expect(await send('POST', { allow: ['ecs:ListClusters'] })).toEqual({ status: 200, body: { allow: ['ecs:ListClusters'] } });
    await expect(ecs.send(new CreateClusterCommand({ clusterName: 'x' }))).rejects.toBeInstanceOf(AccessDeniedException);
    expect(await send('POST', { Statement: [{ Effect: 'Allow' }] })).toMatchObject({
      status: 400,
      body: { message: expect.stringContaining('Action must be') },
    });
    expect(await send('DELETE')).toEqual({ status: 200, body: {} });
    const perKey = await fetch(`${sandbox.endpoint}/_sandbox/iam?accessKey=AKIA-CLI`, {
      method: 'POST',
      body: '{"allow": ["ecs:ListClusters"]}',
    });
    expect(perKey.status).toBe(200);
    expect(await send('GET')).toEqual({ status: 200, body: {} });
    await fetch(`${sandbox.endpoint}/_sandbox/iam?accessKey=AKIA-CLI`, { method: 'DELETE' });
    await ecs.send(new CreateClusterCommand({ clusterName: 'x' }));
  });
});

describe('iam:PassRole for blue/green services', () => {
  test("UpdateService handing ECS a lifecycle hook's role needs iam:PassRole on it", async () => {
    const hookRole = 'arn:aws:iam::000000000000:role/ecs-hooks';
    sandbox.setIamPolicy({ Statement: [{ Effect: 'Allow', Action: 'ecs:UpdateService', Resource: '*' }] });
    const error = await refusalOf(
      ecs.send(
        new UpdateServiceCommand({
          cluster: 'default',
          service: 'web',
          deploymentConfiguration: {
            lifecycleHooks: [
              {
                targetType: 'AWS_LAMBDA',
                hookTargetArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
                roleArn: hookRole,
                lifecycleStages: ['POST_SCALE_UP'],
              },
            ],
          },
        }),
      ),
    );
    expect(error).toBeInstanceOf(AccessDeniedException);
    expect(error.message).toMatch(`not authorized to perform: iam:PassRole on resource: ${hookRole}`);
  });

  const INFRASTRUCTURE_ROLE = 'arn:aws:iam::000000000000:role/ecsInfrastructureRoleForLoadBalancers';
  const withInfrastructureRole = () =>
    ecs.send(
      new UpdateServiceCommand({
        cluster: 'default',
        service: 'absent',
        loadBalancers: [
          {
            targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/blue/0123456789abcdef',
            containerName: 'web',
            containerPort: 8080,
            advancedConfiguration: {
              alternateTargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/green/0123456789abcdef',
              productionListenerRule: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/lb/0123/4567/89ab',
              roleArn: INFRASTRUCTURE_ROLE,
            },
          },
        ],
      }),
    );

  test("UpdateService handing ECS the load balancers' infrastructure role needs iam:PassRole on it", async () => {
    sandbox.setIamPolicy({ Statement: [{ Effect: 'Allow', Action: 'ecs:UpdateService', Resource: '*' }] });
    const error = await refusalOf(withInfrastructureRole());
    expect(error).toBeInstanceOf(AccessDeniedException);
    expect(error.message).toMatch(`not authorized to perform: iam:PassRole on resource: ${INFRASTRUCTURE_ROLE}`);
  });

  test('with iam:PassRole on the infrastructure role the call gets past IAM', async () => {
    sandbox.setIamPolicy({
      Statement: [
        { Effect: 'Allow', Action: 'ecs:UpdateService', Resource: '*' },
        { Effect: 'Allow', Action: 'iam:PassRole', Resource: INFRASTRUCTURE_ROLE },
      ],
    });
    const error = await refusalOf(withInfrastructureRole());
    expect(error).not.toBeInstanceOf(AccessDeniedException);
  });
});

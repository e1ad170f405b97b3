/**
 * A CODE_DEPLOY service in the sandbox, set up through the SDK as a platform team would for CodeDeploy blue/green
 * (CodeDeploy user guide, "Tutorial: Deploy an application into Amazon ECS"): two target groups, a load balancer
 * with a production and a test listener (their default actions forward to the first group), a service under the
 * CODE_DEPLOY deployment controller in the first group, an ECS application and a deployment group named by the
 * console's convention (`AppECS-<cluster>-<service>`, `DgpECS-<cluster>-<service>`). Start the sandbox with
 * `catalog: blueGreenCatalog()`: the revisions are blue-green.ts's HTTP program, so a request through a listener tells
 * which revision answered.
 */
import { createHash } from 'node:crypto';
import {
  CodeDeployClient,
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentGroupCommand,
  type CreateDeploymentCommandInput,
  type CreateDeploymentGroupCommandInput,
} from '@aws-sdk/client-codedeploy';
import { CreateListenerCommand, CreateLoadBalancerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateClusterCommand, CreateServiceCommand } from '@aws-sdk/client-ecs';
import type { Sandbox } from '@ecs-deploy/sandbox';
import { elbName, registerRevision } from './blue-green';
import { ecsClient } from './ecs-fixtures';
import { createTargetGroup, elbClient } from './load-balancer';
import { clientConfig } from './sandbox-harness';

const network = { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'], securityGroups: ['sg-0a1b2c3d'] } };

export function codeDeployClient(sandbox: Sandbox, maxAttempts?: number): CodeDeployClient {
  return new CodeDeployClient(clientConfig(sandbox, maxAttempts));
}

export interface CodeDeployServiceOptions {
  service: string;
  cluster?: string;
  desiredCount?: number;
  /** Overrides of the deployment group's settings. */
  group?: Partial<CreateDeploymentGroupCommandInput>;
  /** false: the service only, no application or deployment group. */
  createGroup?: boolean;
  /** The service's health check grace period (CreateService healthCheckGracePeriodSeconds); default none. */
  healthCheckGracePeriodSeconds?: number;
}

export interface CodeDeployService {
  cluster: string;
  service: string;
  family: string;
  containerName: string;
  taskDefinitionArn: string;
  blueTargetGroupArn: string;
  greenTargetGroupArn: string;
  blueTargetGroupName: string;
  greenTargetGroupName: string;
  productionListenerArn: string;
  testListenerArn: string;
  /** URLs of the production and test listeners (real sockets), for requests that tell which revision answered. */
  productionUrl: string;
  testUrl: string;
  applicationName: string;
  deploymentGroupName: string;
  serviceRoleArn: string;
}

/** The deployment group's settings for `cd`, as a platform team would write them. */
export function deploymentGroupInput(cd: CodeDeployService): CreateDeploymentGroupCommandInput {
  return {
    applicationName: cd.applicationName,
    deploymentGroupName: cd.deploymentGroupName,
    serviceRoleArn: cd.serviceRoleArn,
    deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    ecsServices: [{ clusterName: cd.cluster, serviceName: cd.service }],
    loadBalancerInfo: {
      targetGroupPairInfoList: [
        {
          targetGroups: [{ name: cd.blueTargetGroupName }, { name: cd.greenTargetGroupName }],
          prodTrafficRoute: { listenerArns: [cd.productionListenerArn] },
          testTrafficRoute: { listenerArns: [cd.testListenerArn] },
        },
      ],
    },
    blueGreenDeploymentConfiguration: {
      deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT', waitTimeInMinutes: 0 },
      terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 5 },
    },
    autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST'] },
  };
}

export async function createCodeDeployService(sandbox: Sandbox, options: CodeDeployServiceOptions): Promise<CodeDeployService> {
  const elb = elbClient(sandbox);
  const ecs = ecsClient(sandbox);
  const cluster = options.cluster ?? 'cd';
  const service = options.service;
  const blueTargetGroupName = elbName(service, 'tg1');
  const greenTargetGroupName = elbName(service, 'tg2');
  const { targetGroupArn: blueTargetGroupArn } = await createTargetGroup(sandbox, blueTargetGroupName, 5);
  const { targetGroupArn: greenTargetGroupArn } = await createTargetGroup(sandbox, greenTargetGroupName, 5);
  const lb = await elb.send(new CreateLoadBalancerCommand({ Name: elbName(service, 'lb'), Subnets: ['subnet-1', 'subnet-2'] }));
  const loadBalancerArn = lb.LoadBalancers?.[0]?.LoadBalancerArn as string;
  const listener = async (port: number) =>
    (
      await elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: loadBalancerArn,
          Protocol: 'HTTP',
          Port: port,
          DefaultActions: [{ Type: 'forward', TargetGroupArn: blueTargetGroupArn }],
        }),
      )
    ).Listeners?.[0]?.ListenerArn as string;
  const productionListenerArn = await listener(80);
  const testListenerArn = await listener(8080);
  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  const revision = { family: service, containerName: service };
  const taskDefinitionArn = await registerRevision(sandbox, revision, 'v1');
  await ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: service,
      taskDefinition: taskDefinitionArn,
      desiredCount: options.desiredCount ?? 2,
      ...(options.healthCheckGracePeriodSeconds === undefined
        ? {}
        : { healthCheckGracePeriodSeconds: options.healthCheckGracePeriodSeconds }),
      launchType: 'FARGATE',
      networkConfiguration: network,
      deploymentController: { type: 'CODE_DEPLOY' },
      loadBalancers: [{ targetGroupArn: blueTargetGroupArn, containerName: service, containerPort: 8080 }],
    }),
  );
  const cd: CodeDeployService = {
    cluster,
    service,
    ...revision,
    taskDefinitionArn,
    blueTargetGroupArn,
    greenTargetGroupArn,
    blueTargetGroupName,
    greenTargetGroupName,
    productionListenerArn,
    testListenerArn,
    productionUrl: sandbox.listenerUrl(productionListenerArn),
    testUrl: sandbox.listenerUrl(testListenerArn),
    applicationName: `AppECS-${cluster}-${service}`,
    deploymentGroupName: `DgpECS-${cluster}-${service}`,
    serviceRoleArn: `arn:aws:iam::${sandbox.accountId}:role/ecsCodeDeployRole`,
  };
  if (options.createGroup === false) return cd;
  const codedeploy = codeDeployClient(sandbox);
  await codedeploy.send(new CreateApplicationCommand({ applicationName: cd.applicationName, computePlatform: 'ECS' }));
  await codedeploy.send(new CreateDeploymentGroupCommand({ ...deploymentGroupInput(cd), ...options.group }));
  return cd;
}

/** The AppSpec deploy-ecs writes for `taskDefinition` on cd's service (its container, port 8080), with `hooks` if given. */
export function appSpecContent(
  cd: Pick<CodeDeployService, 'containerName'>,
  taskDefinition: string,
  hooks?: Array<Record<string, string>>,
): string {
  return JSON.stringify({
    version: 0.0,
    Resources: [
      {
        TargetService: {
          Type: 'AWS::ECS::Service',
          Properties: { TaskDefinition: taskDefinition, LoadBalancerInfo: { ContainerName: cd.containerName, ContainerPort: 8080 } },
        },
      },
    ],
    ...(hooks ? { Hooks: hooks } : {}),
  });
}

export const sha256Of = (content: string) => createHash('sha256').update(content).digest('hex');

/** CreateDeployment in cd's group of the AppSpec `content`, with its sha256 (unless another is given), as deploy-ecs sends it. */
export async function createDeployment(
  sandbox: Sandbox,
  cd: CodeDeployService,
  content: string,
  extra: Partial<CreateDeploymentCommandInput> = {},
  sha256 = sha256Of(content),
): Promise<string> {
  const created = await codeDeployClient(sandbox).send(
    new CreateDeploymentCommand({
      ...extra,
      applicationName: cd.applicationName,
      deploymentGroupName: cd.deploymentGroupName,
      revision: { revisionType: 'AppSpecContent', appSpecContent: { content, sha256 } },
    }),
  );
  return created.deploymentId as string;
}

/** A CodeDeploy deployment of `taskDefinition` in cd's group, created with the SDK as deploy-ecs would (its AppSpec, with its sha256). */
export function createCodeDeployDeployment(
  sandbox: Sandbox,
  cd: CodeDeployService,
  taskDefinition: string,
  deploymentConfigName?: string,
): Promise<string> {
  return createDeployment(sandbox, cd, appSpecContent(cd, taskDefinition), { deploymentConfigName });
}

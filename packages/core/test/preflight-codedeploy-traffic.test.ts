import { beforeEach, describe, expect, test } from '@jest/globals';
import type { DeploymentGroupInfo } from '@aws-sdk/client-codedeploy';
import {
  DescribeListenersCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { codeDeployTrafficCheck } from '../src/preflight/checks/codedeploy-traffic';
import { preflightFailure, preflightOf } from './support/preflight';

const elbMock = mockClient(ElasticLoadBalancingV2Client);
const elb = new ElasticLoadBalancingV2Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const ELB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012';
const PROD = `${ELB}:listener/app/web-lb/aaaa/prod`;
const TEST = `${ELB}:listener/app/web-lb/aaaa/test`;
const WHERE = 'deployment group "DgpECS-prod-web" of application "AppECS-prod-web"';

const group = (test = true): DeploymentGroupInfo => ({
  loadBalancerInfo: {
    targetGroupPairInfoList: [
      {
        targetGroups: [{ name: 'web-tg1' }, { name: 'web-tg2' }],
        prodTrafficRoute: { listenerArns: [PROD] },
        ...(test ? { testTrafficRoute: { listenerArns: [TEST] } } : {}),
      },
    ],
  },
});
const check = (info = group()) => codeDeployTrafficCheck({ elb, group: info, where: WHERE });
const error = (name: string, message = 'One or more not found') =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });

beforeEach(() => {
  elbMock.reset();
  elbMock
    .on(DescribeTargetGroupsCommand)
    .callsFake((input: { Names: string[] }) => ({ TargetGroups: [{ TargetGroupArn: `${ELB}:targetgroup/${input.Names[0]}/1` }] }));
  elbMock
    .on(DescribeListenersCommand)
    .callsFake((input: { ListenerArns: string[] }) => ({ Listeners: [{ ListenerArn: input.ListenerArns[0] }] }));
});

describe('codedeploy-traffic-resources', () => {
  test("the pair's target groups (by name) and both listeners exist: pass, from the group as given, each looked up on its own", async () => {
    const report = await preflightOf(check());
    expect(report.rows[0]).toMatchObject({
      status: 'pass',
      message: `target groups web-tg1, web-tg2 and the production and test listeners of the ${WHERE} exist`,
    });
    expect(elbMock.commandCalls(DescribeTargetGroupsCommand).map((call) => call.args[0].input)).toEqual([
      { Names: ['web-tg1'] },
      { Names: ['web-tg2'] },
    ]);
    expect(elbMock.commandCalls(DescribeListenersCommand).map((call) => call.args[0].input)).toEqual([
      { ListenerArns: [PROD] },
      { ListenerArns: [TEST] },
    ]);
  });

  test('a deleted target group of the pair fails, naming it and where the group names it', async () => {
    elbMock.on(DescribeTargetGroupsCommand, { Names: ['web-tg2'] }).rejects(error('TargetGroupNotFoundException'));
    const failure = await preflightFailure(check());
    expect(failure.message).toBe(
      `The ${WHERE} names target group web-tg2 in loadBalancerInfo.targetGroupPairInfoList[0].targetGroups[1], which does not exist. ` +
        "Recreate what is missing, or name target groups and listeners that exist in the deployment group's target group pair " +
        '(aws deploy update-deployment-group --load-balancer-info ...): CodeDeploy would fail the deployment after it started. Nothing was changed.',
    );
  });

  test('a deleted test listener fails, naming its route', async () => {
    elbMock.on(DescribeListenersCommand, { ListenerArns: [TEST] }).rejects(error('ListenerNotFoundException'));
    const failure = await preflightFailure(check());
    expect(failure.message).toMatch(
      new RegExp(
        `^The ${WHERE} names listener ${TEST} in loadBalancerInfo\\.targetGroupPairInfoList\\[0\\]\\.testTrafficRoute, which does not exist\\.`,
      ),
    );
  });

  test('AccessDenied on DescribeListeners is a warning naming the permission', async () => {
    elbMock
      .on(DescribeListenersCommand)
      .rejects(
        error(
          'AccessDenied',
          'User: arn:aws:sts::1:assumed-role/deploy/gh is not authorized to perform: elasticloadbalancing:DescribeListeners',
        ),
      );
    const report = await preflightOf(check(group(false)));
    expect(report.rows[0]).toMatchObject({
      status: 'warn',
      message:
        `listener ${PROD} (loadBalancerInfo.targetGroupPairInfoList[0].prodTrafficRoute) was not checked: the role may not call elasticloadbalancing:DescribeListeners. ` +
        'Grant elasticloadbalancing:DescribeListeners to have it checked.',
    });
  });

  test('another error is a warning quoting it, with nothing to grant', async () => {
    elbMock.on(DescribeTargetGroupsCommand).rejects(error('Throttling', 'Rate exceeded'));
    const report = await preflightOf(check());
    expect(report.rows[0].status).toBe('warn');
    expect(report.rows[0].message).toContain(
      'target group web-tg1 (loadBalancerInfo.targetGroupPairInfoList[0].targetGroups[0]) was not checked: DescribeTargetGroups answered Throttling: Rate exceeded',
    );
    expect(report.rows[0].message).not.toContain('Grant');
  });
});

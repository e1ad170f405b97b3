import { beforeEach, describe, expect, test } from '@jest/globals';
import {
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { LoadBalancer, Service } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { blueGreenTrafficCheck } from '../src/preflight/checks/blue-green-traffic';
import { preflightFailure, preflightOf } from './support/preflight';

const elbMock = mockClient(ElasticLoadBalancingV2Client);
const elb = new ElasticLoadBalancingV2Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const ELB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012';
const BLUE = `${ELB}:targetgroup/web-blue/1111`;
const GREEN = `${ELB}:targetgroup/web-green/2222`;
const OTHER = `${ELB}:targetgroup/other/3333`;
const PROD_RULE = `${ELB}:listener-rule/app/web-lb/aaaa/bbbb/cccc`;
const TEST_RULE = `${ELB}:listener-rule/app/web-lb/aaaa/dddd/eeee`;
const NLB_LISTENER = `${ELB}:listener/net/web-nlb/ffff/gggg`;

const balancer = (advanced: Partial<NonNullable<LoadBalancer['advancedConfiguration']>> = {}): LoadBalancer => ({
  targetGroupArn: BLUE,
  containerName: 'web',
  containerPort: 8080,
  advancedConfiguration: {
    alternateTargetGroupArn: GREEN,
    productionListenerRule: PROD_RULE,
    testListenerRule: TEST_RULE,
    roleArn: 'arn:aws:iam::123456789012:role/ecs-elb',
    ...advanced,
  },
});
const check = (...loadBalancers: LoadBalancer[]) =>
  blueGreenTrafficCheck({ elb, service: { serviceName: 'web', loadBalancers } as Service });

const notFound = (name: string) => Object.assign(new Error('One or more not found'), { name, $metadata: { httpStatusCode: 400 } });
const denied = (action: string) =>
  Object.assign(new Error(`User: arn:aws:sts::123456789012:assumed-role/deploy/gh is not authorized to perform: ${action}`), {
    name: 'AccessDenied',
    $metadata: { httpStatusCode: 403 },
  });
const forwardTo = (...groups: Array<[string, number]>) => [
  { Type: 'forward' as const, ForwardConfig: { TargetGroups: groups.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })) } },
];

beforeEach(() => {
  elbMock.reset();
  for (const arn of [BLUE, GREEN])
    elbMock.on(DescribeTargetGroupsCommand, { TargetGroupArns: [arn] }).resolves({ TargetGroups: [{ TargetGroupArn: arn }] });
  elbMock
    .on(DescribeRulesCommand, { RuleArns: [PROD_RULE] })
    .resolves({ Rules: [{ RuleArn: PROD_RULE, Actions: forwardTo([BLUE, 1], [GREEN, 0]) }] });
  elbMock
    .on(DescribeRulesCommand, { RuleArns: [TEST_RULE] })
    .resolves({ Rules: [{ RuleArn: TEST_RULE, Actions: [{ Type: 'forward', TargetGroupArn: BLUE }] }] });
});

describe('blue-green-traffic-resources', () => {
  test('both target groups and both rules found, forwarding to them: pass, each looked up on its own', async () => {
    const report = await preflightOf(check(balancer()));
    expect(report.rows[0]).toMatchObject({
      status: 'pass',
      message: 'target groups web-blue, web-green exist; the production and test listener rules exist and forward to them',
    });
    expect(elbMock.commandCalls(DescribeTargetGroupsCommand).map((call) => call.args[0].input)).toEqual([
      { TargetGroupArns: [BLUE] },
      { TargetGroupArns: [GREEN] },
    ]);
    expect(elbMock.commandCalls(DescribeRulesCommand).map((call) => call.args[0].input.RuleArns)).toEqual([[PROD_RULE], [TEST_RULE]]);
  });

  test('a deleted alternate target group fails, naming it and the field that names it', async () => {
    elbMock.on(DescribeTargetGroupsCommand, { TargetGroupArns: [GREEN] }).rejects(notFound('TargetGroupNotFoundException'));
    const error = await preflightFailure(check(balancer()));
    expect(error.message).toBe(
      `The service's loadBalancers[0].advancedConfiguration.alternateTargetGroupArn names target group ${GREEN}, which does not exist. ` +
        "Recreate what is missing, or point the service's loadBalancers at target groups and listener rules that exist " +
        '(UpdateService with loadBalancers and their advancedConfiguration): ECS would start the deployment and roll it back part-way. Nothing was changed.',
    );
  });

  test('a deleted production rule and a deleted test rule fail together, each named', async () => {
    elbMock.on(DescribeRulesCommand).rejects(notFound('RuleNotFoundException'));
    const error = await preflightFailure(check(balancer()));
    expect(error.message).toContain(
      `The service's loadBalancers[0].advancedConfiguration.productionListenerRule names listener rule ${PROD_RULE}, which does not exist; ` +
        `The service's loadBalancers[0].advancedConfiguration.testListenerRule names listener rule ${TEST_RULE}, which does not exist.`,
    );
  });

  test('a rule that sends traffic to a third target group fails: ECS rolls that deployment back', async () => {
    elbMock.on(DescribeRulesCommand, { RuleArns: [PROD_RULE] }).resolves({ Rules: [{ Actions: forwardTo([OTHER, 1], [BLUE, 0]) }] });
    const error = await preflightFailure(check(balancer()));
    expect(error.message).toMatch(
      /^The listener rule in the service's loadBalancers\[0\]\.advancedConfiguration\.productionListenerRule forwards to other, which is not one of its target groups \(web-blue and web-green\): ECS would roll the deployment back for invalid networking configuration\./,
    );
  });

  test('a third group at weight 0 is no problem; a rule forwarding to neither of the pair is', async () => {
    elbMock.on(DescribeRulesCommand, { RuleArns: [PROD_RULE] }).resolves({ Rules: [{ Actions: forwardTo([BLUE, 1], [OTHER, 0]) }] });
    expect((await preflightOf(check(balancer()))).rows[0].status).toBe('pass');
    elbMock.on(DescribeRulesCommand, { RuleArns: [TEST_RULE] }).resolves({ Rules: [{ Actions: [{ Type: 'fixed-response' }] }] });
    const error = await preflightFailure(check(balancer()));
    expect(error.message).toMatch(/testListenerRule forwards to neither of its target groups \(web-blue and web-green\)\./);
  });

  test("a Network Load Balancer's listener ARN is looked up with DescribeListeners, and a deleted one fails", async () => {
    elbMock.on(DescribeListenersCommand).rejects(notFound('ListenerNotFoundException'));
    const error = await preflightFailure(check(balancer({ productionListenerRule: NLB_LISTENER, testListenerRule: undefined })));
    expect(error.message).toMatch(
      new RegExp(
        `^The service's loadBalancers\\[0\\]\\.advancedConfiguration\\.productionListenerRule names listener ${NLB_LISTENER}, which does not exist\\.`,
      ),
    );
    expect(elbMock.commandCalls(DescribeListenersCommand)[0].args[0].input).toEqual({ ListenerArns: [NLB_LISTENER] });
    expect(elbMock.commandCalls(DescribeRulesCommand)).toHaveLength(0);
  });

  test('AccessDenied on DescribeRules is a warning naming the permission; the target groups are still checked', async () => {
    elbMock.on(DescribeRulesCommand).rejects(denied('elasticloadbalancing:DescribeRules'));
    const report = await preflightOf(check(balancer()));
    expect(report.rows[0]).toMatchObject({
      status: 'warn',
      message:
        `listener rule ${PROD_RULE} (loadBalancers[0].advancedConfiguration.productionListenerRule) was not checked: the role may not call elasticloadbalancing:DescribeRules; ` +
        `listener rule ${TEST_RULE} (loadBalancers[0].advancedConfiguration.testListenerRule) was not checked: the role may not call elasticloadbalancing:DescribeRules. ` +
        'Grant elasticloadbalancing:DescribeRules to have them checked.',
    });
  });

  test('a missing group still fails when another look-up was refused, and the refusal is named beside it', async () => {
    elbMock.on(DescribeTargetGroupsCommand, { TargetGroupArns: [GREEN] }).rejects(notFound('TargetGroupNotFoundException'));
    elbMock.on(DescribeTargetGroupsCommand, { TargetGroupArns: [BLUE] }).rejects(denied('elasticloadbalancing:DescribeTargetGroups'));
    const error = await preflightFailure(check(balancer()));
    expect(error.message).toMatch(
      /alternateTargetGroupArn names target group .*, which does not exist; target group web-blue \(loadBalancers\[0\]\.targetGroupArn\) was not checked: the role may not call elasticloadbalancing:DescribeTargetGroups\./,
    );
  });

  test('every load balancer with an advancedConfiguration is checked, each under its own index', async () => {
    const second = { ...balancer({ alternateTargetGroupArn: OTHER, testListenerRule: undefined }), containerPort: 9090 };
    elbMock.on(DescribeTargetGroupsCommand, { TargetGroupArns: [OTHER] }).rejects(notFound('TargetGroupNotFoundException'));
    const error = await preflightFailure(check(balancer(), second));
    expect(error.message).toMatch(
      /^The service's loadBalancers\[1\]\.advancedConfiguration\.alternateTargetGroupArn names target group .*other/,
    );
  });

  test('a service without an advancedConfiguration (no load balancer) needs no look-up', async () => {
    const report = await preflightOf(check());
    expect(report.rows[0]).toMatchObject({ status: 'pass' });
    expect(elbMock.calls()).toHaveLength(0);
  });
});

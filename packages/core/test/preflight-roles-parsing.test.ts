import { describe, expect, test } from '@jest/globals';
import { judgeTrust, parseTrustPolicy } from '../src/preflight/roles/trust-policy';
import { simulatedDecisions, simulationKey } from '../src/preflight/roles/simulation';

const ecsTasks = { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' };

describe('trust policy', () => {
  test("GetRole's URL-encoded document parses, and so does plain JSON", () => {
    const document = { Version: '2012-10-17', Statement: [ecsTasks] };
    expect(parseTrustPolicy(encodeURIComponent(JSON.stringify(document)))).toEqual(document);
    expect(parseTrustPolicy(JSON.stringify(document))).toEqual(document);
  });

  test.each([
    ['a single statement for ecs-tasks', { Statement: ecsTasks }],
    [
      'ecs-tasks among several services',
      { Statement: [{ ...ecsTasks, Principal: { Service: ['ec2.amazonaws.com', 'ecs-tasks.amazonaws.com'] } }] },
    ],
    ['sts:* as the action', { Statement: [{ ...ecsTasks, Action: ['sts:*'] }] }],
  ])('trusts ECS: %s', (_what, document) => {
    expect(judgeTrust(document)).toEqual({ trusts: true, conditionKeys: [] });
  });

  test('a trust under conditions trusts, with its condition keys named', () => {
    const conditional = {
      ...ecsTasks,
      Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' }, ArnLike: { 'aws:SourceArn': 'arn:aws:ecs:*' } },
    };
    expect(judgeTrust({ Statement: [conditional] })).toEqual({ trusts: true, conditionKeys: ['aws:SourceAccount', 'aws:SourceArn'] });
  });

  test('another service only: does not trust, naming who may', () => {
    expect(judgeTrust({ Statement: [{ ...ecsTasks, Principal: { Service: 'ec2.amazonaws.com' } }] })).toEqual({
      trusts: false,
      why: 'its trust policy lets ec2.amazonaws.com assume it, not ecs-tasks.amazonaws.com',
    });
  });

  test('an explicit Deny wins over the Allow', () => {
    expect(judgeTrust({ Statement: [ecsTasks, { ...ecsTasks, Effect: 'Deny' }] })).toMatchObject({ trusts: false });
  });

  test('the right principal but another action (sts:TagSession) does not trust', () => {
    expect(judgeTrust({ Statement: [{ ...ecsTasks, Action: 'sts:TagSession' }] })).toMatchObject({ trusts: false });
  });
});

describe('simulation results', () => {
  const asked = { action: 'ssm:GetParameters', resources: ['arn:a', 'arn:b'] };

  test('ResourceSpecificResults give one decision per resource, with missing context values', () => {
    const decisions = simulatedDecisions(
      [
        {
          EvalActionName: 'ssm:GetParameters',
          EvalResourceName: '*',
          EvalDecision: 'implicitDeny',
          ResourceSpecificResults: [
            { EvalResourceName: 'arn:a', EvalResourceDecision: 'allowed' },
            { EvalResourceName: 'arn:b', EvalResourceDecision: 'implicitDeny', MissingContextValues: ['aws:ResourceTag/team'] },
          ],
        },
      ],
      asked,
    );
    expect(decisions.get(simulationKey('ssm:GetParameters', 'arn:a'))).toEqual({ decision: 'allowed', missingContextValues: [] });
    expect(decisions.get(simulationKey('ssm:GetParameters', 'arn:b'))).toEqual({
      decision: 'implicitDeny',
      missingContextValues: ['aws:ResourceTag/team'],
    });
  });

  test('without a breakdown, the result stands for the one resource asked for, even named *', () => {
    const decisions = simulatedDecisions([{ EvalActionName: 'ssm:GetParameters', EvalResourceName: '*', EvalDecision: 'explicitDeny' }], {
      action: 'ssm:GetParameters',
      resources: ['arn:a'],
    });
    expect(decisions.get(simulationKey('ssm:GetParameters', 'arn:a'))).toEqual({ decision: 'explicitDeny', missingContextValues: [] });
  });

  test('a result for * over several resources decides none of them', () => {
    const decisions = simulatedDecisions([{ EvalActionName: 'ssm:GetParameters', EvalResourceName: '*', EvalDecision: 'allowed' }], asked);
    expect(decisions.size).toBe(0);
  });
});

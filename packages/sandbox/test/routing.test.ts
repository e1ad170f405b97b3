import { describe, expect, test } from '@jest/globals';
import { conditionMatches, matchRule, routedRequest, WeightedPicker } from '../src/elb/routing';
import type { RuleRecord } from '../src/elb/state';

const picks = (weights: number[], count: number) => {
  const picker = new WeightedPicker(weights.map((weight, i) => ({ targetGroupArn: `g${i}`, weight })));
  return Array.from({ length: count }, () => picker.next());
};

describe('weighted picking', () => {
  test('spreads picks in proportion to the weights, evenly', () => {
    expect(picks([3, 1], 8)).toEqual(['g0', 'g0', 'g1', 'g0', 'g0', 'g0', 'g1', 'g0']);
  });

  test('never picks a group of weight 0, and picks nothing when every weight is 0', () => {
    expect(picks([0, 5], 3)).toEqual(['g1', 'g1', 'g1']);
    expect(picks([0, 0], 1)).toEqual([undefined]);
  });
});

describe('rule matching', () => {
  const rule = (priority: string, values: string[]): RuleRecord => ({
    arn: priority,
    priority,
    conditions: priority === 'default' ? [] : [{ field: 'path-pattern', values }],
    actions: [],
  });

  test('the lowest priority number that matches wins, whatever the order rules were created in; the default rule catches the rest', () => {
    const rules = [rule('default', []), rule('20', ['/api/*']), rule('10', ['/api/v2/*'])];
    expect(matchRule(rules, routedRequest('/api/v2/x', 'h'))?.arn).toBe('10');
    expect(matchRule(rules, routedRequest('/api/v1/x', 'h'))?.arn).toBe('20');
    expect(matchRule(rules, routedRequest('/other', 'h'))?.arn).toBe('default');
  });

  test('? matches exactly one character, and the query string is not part of the path', () => {
    const condition = { field: 'path-pattern' as const, values: ['/v?/items'] };
    expect(conditionMatches(condition, routedRequest('/v1/items?page=2', 'h'))).toBe(true);
    expect(conditionMatches(condition, routedRequest('/v12/items', 'h'))).toBe(false);
  });

  test('a host condition ignores the port and the case; regex characters in a value are literal', () => {
    const condition = { field: 'host-header' as const, values: ['api.example.com'] };
    expect(conditionMatches(condition, routedRequest('/', 'API.example.com:8080'))).toBe(true);
    expect(conditionMatches(condition, routedRequest('/', 'apiXexample.com'))).toBe(false);
  });
});

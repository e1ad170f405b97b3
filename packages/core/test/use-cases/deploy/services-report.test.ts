import { describe, expect, test } from '@jest/globals';
import { serviceResult, servicesFailureMessage, worstStatus } from '../../../src/use-cases/deploy/services-report';

describe('worstStatus', () => {
  test.each([
    [['succeeded', 'baking'], 'baking'],
    [['succeeded', 'rolled-back', 'baking'], 'rolled-back'],
    [['cancelled', 'timed-out'], 'timed-out'],
    [['timed-out', 'failed', 'succeeded'], 'failed'],
    [['succeeded', 'succeeded'], 'succeeded'],
  ] as const)('%j → %s', (statuses, worst) => {
    expect(worstStatus(statuses)).toBe(worst);
  });
});

describe('serviceResult', () => {
  test('a service that failed without a verdict (an error before its watch) is failed, with the error as reason', () => {
    const result = serviceResult('prod', 'worker', { taskDefinitionArn: 'arn:td/worker:2', previousTaskDefinitionArn: '' }, 'AccessDenied');

    expect(result).toEqual({
      cluster: 'prod',
      service: 'worker',
      status: 'failed',
      'task-definition-arn': 'arn:td/worker:2',
      'previous-task-definition-arn': '',
      'deployment-id': '',
      'service-deployment-arn': '',
      'duration-seconds': 0,
      reason: 'AccessDenied',
    });
  });

  test('a green service has no reason', () => {
    const result = serviceResult('prod', 'web', {
      taskDefinitionArn: 'a',
      previousTaskDefinitionArn: 'b',
      status: 'baking',
      durationSeconds: 12,
    });

    expect(result).toMatchObject({ status: 'baking', reason: '', 'duration-seconds': 12 });
  });
});

test('the failure names only the services that did not succeed, each with its status and reason', () => {
  const results = [
    serviceResult('prod', 'web', { taskDefinitionArn: 'a', previousTaskDefinitionArn: '', status: 'succeeded' }),
    serviceResult('prod', 'worker', { taskDefinitionArn: 'a', previousTaskDefinitionArn: '', status: 'timed-out' }, 'no steady state'),
  ];

  expect(servicesFailureMessage(results)).toBe('1 of 2 services did not succeed:\nworker (timed-out): no steady state');
});

import { describe, expect, test } from '@jest/globals';
import { codeDeployDeploymentLink } from '../src/codedeploy/links';
import { logStreamLink, serviceDeploymentsLink, taskLink } from '../src/ecs/links';

describe('console links', () => {
  test('service deployments, from names or ARNs alike', () => {
    const expected = 'https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/prod/services/web/deployments?region=eu-west-1';
    expect(serviceDeploymentsLink('eu-west-1', 'prod', 'web')).toBe(expected);
    expect(
      serviceDeploymentsLink(
        'eu-west-1',
        'arn:aws:ecs:eu-west-1:123456789012:cluster/prod',
        'arn:aws:ecs:eu-west-1:123456789012:service/prod/web',
      ),
    ).toBe(expected);
  });

  test('a task link uses the task id', () => {
    expect(taskLink('us-east-1', 'prod', 'arn:aws:ecs:us-east-1:123456789012:task/prod/0a1b2c3d4e5f60718293a4b5c6d7e8f9')).toBe(
      'https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/prod/tasks/0a1b2c3d4e5f60718293a4b5c6d7e8f9/configuration?region=us-east-1',
    );
  });

  test('a log stream link double-encodes group and stream, and uses the log region', () => {
    const link = logStreamLink('us-east-1', { group: '/ecs/web', stream: 'ecs/web/0a1b2c3d', region: 'eu-west-1' });
    expect(link).toBe(
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Fecs$252Fweb/log-events/ecs$252Fweb$252F0a1b2c3d',
    );
  });

  test('a log stream link without its own region uses the given one', () => {
    expect(logStreamLink('ap-south-1', { group: 'g', stream: 's' })).toContain('?region=ap-south-1#');
  });
});

describe("console links are in the region's partition's console, or not given", () => {
  const TASK = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
  test.each<[string, string | undefined]>([
    ['us-east-1', 'https://us-east-1.console.aws.amazon.com'],
    ['cn-north-1', 'https://console.amazonaws.cn'],
    ['cn-northwest-1', 'https://console.amazonaws.cn'],
    ['us-gov-west-1', 'https://console.amazonaws-us-gov.com'],
    ['us-gov-east-1', 'https://console.amazonaws-us-gov.com'],
    // No console the suite can vouch for: no link rather than a wrong one.
    ['eusc-de-east-1', undefined],
    ['us-iso-east-1', undefined],
    ['us-isob-east-1', undefined],
    ['eu-isoe-west-1', undefined],
    ['us-isof-south-1', undefined],
  ])('%s', (region, base) => {
    const links = [
      serviceDeploymentsLink(region, 'prod', 'web'),
      taskLink(region, 'prod', `arn:aws:ecs:${region}:123456789012:task/prod/${TASK}`),
      logStreamLink(region, { group: 'g', stream: 's' }),
      codeDeployDeploymentLink(region, 'd-ABCDEF123'),
    ];
    if (base === undefined) return expect(links).toEqual([undefined, undefined, undefined, undefined]);
    expect(links).toEqual([
      `${base}/ecs/v2/clusters/prod/services/web/deployments?region=${region}`,
      `${base}/ecs/v2/clusters/prod/tasks/${TASK}/configuration?region=${region}`,
      `${base}/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/g/log-events/s`,
      `${base}/codesuite/codedeploy/deployments/d-ABCDEF123?region=${region}`,
    ]);
  });
});

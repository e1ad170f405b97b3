import { describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import type { Service } from '@aws-sdk/client-ecs';
import {
  appSpecForService,
  appSpecRevision,
  appSpecTaskDefinition,
  parseAppSpec,
  withTaskDefinition,
} from '../../src/deployment/codedeploy/appspec';

const TD = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7';
const service = (overrides: Partial<Service> = {}): Service => ({
  serviceName: 'web',
  loadBalancers: [
    {
      targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-1/1',
      containerName: 'app',
      containerPort: 8080,
    },
  ],
  ...overrides,
});
const properties = (spec: Record<string, unknown>) =>
  (spec.Resources as Array<{ TargetService: { Properties: Record<string, unknown> } }>)[0].TargetService.Properties;

describe('appSpecForService', () => {
  test('names the revision and the load-balanced container and port, and nothing the service lacks', () => {
    expect(appSpecForService(service(), TD)).toEqual({
      version: 0.0,
      Resources: [
        {
          TargetService: {
            Type: 'AWS::ECS::Service',
            Properties: { TaskDefinition: TD, LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 8080 } },
          },
        },
      ],
    });
  });

  test("carries the platform version, the awsvpc configuration and the capacity provider strategy in the AppSpec's capitalised form", () => {
    const spec = appSpecForService(
      service({
        platformVersion: '1.4.0',
        networkConfiguration: {
          awsvpcConfiguration: { subnets: ['subnet-1', 'subnet-2'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' },
        },
        capacityProviderStrategy: [
          { capacityProvider: 'FARGATE_SPOT', weight: 3 },
          { capacityProvider: 'FARGATE', base: 1, weight: 1 },
        ],
      }),
      TD,
    );
    expect(properties(spec)).toMatchObject({
      PlatformVersion: '1.4.0',
      NetworkConfiguration: {
        AwsvpcConfiguration: { Subnets: ['subnet-1', 'subnet-2'], SecurityGroups: ['sg-1'], AssignPublicIp: 'DISABLED' },
      },
      CapacityProviderStrategy: [
        { CapacityProvider: 'FARGATE_SPOT', Base: 0, Weight: 3 },
        { CapacityProvider: 'FARGATE', Base: 1, Weight: 1 },
      ],
    });
  });

  test('a service without a load-balanced container is refused, pointing to the appspec input', () => {
    expect(() => appSpecForService(service({ loadBalancers: [] }), TD)).toThrow(/Service "web" has no load balancer.*'appspec'/);
  });
});

describe('parseAppSpec', () => {
  const yaml = [
    'version: 0.0',
    'Resources:',
    '  - TargetService:',
    '      Type: AWS::ECS::Service',
    '      Properties:',
    '        TaskDefinition: web:1',
    '        LoadBalancerInfo:',
    '          ContainerName: app',
    '          ContainerPort: 8080',
    'Hooks:',
    '  - AfterAllowTestTraffic: arn:aws:lambda:eu-west-1:123456789012:function:smoke',
  ].join('\n');

  test('reads YAML; the TaskDefinition is replaced and the hooks are kept', () => {
    const spec = withTaskDefinition(parseAppSpec(yaml), TD);
    expect(properties(spec)).toEqual({ TaskDefinition: TD, LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 8080 } });
    expect(spec.Hooks).toEqual([{ AfterAllowTestTraffic: 'arn:aws:lambda:eu-west-1:123456789012:function:smoke' }]);
  });

  test('reads JSON', () => {
    const json = JSON.stringify({
      version: 0,
      Resources: [{ TargetService: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: 'x' } } }],
    });
    expect(properties(parseAppSpec(json)).TaskDefinition).toBe('x');
  });

  test.each([
    ['no Resources', 'version: 0.0\nHooks: []'],
    ['a resource of another type', 'Resources:\n  - TargetService:\n      Type: AWS::Lambda::Function\n      Properties: {}'],
    [
      'two ECS TargetServices',
      'Resources:\n  - A:\n      Type: AWS::ECS::Service\n      Properties: {}\n  - B:\n      Type: AWS::ECS::Service\n      Properties: {}',
    ],
    ['an ECS TargetService without Properties', 'Resources:\n  - TargetService:\n      Type: AWS::ECS::Service'],
  ])('a file with %s is refused, naming the input', (_what, text) => {
    expect(() => parseAppSpec(text)).toThrow(
      /^Input 'appspec': the AppSpec file must have Resources with exactly one TargetService of Type AWS::ECS::Service/,
    );
  });

  test('a file that is neither JSON nor YAML is refused, naming the input', () => {
    expect(() => parseAppSpec('Resources: [unclosed')).toThrow(/^Input 'appspec': the AppSpec file is neither JSON nor YAML/);
  });
});

describe('appSpecRevision', () => {
  test('is AppSpecContent with the sha256 of its content, whose TaskDefinition reads back', () => {
    const revision = appSpecRevision(appSpecForService(service(), TD));
    const content = revision.appSpecContent?.content as string;
    expect(revision.revisionType).toBe('AppSpecContent');
    expect(revision.appSpecContent?.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    expect(appSpecTaskDefinition(content)).toBe(TD);
    expect(appSpecTaskDefinition('not: [yaml')).toBeUndefined();
  });
});

import { describe, expect, test } from '@jest/globals';
import type { Service } from '@aws-sdk/client-ecs';
import { oneOffPlacement, type PlacementOverrides } from '../src/ecs/task-placement';
import type { RegistrableDefinition } from '../src/task-definition/strip';

const awsvpc: RegistrableDefinition = {
  family: 'web',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  containerDefinitions: [{ name: 'web' }],
};
const bridge: RegistrableDefinition = { family: 'batch', networkMode: 'bridge', containerDefinitions: [{ name: 'batch' }] };
const none: PlacementOverrides = { subnets: [], securityGroups: [] };
const service: Service = {
  serviceName: 'web',
  launchType: 'FARGATE',
  platformVersion: '1.4.0',
  networkConfiguration: {
    awsvpcConfiguration: { subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-app'], assignPublicIp: 'DISABLED' },
  },
};

describe('oneOffPlacement', () => {
  test("borrows the service's launch type, platform version and network", () => {
    expect(oneOffPlacement(awsvpc, service, none)).toEqual({
      launchType: 'FARGATE',
      platformVersion: '1.4.0',
      networkConfiguration: {
        awsvpcConfiguration: { subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-app'], assignPublicIp: 'DISABLED' },
      },
    });
  });

  test('borrows a capacity provider strategy instead of a launch type', () => {
    const strategy = [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }];
    const placement = oneOffPlacement(awsvpc, { ...service, launchType: undefined, capacityProviderStrategy: strategy }, none);
    expect(placement.capacityProviderStrategy).toEqual(strategy);
    expect(placement.launchType).toBeUndefined();
    expect(placement.platformVersion).toBe('1.4.0');
  });

  test('explicit inputs win field by field', () => {
    const placement = oneOffPlacement(awsvpc, service, {
      subnets: ['subnet-x'],
      securityGroups: [],
      assignPublicIp: 'ENABLED',
      launchType: 'EC2',
    });
    expect(placement).toEqual({
      launchType: 'EC2',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-x'], securityGroups: ['sg-app'], assignPublicIp: 'ENABLED' } },
    });
  });

  test('without a service, a Fargate-only definition runs on Fargate in the given subnets', () => {
    expect(oneOffPlacement(awsvpc, undefined, { subnets: ['subnet-x'], securityGroups: ['sg-y'] })).toEqual({
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-x'], securityGroups: ['sg-y'] } },
    });
  });

  test('awsvpc without subnets anywhere is a configuration error naming the input', () => {
    expect(() => oneOffPlacement(awsvpc, undefined, none)).toThrow(
      /^Input 'subnets' is needed: task definition family web uses the awsvpc network mode.*no 'service' was given/,
    );
    expect(() => oneOffPlacement(awsvpc, { serviceName: 'web' }, none)).toThrow(/service web has no network configuration to borrow/);
  });

  test('a bridge task gets no network configuration, and refuses subnets', () => {
    expect(oneOffPlacement(bridge, undefined, none)).toEqual({});
    expect(() => oneOffPlacement(bridge, undefined, { ...none, securityGroups: ['sg-1'] })).toThrow(
      /^Input 'security-groups' applies only to task definitions in the awsvpc network mode/,
    );
  });
});

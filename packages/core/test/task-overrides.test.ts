import { describe, expect, test } from '@jest/globals';
import { fargateSizeProblem, taskSizeProblem } from '../src/ecs';
import type { RegistrableDefinition } from '../src/task-definition';

const definition: RegistrableDefinition = {
  family: 'orders',
  cpu: '256',
  memory: '1024',
  containerDefinitions: [{ name: 'app', image: 'orders:1', memory: 768 }],
};

describe('fargateSizeProblem', () => {
  test.each([
    ['256', '512'],
    ['256', '2048'],
    ['4096', '30720'],
    ['16384', '122880'],
  ])('%s CPU units with %s MiB is a Fargate size', (cpu, memory) => {
    expect(fargateSizeProblem(cpu, memory)).toBeUndefined();
  });

  test.each([
    ['256', '4096', /with 256 it takes 512, 1024, 2048 MiB/],
    ['8192', '18432', /with 8192 it takes 16384 to 61440 in steps of 4096 MiB/],
    ['3000', '8192', /no task of 3000 CPU units/],
  ])('%s CPU units with %s MiB is not', (cpu, memory, message) => {
    expect(fargateSizeProblem(cpu, memory)).toMatch(message);
  });
});

describe('taskSizeProblem', () => {
  test("on EC2 any size is ECS's to judge, but not below a container's memory", () => {
    expect(taskSizeProblem(definition, { launchType: 'EC2' }, { cpu: '300', memory: '900' })).toBeUndefined();
    expect(taskSizeProblem(definition, { launchType: 'EC2' }, { memory: '512' })).toMatch(
      /^Input 'memory' \(512 MiB\) is less than container "app"'s memory \(768 MiB\)/,
    );
  });

  test('on a FARGATE capacity provider the pair after the overrides must be a Fargate size', () => {
    const spot = { capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] };
    expect(taskSizeProblem(definition, spot, { cpu: '1024' })).toMatch(
      /^Input 'cpu' \(1024\) makes the task 1024 CPU units and 1024 MiB on Fargate/,
    );
    expect(taskSizeProblem(definition, spot, { cpu: '512' })).toBeUndefined();
  });
});

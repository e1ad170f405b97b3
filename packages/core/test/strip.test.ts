import { describe, expect, test } from '@jest/globals';
import { isPlainObject, READ_ONLY_FIELDS, stripTaskDefinition } from '../src/task-definition/strip';
import { described } from './support/task-definitions';

describe('stripTaskDefinition', () => {
  test('removes every read-only field DescribeTaskDefinition returns', () => {
    // A revision that was deregistered, then deleted: DescribeTaskDefinition still answers while it is
    // DELETE_IN_PROGRESS, with both timestamps set.
    const input = {
      ...described(),
      status: 'DELETE_IN_PROGRESS',
      deregisteredAt: new Date('2026-02-01T00:00:00Z'),
      deleteRequestedAt: new Date('2026-02-02T00:00:00Z'),
    };
    // Every field RegisterTaskDefinition refuses is present in the input...
    for (const field of READ_ONLY_FIELDS) expect(input).toHaveProperty(field);
    const stripped = stripTaskDefinition(input) as unknown as Record<string, unknown>;
    for (const field of [
      'taskDefinitionArn',
      'revision',
      'status',
      'requiresAttributes',
      'compatibilities',
      'registeredAt',
      'registeredBy',
      'deregisteredAt',
      'deleteRequestedAt',
    ]) {
      expect(stripped).not.toHaveProperty(field);
    }
  });

  test('keeps what RegisterTaskDefinition takes', () => {
    const stripped = stripTaskDefinition(described());
    expect(stripped).toMatchObject({
      family: 'web',
      taskRoleArn: 'arn:aws:iam::123456789012:role/web-task',
      executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      enableFaultInjection: false,
    });
    expect(stripped.containerDefinitions?.[0]).toMatchObject({
      name: 'web',
      image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.4.2',
      essential: true,
      portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }],
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web' } },
    });
  });

  test('drops empty lists at every depth, such as volumes, mountPoints and logConfiguration.secretOptions', () => {
    const stripped = stripTaskDefinition(described()) as unknown as Record<string, unknown>;
    expect(stripped).not.toHaveProperty('volumes');
    expect(stripped).not.toHaveProperty('placementConstraints');
    const container = stripped.containerDefinitions as Record<string, unknown>[];
    for (const field of ['mountPoints', 'volumesFrom', 'environmentFiles', 'ulimits', 'systemControls']) {
      expect(container[0]).not.toHaveProperty(field);
    }
    expect(container[0].logConfiguration).not.toHaveProperty('secretOptions');
  });

  test('drops nulls and objects left empty, recursively', () => {
    const stripped = stripTaskDefinition({
      family: 'web',
      cpu: null,
      pidMode: undefined,
      volumes: [
        { name: 'scratch', host: {} },
        { name: 'data', host: { sourcePath: null }, efsVolumeConfiguration: { authorizationConfig: {} } },
      ],
      containerDefinitions: [{ name: 'web', image: 'nginx', dockerLabels: {}, linuxParameters: { capabilities: { add: [], drop: [] } } }],
      placementConstraints: [null],
    });
    expect(stripped).toEqual({
      family: 'web',
      volumes: [{ name: 'scratch' }, { name: 'data' }],
      containerDefinitions: [{ name: 'web', image: 'nginx' }],
    });
  });

  test('keeps meaningful falsy values RegisterTaskDefinition accepts', () => {
    const stripped = stripTaskDefinition({
      family: 'web',
      enableFaultInjection: false,
      containerDefinitions: [
        {
          name: 'web',
          image: 'nginx',
          cpu: 0,
          memoryReservation: 0,
          essential: false,
          readonlyRootFilesystem: false,
          privileged: false,
          environment: [{ name: 'EMPTY', value: '' }],
          portMappings: [{ containerPort: 80, hostPort: 0 }],
          dockerLabels: { 'com.example.empty': '' },
        },
      ],
    });
    expect(stripped).toEqual({
      family: 'web',
      enableFaultInjection: false,
      containerDefinitions: [
        {
          name: 'web',
          image: 'nginx',
          cpu: 0,
          memoryReservation: 0,
          essential: false,
          readonlyRootFilesystem: false,
          privileged: false,
          environment: [{ name: 'EMPTY', value: '' }],
          portMappings: [{ containerPort: 80, hostPort: 0 }],
          dockerLabels: { 'com.example.empty': '' },
        },
      ],
    });
  });

  test('does not change its input', () => {
    const input = described();
    const before = structuredClone(input);
    stripTaskDefinition(input);
    expect(input).toEqual(before);
  });

  test('leaves Dates as Dates rather than emptying them', () => {
    // Not a registrable field, but a Date must not be mistaken for an empty object and dropped.
    const stripped = stripTaskDefinition({ family: 'x', containerDefinitions: [], when: new Date(0) }) as unknown as Record<
      string,
      unknown
    >;
    expect(stripped.when).toEqual(new Date(0));
  });
});

describe('isPlainObject', () => {
  test.each<[string, unknown, boolean]>([
    ['object', { a: 1 }, true],
    ['empty object', {}, true],
    ['array', [], false],
    ['null', null, false],
    ['Date', new Date(), false],
    ['string', 'x', false],
    ['number', 1, false],
  ])('%s -> %s', (_, value, expected) => {
    expect(isPlainObject(value)).toBe(expected);
  });
});

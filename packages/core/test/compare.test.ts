import { describe, expect, test } from '@jest/globals';
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { canonicalJson, normalise, sameTaskDefinition } from '../src/task-definition/compare';
import type { RegistrableDefinition } from '../src/task-definition/strip';
import { described, handWritten, TAGS, webContainer } from './support/task-definitions';

const describedAsRegistrable = () => described() as RegistrableDefinition;

/** The hand-written definition with one change applied to its container. */
function changedContainer(change: (container: ContainerDefinition) => void): RegistrableDefinition {
  const definition = handWritten();
  change(webContainer(definition));
  return definition;
}

describe('sameTaskDefinition', () => {
  test('a described revision equals the hand-written file it was registered from', () => {
    expect(sameTaskDefinition(describedAsRegistrable(), handWritten())).toBe(true);
    expect(sameTaskDefinition(handWritten(), describedAsRegistrable())).toBe(true);
  });

  test('tags do not count', () => {
    expect(sameTaskDefinition(describedAsRegistrable(), { ...handWritten(), tags: TAGS })).toBe(true);
  });

  test('environment and secret order does not matter', () => {
    const reordered = changedContainer((c) => {
      c.environment = [...(c.environment ?? [])].reverse();
      c.secrets = [{ name: 'Z_TOKEN', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/z' }, ...(c.secrets ?? [])];
    });
    const other = changedContainer((c) => {
      c.secrets = [...(c.secrets ?? []), { name: 'Z_TOKEN', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/z' }];
    });
    expect(sameTaskDefinition(reordered, other)).toBe(true);
  });

  test('container order does not matter', () => {
    const a: RegistrableDefinition = {
      family: 'web',
      containerDefinitions: [
        { name: 'app', image: 'a' },
        { name: 'envoy', image: 'e' },
      ],
    };
    const b: RegistrableDefinition = { family: 'web', containerDefinitions: [...(a.containerDefinitions ?? [])].reverse() };
    expect(sameTaskDefinition(a, b)).toBe(true);
  });

  test('a port mapping left out of hostPort in bridge mode differs from one with hostPort set', () => {
    // Only awsvpc fills hostPort with containerPort; in bridge mode a fixed hostPort is a real choice.
    const bridge = (hostPort?: number): RegistrableDefinition => ({
      family: 'web',
      networkMode: 'bridge',
      containerDefinitions: [{ name: 'web', image: 'nginx', portMappings: [{ containerPort: 80, hostPort }] }],
    });
    expect(sameTaskDefinition(bridge(80), bridge(undefined))).toBe(false);
    expect(sameTaskDefinition(bridge(80), bridge(80))).toBe(true);
  });

  test.each<[string, (c: ContainerDefinition) => void]>([
    ['image tag', (c) => void (c.image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.4.3')],
    [
      'environment value',
      (c) =>
        void (c.environment = [
          { name: 'LOG_LEVEL', value: 'debug' },
          { name: 'DATABASE_HOST', value: 'db.internal' },
        ]),
    ],
    ['environment variable added', (c) => void c.environment?.push({ name: 'NEW', value: '1' })],
    ['environment variable removed', (c) => void c.environment?.pop()],
    ['container cpu', (c) => void (c.cpu = 128)],
    [
      'secret valueFrom',
      (c) =>
        void (c.secrets = [{ name: 'DATABASE_PASSWORD', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:other-XyZ' }]),
    ],
    ['essential false', (c) => void (c.essential = false)],
    ['protocol udp', (c) => void (c.portMappings = [{ containerPort: 8080, protocol: 'udp' }])],
    ['different hostPort in awsvpc', (c) => void (c.portMappings = [{ containerPort: 8080, hostPort: 9090 }])],
    ['readonly root filesystem', (c) => void (c.readonlyRootFilesystem = true)],
    ['log group', (c) => void (c.logConfiguration = { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/other' } })],
  ])('a changed %s is a different definition', (_, change) => {
    expect(sameTaskDefinition(describedAsRegistrable(), changedContainer(change))).toBe(false);
  });

  test.each<[string, Partial<RegistrableDefinition>]>([
    ['task memory', { memory: '1024' }],
    ['task cpu', { cpu: '512' }],
    ['task role', { taskRoleArn: 'arn:aws:iam::123456789012:role/other' }],
    ['fault injection on', { enableFaultInjection: true }],
  ])('a changed %s is a different definition', (_, change) => {
    expect(sameTaskDefinition(describedAsRegistrable(), { ...handWritten(), ...change })).toBe(false);
  });
});

describe('normalise', () => {
  test('removes the defaults ECS echoes, read-only fields and tags', () => {
    const normalised = normalise({ ...describedAsRegistrable(), tags: TAGS });
    expect(normalised).not.toHaveProperty('tags');
    expect(normalised).not.toHaveProperty('enableFaultInjection');
    expect(normalised).not.toHaveProperty('revision');
    expect(normalised).not.toHaveProperty('taskDefinitionArn');
    const [container] = normalised.containerDefinitions as ContainerDefinition[];
    expect(container).not.toHaveProperty('essential');
    expect(container).not.toHaveProperty('cpu');
    expect(container).not.toHaveProperty('mountPoints');
    expect(container.portMappings).toEqual([{ containerPort: 8080 }]);
    expect(container.environment?.map((e) => e.name)).toEqual(['DATABASE_HOST', 'LOG_LEVEL']);
  });

  test('keeps values that are not the defaults', () => {
    const normalised = normalise({
      family: 'x',
      enableFaultInjection: true,
      containerDefinitions: [{ name: 'x', image: 'i', essential: false, cpu: 64, portMappings: [{ containerPort: 53, protocol: 'udp' }] }],
    });
    expect(normalised.enableFaultInjection).toBe(true);
    expect(normalised.containerDefinitions).toEqual([
      { name: 'x', image: 'i', essential: false, cpu: 64, portMappings: [{ containerPort: 53, protocol: 'udp' }] },
    ]);
  });

  test('does not change its input', () => {
    const input = describedAsRegistrable();
    const before = structuredClone(input);
    normalise(input);
    expect(input).toEqual(before);
  });
});

describe('canonicalJson', () => {
  test('object keys are sorted at every depth; arrays keep their order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,1]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });

  test('Dates are written as ISO strings', () => {
    expect(canonicalJson({ at: new Date('2026-01-01T00:00:00Z') })).toBe('{"at":"2026-01-01T00:00:00.000Z"}');
  });

  test('strings are escaped as JSON', () => {
    expect(JSON.parse(canonicalJson({ 'k"ey': 'va"l\nue' }))).toEqual({ 'k"ey': 'va"l\nue' });
  });
});

describe('ECS unit conversions and defaults', () => {
  test.each([
    [
      { cpu: '1 vCPU', memory: '2 GB' },
      { cpu: '1024', memory: '2048' },
    ],
    [
      { cpu: '0.5 vcpu', memory: '1GB' },
      { cpu: '512', memory: '1024' },
    ],
    [
      { cpu: '256', memory: '512 MB' },
      { cpu: '256', memory: '512' },
    ],
  ])('a file with %j equals the revision ECS registered from it (%j)', (written, stored) => {
    const file = { ...handWritten(), ...written } as RegistrableDefinition;
    const live = { ...described(), ...stored } as unknown as RegistrableDefinition;
    expect(sameTaskDefinition(live, file)).toBe(true);
  });

  test('a real cpu change is still a change', () => {
    const file = { ...handWritten(), cpu: '2 vCPU' } as RegistrableDefinition;
    const live = { ...described(), cpu: '1024' } as unknown as RegistrableDefinition;
    expect(sameTaskDefinition(live, file)).toBe(false);
  });

  test('a file with only healthCheck.command equals the revision with the health-check defaults ECS echoes', () => {
    const command = ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'];
    const file = changedContainer((c) => void (c.healthCheck = { command }));
    const live = described();
    webContainer(live).healthCheck = { command, interval: 30, timeout: 5, retries: 3 };
    expect(sameTaskDefinition(live as RegistrableDefinition, file)).toBe(true);
    expect(sameTaskDefinition(file, live as RegistrableDefinition)).toBe(true);
  });

  test('a startPeriod of 0 is the same as none: the grace period is off either way', () => {
    const command = ['CMD', '/healthcheck'];
    const file = changedContainer((c) => void (c.healthCheck = { command, startPeriod: 0 }));
    const live = described();
    webContainer(live).healthCheck = { command, interval: 30, timeout: 5, retries: 3 };
    expect(sameTaskDefinition(live as RegistrableDefinition, file)).toBe(true);
  });

  test.each<[string, Partial<ContainerDefinition['healthCheck']>]>([
    ['interval', { interval: 10 }],
    ['timeout', { timeout: 2 }],
    ['retries', { retries: 5 }],
    ['startPeriod', { startPeriod: 60 }],
  ])('a health check with a non-default %s differs from the defaults ECS echoes', (_, change) => {
    const command = ['CMD', '/healthcheck'];
    const file = changedContainer((c) => void (c.healthCheck = { command, ...change }));
    const live = described();
    webContainer(live).healthCheck = { command, interval: 30, timeout: 5, retries: 3 };
    expect(sameTaskDefinition(live as RegistrableDefinition, file)).toBe(false);
  });

  test('a changed health-check command is a change', () => {
    const file = changedContainer((c) => void (c.healthCheck = { command: ['CMD', '/other'] }));
    const live = described();
    webContainer(live).healthCheck = { command: ['CMD', '/healthcheck'], interval: 30, timeout: 5, retries: 3 };
    expect(sameTaskDefinition(live as RegistrableDefinition, file)).toBe(false);
  });

  test('in bridge mode, a dynamic host port echoed as 0 equals one left out', () => {
    const base = {
      family: 'web',
      networkMode: 'bridge',
      containerDefinitions: [{ name: 'web', image: 'web:1', portMappings: [{ containerPort: 8080 }] }],
    };
    const echoed = {
      ...base,
      containerDefinitions: [{ name: 'web', image: 'web:1', portMappings: [{ containerPort: 8080, hostPort: 0, protocol: 'tcp' }] }],
    };
    expect(sameTaskDefinition(echoed as RegistrableDefinition, base as RegistrableDefinition)).toBe(true);
  });
});

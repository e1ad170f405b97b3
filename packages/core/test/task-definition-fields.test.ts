import { describe, expect, test } from '@jest/globals';
import { describeFieldProblem, judgeTaskDefinitionFields, type FieldProblem } from '../src/task-definition/fields';
import { registerModel, type FieldShape, type StructureShape } from '../src/task-definition/register-model';
import { READ_ONLY_FIELDS } from '../src/task-definition/strip';
import { described, handWritten, TAGS } from './support/task-definitions';

function structure(shape: FieldShape | undefined): StructureShape {
  if (shape?.kind !== 'structure') throw new Error(`expected a structure, got ${shape?.kind}`);
  return shape;
}

function listOf(shape: FieldShape | undefined): FieldShape {
  if (shape?.kind !== 'list') throw new Error(`expected a list, got ${shape?.kind}`);
  return shape.member;
}

const messages = (file: unknown, inputs?: Record<string, string>) =>
  judgeTaskDefinitionFields(file).problems.map((problem: FieldProblem) => describeFieldProblem(problem, inputs));

describe("the SDK's model of RegisterTaskDefinition, as read", () => {
  // These fail loudly when @aws-sdk/client-ecs changes how it encodes its shapes and the reader no longer finds them.
  test('the request is a structure with the members the API reference lists', () => {
    const { request } = registerModel();
    expect(request.name).toBe('RegisterTaskDefinitionRequest');
    for (const member of ['family', 'containerDefinitions', 'cpu', 'memory', 'networkMode', 'volumes', 'tags', 'runtimePlatform'])
      expect(request.members.has(member)).toBe(true);
  });

  test('nested structures are read: containers, their port mappings and log configuration, volumes', () => {
    const { request } = registerModel();
    const container = structure(listOf(request.members.get('containerDefinitions')));
    expect(container.name).toBe('ContainerDefinition');
    const port = structure(listOf(container.members.get('portMappings')));
    expect([...port.members.keys()]).toEqual(expect.arrayContaining(['containerPort', 'hostPort', 'protocol', 'name', 'appProtocol']));
    const logs = structure(container.members.get('logConfiguration'));
    expect(logs.members.get('options')).toEqual({ kind: 'map', value: { kind: 'value' } });
    const volume = structure(listOf(request.members.get('volumes')));
    expect(structure(volume.members.get('efsVolumeConfiguration')).members.has('fileSystemId')).toBe(true);
  });

  test("a described revision's read-only fields are the ones stripTaskDefinition removes", () => {
    expect([...registerModel().describedOnly].sort()).toEqual([...READ_ONLY_FIELDS].sort());
  });

  test('service settings are CreateService/UpdateService parameters that are no task-definition field', () => {
    const { serviceSettings } = registerModel();
    for (const key of ['networkConfiguration', 'enableExecuteCommand', 'desiredCount', 'loadBalancers', 'launchType'])
      expect(serviceSettings.has(key)).toBe(true);
    // Task-definition fields too, and the parameters that name the service rather than set anything on it.
    for (const key of ['placementConstraints', 'tags', 'cluster', 'serviceName', 'taskDefinition'])
      expect(serviceSettings.has(key)).toBe(false);
  });
});

describe('judgeTaskDefinitionFields', () => {
  test('a hand-written definition has no problem and is kept whole', () => {
    expect(judgeTaskDefinitionFields(handWritten())).toEqual({ known: handWritten(), problems: [] });
  });

  test('a file saved from describe-task-definition (wrapper, tags, read-only fields) has no problem and is kept whole', () => {
    const saved = JSON.parse(JSON.stringify({ taskDefinition: described(), tags: TAGS }));
    expect(judgeTaskDefinitionFields(saved)).toEqual({ known: saved, problems: [] });
  });

  test('keys of a map (docker labels, log driver options) are values, not fields', () => {
    const definition = handWritten();
    definition.containerDefinitions![0].dockerLabels = { 'com.example.Team': 'payments' };
    expect(judgeTaskDefinitionFields(definition).problems).toEqual([]);
  });

  test('a capitalised key is refused with the camelCase name to use', () => {
    expect(messages({ ...handWritten(), Cpu: '256' })).toEqual(['Cpu: did you mean cpu?']);
  });

  test('a nested key in the wrong case is named by its path', () => {
    const definition = handWritten();
    definition.containerDefinitions![0].portMappings = [{ containerPort: 8080 }, { containerPort: 9090, ...{ hostport: 9090 } }];
    expect(messages(definition)).toEqual(['containerDefinitions[0].portMappings[1].hostport: did you mean hostPort?']);
  });

  test('an unknown nested key fails naming its path and the structure it is in, with a near spelling when there is one', () => {
    const definition = handWritten();
    const [container] = definition.containerDefinitions!;
    container.logConfiguration = { ...container.logConfiguration!, ...{ optons: {} } };
    Object.assign(container, { restart: 'always' });
    expect(messages(definition)).toEqual([
      'containerDefinitions[0].logConfiguration.optons is not a field RegisterTaskDefinition takes in LogConfiguration: did you mean options?',
      'containerDefinitions[0].restart is not a field RegisterTaskDefinition takes in ContainerDefinition',
    ]);
  });

  test('a service setting says where it belongs, and names the input that sets it when the step has one', () => {
    const file = { ...handWritten(), enableExecuteCommand: true, desiredCount: 2, EnableExecuteCommand: true };
    expect(messages(file, { desiredCount: 'desired-count' })).toEqual([
      'enableExecuteCommand is a service setting: set it on the service (CreateService or UpdateService), not in the task definition',
      "desiredCount is a service setting: give it as this step's 'desired-count' input, not in the task definition",
      'EnableExecuteCommand (enableExecuteCommand) is a service setting: set it on the service (CreateService or UpdateService), not in the task definition',
    ]);
  });

  test('inside a describe-task-definition wrapper the path starts at taskDefinition, and an unknown wrapper key is named', () => {
    const saved = { taskDefinition: { ...described(), networkConfiguration: {} }, tags: TAGS, ResponseMetadata: {} };
    expect(messages(saved)).toEqual([
      'ResponseMetadata is not a field RegisterTaskDefinition takes in DescribeTaskDefinitionResponse',
      'taskDefinition.networkConfiguration is a service setting: set it on the service (CreateService or UpdateService), not in the task definition',
    ]);
  });

  test('a value of the wrong shape is named with what the model takes there, and left out of the known definition', () => {
    const definition = handWritten();
    const [container] = definition.containerDefinitions!;
    Object.assign(container, {
      environment: { NODE_ENV: 'production' },
      command: 'npm start',
      portMappings: ['80:8080', { containerPort: 9090 }],
    });
    const file = { ...definition, requiresCompatibilities: 'FARGATE', ephemeralStorage: 21 };
    // In the order of the file's keys: handWritten() puts requiresCompatibilities before containerDefinitions.
    expect(messages(file)).toEqual([
      'requiresCompatibilities is the string "FARGATE", where RegisterTaskDefinition takes a list',
      'containerDefinitions[0].portMappings[0] is the string "80:8080", where RegisterTaskDefinition takes an object (PortMapping)',
      'containerDefinitions[0].environment is an object, where RegisterTaskDefinition takes a list',
      'containerDefinitions[0].command is the string "npm start", where RegisterTaskDefinition takes a list',
      'ephemeralStorage is the number 21, where RegisterTaskDefinition takes an object (EphemeralStorage)',
    ]);
    const known = judgeTaskDefinitionFields(file).known as typeof definition;
    expect(known.containerDefinitions![0]).not.toHaveProperty('environment');
    expect(known.containerDefinitions![0].portMappings).toEqual([{ containerPort: 9090 }]);
    expect(known).not.toHaveProperty('ephemeralStorage');
  });

  test('a map given as a list, and null anywhere, are told apart: null is no problem (it is dropped), the list is', () => {
    const definition = handWritten();
    Object.assign(definition.containerDefinitions![0], { dockerLabels: ['team=payments'], user: null, healthCheck: null });
    expect(messages(definition)).toEqual([
      'containerDefinitions[0].dockerLabels is a list, where RegisterTaskDefinition takes an object of names to values',
    ]);
  });

  test('what the SDK would drop is left out of the known definition, everything else stays', () => {
    const file = { ...handWritten(), Memory: '512', enableExecuteCommand: true };
    expect(judgeTaskDefinitionFields(file).known).toEqual(handWritten());
  });
});

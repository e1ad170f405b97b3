import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand, type RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { start, type Sandbox } from '../src/index';
import { ecsClient } from './support/harness';

// RegisterTaskDefinition's rules on images, task size, memory, awsvpc ports and list shapes, over the wire: what ECS
// refuses is refused with its error and message, and what it takes (the edges of each rule) is registered.

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start({ timeScale: 0.025, accountId: '123456789012', region: 'eu-west-1' });
});
afterAll(async () => {
  await sandbox.stop();
});

const IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1';
const fargate = (cpu: string, memory: string, containers: Array<Record<string, unknown>> = [{ name: 'app', image: IMAGE }]) =>
  ({
    family: 'rules',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu,
    memory,
    containerDefinitions: containers,
  }) as never;
const ec2 = (containers: Array<Record<string, unknown>>) => ({ family: 'rules', containerDefinitions: containers }) as never;

const register = (input: RegisterTaskDefinitionCommandInput) => ecsClient(sandbox).send(new RegisterTaskDefinitionCommand(input));

describe('what ECS refuses at registration', () => {
  test.each([
    [
      'an unfilled ${IMAGE}',
      ec2([{ name: 'app', image: '${IMAGE}', memory: 128 }]),
      'ClientException',
      'Container.image contains invalid characters.',
    ],
    [
      '<IMAGE1_NAME>',
      ec2([{ name: 'app', image: '<IMAGE1_NAME>', memory: 128 }]),
      'ClientException',
      'Container.image contains invalid characters.',
    ],
    [
      '{{ image }}',
      ec2([{ name: 'app', image: '{{ image }}', memory: 128 }]),
      'ClientException',
      'Container.image contains invalid characters.',
    ],
    [
      'a digest too short',
      ec2([{ name: 'app', image: 'web@sha256:abc', memory: 128 }]),
      'ClientException',
      'Container.image contains invalid characters.',
    ],
    [
      'a Fargate size that does not exist',
      fargate('1024', '1024'),
      'ClientException',
      'No Fargate configuration exists for given values: 1024 CPU, 1024 memory. See the Amazon ECS documentation for the valid values.',
    ],
    [
      '256 CPU with 1536 MiB',
      fargate('256', '1536'),
      'ClientException',
      'No Fargate configuration exists for given values: 256 CPU, 1536 memory. See the Amazon ECS documentation for the valid values.',
    ],
    [
      'a container memory above the task',
      fargate('256', '512', [{ name: 'app', image: IMAGE, memory: 1024 }]),
      'ClientException',
      "The 'memory' setting for container 'app' is greater than for the task.",
    ],
    [
      'reservations adding up to more than the task',
      fargate('256', '512', [
        { name: 'app', image: IMAGE, memoryReservation: 300 },
        { name: 'side', image: IMAGE, memoryReservation: 300 },
      ]),
      'ClientException',
      "The sum of all container 'memoryReservation' values cannot be greater than the value of the task 'memory'.",
    ],
    [
      'memoryReservation above memory',
      ec2([{ name: 'app', image: IMAGE, memory: 128, memoryReservation: 256 }]),
      'ClientException',
      "Invalid setting for container 'app'. 'memoryReservation' must be less than or equal to 'memory'.",
    ],
    [
      'an awsvpc host port unlike the container port',
      fargate('256', '512', [{ name: 'app', image: IMAGE, portMappings: [{ containerPort: 3000, hostPort: 80 }] }]),
      'ClientException',
      'When networkMode=awsvpc, the host ports and container ports in port mappings must match.',
    ],
    ['a task cpu that is no size', fargate('lots', '512'), 'InvalidParameterException', "Invalid 'cpu' setting for task."],
    [
      'environment as a map',
      ec2([{ name: 'app', image: IMAGE, memory: 128, environment: { A: 'b' } }]),
      'SerializationException',
      'Start of structure or map found where not expected.',
    ],
  ])('%s', async (_, input, name, message) => {
    const error = (await register(input).catch((e: unknown) => e)) as Error;
    expect({ name: error.name, message: error.message }).toEqual({ name, message });
  });
});

describe('what ECS takes, at the edges of those rules', () => {
  test.each([
    ['an image by digest', ec2([{ name: 'app', image: `web@sha256:${'a'.repeat(64)}`, memory: 128 }])],
    ['an image with a port, path and number sign', ec2([{ name: 'app', image: 'registry.local:5000/team/web:1.2#x', memory: 128 }])],
    ['the largest memory of the 4096 CPU row', fargate('4096', '30720')],
    ['256 CPU with 2048 MiB', fargate('256', '2048')],
    ['a container memory equal to the task', fargate('256', '512', [{ name: 'app', image: IMAGE, memory: 512 }])],
    ['memoryReservation equal to memory', ec2([{ name: 'app', image: IMAGE, memory: 256, memoryReservation: 256 }])],
    [
      'an awsvpc host port equal to the container port',
      fargate('256', '512', [{ name: 'app', image: IMAGE, portMappings: [{ containerPort: 80, hostPort: 80 }] }]),
    ],
  ])('%s', async (_, input) => {
    await expect(register(input)).resolves.toMatchObject({ taskDefinition: { family: 'rules' } });
  });

  test('a task size in vCPU and GB is stored in units', async () => {
    const { taskDefinition } = await register(fargate('0.5 vCPU', '2 GB'));
    const described = await ecsClient(sandbox).send(
      new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinition?.taskDefinitionArn }),
    );
    expect({ cpu: described.taskDefinition?.cpu, memory: described.taskDefinition?.memory }).toEqual({ cpu: '512', memory: '2048' });
  });
});

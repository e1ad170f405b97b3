import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigurationError } from '../src/common/errors';
import { loadTaskDefinitionFile } from '../src/task-definition/load';
import { described, handWritten, TAGS } from './support/task-definitions';

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'core-load-test-'));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, content: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

async function loadError(file: string, inputName?: string): Promise<ConfigurationError> {
  try {
    await loadTaskDefinitionFile(file, inputName);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

describe('loadTaskDefinitionFile', () => {
  test('a bare definition is read as is, without tags', async () => {
    const file = write('bare.json', JSON.stringify(handWritten(), null, 2));
    const loaded = await loadTaskDefinitionFile(file);
    expect(loaded.definition).toEqual(handWritten());
    expect(loaded.tags).toEqual([]);
  });

  test('a file saved on Windows (a byte order mark, CRLF line endings) is read as the same definition', async () => {
    const file = write('windows.json', `\uFEFF${JSON.stringify(handWritten(), null, 2).replace(/\n/g, '\r\n')}`);
    expect((await loadTaskDefinitionFile(file)).definition).toEqual(handWritten());
  });

  test('tags inside a bare definition are returned separately and removed from it', async () => {
    const file = write('bare-tags.json', JSON.stringify({ ...handWritten(), tags: TAGS }));
    const loaded = await loadTaskDefinitionFile(file);
    expect(loaded.tags).toEqual(TAGS);
    expect(loaded.definition).not.toHaveProperty('tags');
  });

  test('describe-task-definition output: the definition is unwrapped and stripped, tags taken from the wrapper', async () => {
    const file = write('described.json', JSON.stringify({ taskDefinition: described(), tags: TAGS }, null, 4));
    const loaded = await loadTaskDefinitionFile(file);
    expect(loaded.tags).toEqual(TAGS);
    expect(loaded.definition.family).toBe('web');
    for (const field of [
      'taskDefinitionArn',
      'revision',
      'status',
      'requiresAttributes',
      'compatibilities',
      'registeredAt',
      'registeredBy',
    ]) {
      expect(loaded.definition).not.toHaveProperty(field);
    }
    expect(loaded.definition).not.toHaveProperty('volumes');
    expect(loaded.definition.containerDefinitions?.[0]).not.toHaveProperty('mountPoints');
    expect(loaded.definition.containerDefinitions?.[0].image).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.4.2');
  });

  test('describe-task-definition output without tags gives no tags', async () => {
    const file = write('described-no-tags.json', JSON.stringify({ taskDefinition: described() }));
    expect((await loadTaskDefinitionFile(file)).tags).toEqual([]);
  });

  test('a missing file names the input and the path and says it does not exist', async () => {
    const missing = path.join(dir, 'nope', 'task-definition.json');
    const error = await loadError(missing);
    expect(error.input).toBe('task-definition');
    expect(error.message).toContain("'task-definition'");
    expect(error.message).toContain(missing);
    expect(error.message).toContain('does not exist');
  });

  test('the input name can be chosen by the caller', async () => {
    const error = await loadError(path.join(dir, 'missing.json'), 'migration-task-definition');
    expect(error.input).toBe('migration-task-definition');
    expect(error.message).toContain("'migration-task-definition'");
  });

  test('a directory says it is a directory', async () => {
    const sub = path.join(dir, 'a-directory');
    fs.mkdirSync(sub);
    const error = await loadError(sub);
    expect(error.input).toBe('task-definition');
    expect(error.message).toContain(sub);
    expect(error.message).toContain('is a directory');
  });

  test('invalid JSON names the path and says what it must hold', async () => {
    const file = write('broken.json', '{ "family": "web", ');
    const error = await loadError(file);
    expect(error.input).toBe('task-definition');
    expect(error.message).toContain(file);
    expect(error.message).toContain('not valid JSON');
    expect(error.message).toContain('task definition');
  });

  test.each([
    ['an array', '[]'],
    ['a string', '"web"'],
    ['null', 'null'],
    ['an object without family', JSON.stringify({ containerDefinitions: [] })],
    ['an object without containerDefinitions', JSON.stringify({ family: 'web' })],
    ['containerDefinitions not a list', JSON.stringify({ family: 'web', containerDefinitions: {} })],
    ['a wrapper around something else', JSON.stringify({ taskDefinition: { name: 'web' }, tags: [] })],
    ['a service description', JSON.stringify({ services: [{ serviceName: 'web' }] })],
  ])('JSON that is not a task definition (%s) is refused', async (_, content) => {
    const file = write(`not-a-definition-${Math.random().toString(36).slice(2)}.json`, content);
    const error = await loadError(file);
    expect(error.input).toBe('task-definition');
    expect(error.message).toContain(file);
    expect(error.message).toContain('"family"');
    expect(error.message).toContain('"containerDefinitions"');
  });

  test('keys RegisterTaskDefinition does not take are left out of the definition and reported with their paths', async () => {
    const file = write('unknown-keys.json', JSON.stringify({ ...handWritten(), Cpu: '256', enableExecuteCommand: true }));
    const loaded = await loadTaskDefinitionFile(file);
    expect(loaded.definition).toEqual(handWritten());
    expect(loaded.fieldProblems?.map((problem) => problem.path)).toEqual(['Cpu', 'enableExecuteCommand']);
  });

  test('a CloudFormation-style file (Family, ContainerDefinitions) is refused with the camelCase names to use', async () => {
    const file = write('cloudformation.json', JSON.stringify({ Family: 'web', ContainerDefinitions: [{ Name: 'web', Image: 'web:1' }] }));
    expect((await loadError(file)).message).toContain(
      'Its keys say: Family: did you mean family?; ContainerDefinitions: did you mean containerDefinitions?.',
    );
  });
});

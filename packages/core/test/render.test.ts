import { describe, expect, test } from '@jest/globals';
import { ConfigurationError } from '../src/common/errors';
import { mergeEnvironment, renderTaskDefinition, selectContainer } from '../src/task-definition/render';
import type { RegistrableDefinition } from '../src/task-definition/strip';
import { handWritten } from './support/task-definitions';

function twoContainers(): RegistrableDefinition {
  return {
    family: 'web',
    containerDefinitions: [
      { name: 'app', image: 'example/app:1', environment: [{ name: 'A', value: '1' }] },
      { name: 'envoy', image: 'envoyproxy/envoy:v1.31', environment: [{ name: 'A', value: 'sidecar' }] },
    ],
  };
}

function thrown(run: () => unknown): ConfigurationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

describe('selectContainer', () => {
  test('the only container is the default', () => {
    expect(selectContainer(handWritten()).name).toBe('web');
  });

  test('a named container is found among several', () => {
    const definition = twoContainers();
    const selected = selectContainer(definition, 'envoy');
    expect(selected.image).toBe('envoyproxy/envoy:v1.31');
    // It is the definition's own object, so the caller can change it.
    expect(selected).toBe(definition.containerDefinitions?.[1]);
  });

  test('a name that does not exist lists the names that do', () => {
    const error = thrown(() => selectContainer(twoContainers(), 'ap'));
    expect(error.input).toBe('container');
    expect(error.message).toContain("'container'");
    expect(error.message).toContain('"ap"');
    expect(error.message).toContain('web');
    expect(error.message).toContain('"app", "envoy"');
  });

  test('a name is checked even when there is only one container', () => {
    const error = thrown(() => selectContainer(handWritten(), 'nginx'));
    expect(error.message).toContain('the container "web"');
  });

  test('several containers and no name is ambiguous, and the error lists them', () => {
    const error = thrown(() => selectContainer(twoContainers()));
    expect(error.input).toBe('container');
    expect(error.message).toContain("'container' is required");
    expect(error.message).toContain('"app", "envoy"');
  });

  test('no containers at all says so', () => {
    const error = thrown(() => selectContainer({ family: 'empty', containerDefinitions: [] }));
    expect(error.message).toContain('no containers');
  });
});

describe('renderTaskDefinition', () => {
  test('sets the image on the named container only', () => {
    const rendered = renderTaskDefinition(twoContainers(), { container: 'app', image: 'example/app:2' });
    expect(rendered.containerDefinitions?.map((c) => c.image)).toEqual(['example/app:2', 'envoyproxy/envoy:v1.31']);
  });

  test('the single container is changed without a name', () => {
    const rendered = renderTaskDefinition(handWritten(), { image: 'nginx:1.27' });
    expect(rendered.containerDefinitions?.[0].image).toBe('nginx:1.27');
  });

  test('environment: named variables are replaced in place, new ones appended, others kept', () => {
    const rendered = renderTaskDefinition(handWritten(), {
      environment: [
        { name: 'NEW_FLAG', value: 'on' },
        { name: 'LOG_LEVEL', value: 'debug' },
      ],
    });
    expect(rendered.containerDefinitions?.[0].environment).toEqual([
      { name: 'LOG_LEVEL', value: 'debug' },
      { name: 'DATABASE_HOST', value: 'db.internal' },
      { name: 'NEW_FLAG', value: 'on' },
    ]);
  });

  test('environment only touches the chosen container', () => {
    const rendered = renderTaskDefinition(twoContainers(), { container: 'envoy', environment: [{ name: 'A', value: '2' }] });
    expect(rendered.containerDefinitions?.map((c) => c.environment)).toEqual([[{ name: 'A', value: '1' }], [{ name: 'A', value: '2' }]]);
  });

  test('a container without environment gets one', () => {
    const rendered = renderTaskDefinition(
      { family: 'x', containerDefinitions: [{ name: 'x', image: 'busybox' }] },
      {
        environment: [{ name: 'A', value: '1' }],
      },
    );
    expect(rendered.containerDefinitions?.[0].environment).toEqual([{ name: 'A', value: '1' }]);
  });

  test('does not change the definition it was given', () => {
    const input = twoContainers();
    const before = structuredClone(input);
    const rendered = renderTaskDefinition(input, {
      container: 'app',
      image: 'example/app:9',
      environment: [
        { name: 'A', value: 'x' },
        { name: 'B', value: 'y' },
      ],
    });
    expect(input).toEqual(before);
    expect(rendered).not.toBe(input);
    expect(rendered.containerDefinitions?.[0]).not.toBe(input.containerDefinitions?.[0]);
  });

  test('nothing to change returns an equal copy and needs no container name', () => {
    const input = twoContainers();
    const rendered = renderTaskDefinition(input, {});
    expect(rendered).toEqual(input);
    expect(rendered).not.toBe(input);
    expect(renderTaskDefinition(input, { environment: [] })).toEqual(input);
  });

  test('changes on a definition with several containers and no name are refused', () => {
    expect(() => renderTaskDefinition(twoContainers(), { image: 'example/app:2' })).toThrow(ConfigurationError);
  });

  test('a wrong container name is refused even with nothing else to change', () => {
    const error = thrown(() => renderTaskDefinition(twoContainers(), { container: 'worker' }));
    expect(error.message).toContain('"worker"');
  });
});

describe('mergeEnvironment', () => {
  test.each([
    ['empty + empty', [], [], []],
    ['append to empty', [], [{ name: 'A', value: '1' }], [{ name: 'A', value: '1' }]],
    [
      'replace keeps position',
      [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
        { name: 'C', value: '3' },
      ],
      [{ name: 'B', value: 'two' }],
      [
        { name: 'A', value: '1' },
        { name: 'B', value: 'two' },
        { name: 'C', value: '3' },
      ],
    ],
    ['replace with empty string', [{ name: 'A', value: '1' }], [{ name: 'A', value: '' }], [{ name: 'A', value: '' }]],
    [
      'mixed, appended in the order given',
      [{ name: 'A', value: '1' }],
      [
        { name: 'Z', value: 'z' },
        { name: 'A', value: 'a' },
        { name: 'M', value: 'm' },
      ],
      [
        { name: 'A', value: 'a' },
        { name: 'Z', value: 'z' },
        { name: 'M', value: 'm' },
      ],
    ],
  ])('%s', (_, current, updates, expected) => {
    expect(mergeEnvironment(current, updates)).toEqual(expected);
  });

  test('does not change the current list or its entries', () => {
    const current = [{ name: 'A', value: '1' }];
    mergeEnvironment(current, [
      { name: 'A', value: '2' },
      { name: 'B', value: '3' },
    ]);
    expect(current).toEqual([{ name: 'A', value: '1' }]);
  });
});

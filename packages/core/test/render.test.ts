import { describe, expect, test } from '@jest/globals';
import { ConfigurationError } from '../src/common/errors';
import {
  mergeEnvironment,
  mergeSecrets,
  renderTaskDefinition,
  selectContainer,
  stepSettings,
  type RevisionChanges,
} from '../src/task-definition/render';
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

const DB_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf';
const TOKEN_PARAMETER = 'arn:aws:ssm:us-east-1:123456789012:parameter/prod/token';

/** An app with a secret and a plain-text password, and its Envoy sidecar. */
function appAndSidecar(): RegistrableDefinition {
  return {
    family: 'shop',
    containerDefinitions: [
      {
        name: 'app',
        image: 'example/app:1',
        environment: [
          { name: 'LOG_LEVEL', value: 'info' },
          { name: 'DB_PASSWORD', value: 'plain-text' },
        ],
        secrets: [
          { name: 'API_KEY', valueFrom: '/prod/api-key' },
          { name: 'TOKEN', valueFrom: 'token-v1' },
        ],
      },
      { name: 'envoy', image: 'envoyproxy/envoy:v1.31' },
    ],
  };
}

describe('renderTaskDefinition with several containers', () => {
  test('images changes two containers at once, and the others are left as they were', () => {
    const rendered = renderTaskDefinition(appAndSidecar(), {
      images: [
        { container: 'app', image: 'example/app:2', line: 1 },
        { container: 'envoy', image: 'envoyproxy/envoy:v1.32', line: 2 },
      ],
    });
    expect(rendered.containerDefinitions?.map((c) => c.image)).toEqual(['example/app:2', 'envoyproxy/envoy:v1.32']);
    expect(rendered.containerDefinitions?.[0].environment).toEqual(appAndSidecar().containerDefinitions?.[0].environment);
  });

  test('image goes to the container input, images to the others, prefixed lines to their container', () => {
    const rendered = renderTaskDefinition(appAndSidecar(), {
      container: 'app',
      image: 'example/app:3',
      images: [{ container: 'envoy', image: 'envoyproxy/envoy:v1.32', line: 1 }],
      environment: [
        { name: 'LOG_LEVEL', value: 'debug', line: 1 },
        { container: 'envoy', name: 'UPSTREAM', value: 'http://localhost:8080', line: 2 },
      ],
    });
    const [app, envoy] = rendered.containerDefinitions ?? [];
    expect([app.image, envoy.image]).toEqual(['example/app:3', 'envoyproxy/envoy:v1.32']);
    expect(app.environment?.[0]).toEqual({ name: 'LOG_LEVEL', value: 'debug' });
    expect(envoy.environment).toEqual([{ name: 'UPSTREAM', value: 'http://localhost:8080' }]);
  });

  test('only prefixed lines and images need no default container', () => {
    const rendered = renderTaskDefinition(appAndSidecar(), {
      environment: [{ container: 'envoy', name: 'A', value: '1', line: 1 }],
      secrets: [{ container: 'envoy', name: 'B', value: TOKEN_PARAMETER, line: 1 }],
    });
    expect(rendered.containerDefinitions?.[1]).toMatchObject({
      environment: [{ name: 'A', value: '1' }],
      secrets: [{ name: 'B', valueFrom: TOKEN_PARAMETER }],
    });
  });

  test('an unprefixed line with several containers and no container input asks for it', () => {
    const error = thrown(() => renderTaskDefinition(appAndSidecar(), { secrets: [{ name: 'B', value: TOKEN_PARAMETER, line: 1 }] }));
    expect(error.input).toBe('container');
  });

  test.each<[string, RevisionChanges, RegExp]>([
    ['images', { images: [{ container: 'nginx', image: 'nginx:1', line: 2 }] }, /^Input 'images' line 2 names the container "nginx"/],
    [
      'environment',
      { environment: [{ container: 'nginx', name: 'A', value: 'secret-value', line: 3 }] },
      /^Input 'environment' line 3 \(nginx:A\) names the container "nginx"/,
    ],
    [
      'secrets',
      { secrets: [{ container: 'nginx', name: 'B', value: TOKEN_PARAMETER, line: 1 }] },
      /^Input 'secrets' line 1 \(nginx:B\) names the container "nginx"/,
    ],
  ])('a container of %s the revision does not have is refused, listing those it has', (input, changes, message) => {
    const error = thrown(() => renderTaskDefinition(appAndSidecar(), changes));
    expect(error.input).toBe(input);
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/but task definition family shop has the containers "app", "envoy"\.$/);
    // An environment line's value may be a credential: only its name is quoted.
    expect(error.message).not.toContain('secret-value');
  });

  test('the only container named in images while image is given is refused', () => {
    const error = thrown(() =>
      renderTaskDefinition(handWritten(), { image: 'nginx:1.27', images: [{ container: 'web', image: 'nginx:1.28', line: 1 }] }),
    );
    expect(error.input).toBe('images');
    expect(error.message).toMatch(/^Input 'images' sets the image of container "web" on line 1, which input 'image' sets too/);
  });

  test('an unprefixed line and one prefixed with the default container set the same name twice', () => {
    const error = thrown(() =>
      renderTaskDefinition(appAndSidecar(), {
        container: 'app',
        environment: [
          { name: 'A', value: '1', line: 1 },
          { container: 'app', name: 'A', value: '2', line: 2 },
        ],
      }),
    );
    expect(error.input).toBe('environment');
    expect(error.message).toMatch(/sets A on container "app" twice \(line 2 \(app:A\) and an earlier line/);
  });

  test('a name in both environment and secrets is refused: which one was meant is not known', () => {
    const error = thrown(() =>
      renderTaskDefinition(appAndSidecar(), {
        container: 'app',
        environment: [{ name: 'NEW', value: 'x', line: 1 }],
        secrets: [{ name: 'NEW', value: TOKEN_PARAMETER, line: 1 }],
      }),
    );
    expect(error.input).toBe('secrets');
    expect(error.message).toMatch(/^Inputs 'environment' and 'secrets' both set NEW on container "app"/);
  });
});

describe('renderTaskDefinition with secrets', () => {
  test('a secret replaces the variable of its name: the variable goes, the secret is added', () => {
    const rendered = renderTaskDefinition(appAndSidecar(), {
      container: 'app',
      secrets: [{ name: 'DB_PASSWORD', value: DB_ARN, line: 1 }],
    });
    const app = rendered.containerDefinitions?.[0];
    expect(app?.environment).toEqual([{ name: 'LOG_LEVEL', value: 'info' }]);
    expect(app?.secrets).toEqual([
      { name: 'API_KEY', valueFrom: '/prod/api-key' },
      { name: 'TOKEN', valueFrom: 'token-v1' },
      { name: 'DB_PASSWORD', valueFrom: DB_ARN },
    ]);
  });

  test('existing secrets are kept, and one named is replaced in place', () => {
    const rendered = renderTaskDefinition(appAndSidecar(), {
      container: 'app',
      secrets: [{ name: 'API_KEY', value: `${DB_ARN}:key::`, line: 1 }],
    });
    expect(rendered.containerDefinitions?.[0].secrets).toEqual([
      { name: 'API_KEY', valueFrom: `${DB_ARN}:key::` },
      { name: 'TOKEN', valueFrom: 'token-v1' },
    ]);
  });

  test('a variable named like an existing secret is refused: it would put the value in plain text beside it', () => {
    const error = thrown(() =>
      renderTaskDefinition(appAndSidecar(), { container: 'app', environment: [{ name: 'TOKEN', value: 'abc', line: 4 }] }),
    );
    expect(error.input).toBe('environment');
    expect(error.message).toMatch(
      /^Input 'environment' sets TOKEN on container "app", which the revision takes from a secret \(token-v1\)/,
    );
    expect(error.message).not.toContain('abc');
  });
});

describe('stepSettings', () => {
  test('lists what the step sets itself, container by container, and the variables its secrets replace', () => {
    expect(
      stepSettings(appAndSidecar(), {
        container: 'app',
        image: 'example/app:2',
        images: [{ container: 'envoy', image: 'e:2', line: 1 }],
        environment: [{ container: 'envoy', name: 'A', value: '1', line: 1 }],
        secrets: [{ name: 'DB_PASSWORD', value: DB_ARN, line: 1 }],
      }),
    ).toEqual([
      { container: 'app', field: 'image' },
      { container: 'app', field: 'secrets', name: 'DB_PASSWORD' },
      { container: 'app', field: 'environment', name: 'DB_PASSWORD' },
      { container: 'envoy', field: 'image' },
      { container: 'envoy', field: 'environment', name: 'A' },
    ]);
  });
});

describe('mergeSecrets', () => {
  test('replaces in place, appends in the order given, and leaves the current list alone', () => {
    const current = [
      { name: 'A', valueFrom: 'a' },
      { name: 'B', valueFrom: 'b' },
    ];
    expect(
      mergeSecrets(current, [
        { name: 'C', value: 'c' },
        { name: 'A', value: 'a2' },
      ]),
    ).toEqual([
      { name: 'A', valueFrom: 'a2' },
      { name: 'B', valueFrom: 'b' },
      { name: 'C', valueFrom: 'c' },
    ]);
    expect(current[0]).toEqual({ name: 'A', valueFrom: 'a' });
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

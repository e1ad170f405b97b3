import { describe, expect, test } from '@jest/globals';
import { describeChanges } from '../src/task-definition/diff';
import { renderTaskDefinition } from '../src/task-definition/render';
import type { RegistrableDefinition } from '../src/task-definition/strip';
import { described, handWritten, TAGS } from './support/task-definitions';

const SECRET_VALUE = 's3cr3t-value';
const OTHER_SECRET_VALUE = 'an0ther-s3cr3t';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-password-Qw3rTy';
const OTHER_SECRET_ARN = 'arn:aws:ssm:us-east-1:123456789012:parameter/prod/api-key-Zx9';

function definition(overrides: Partial<RegistrableDefinition> = {}, container: Record<string, unknown> = {}): RegistrableDefinition {
  return {
    family: 'web',
    networkMode: 'awsvpc',
    cpu: '256',
    memory: '512',
    containerDefinitions: [
      {
        name: 'web',
        image: 'example/web:1',
        environment: [
          { name: 'KEEP', value: 'same' },
          { name: 'API_TOKEN', value: SECRET_VALUE },
          { name: 'GONE', value: SECRET_VALUE },
        ],
        secrets: [
          { name: 'DB_PASSWORD', valueFrom: SECRET_ARN },
          { name: 'OLD_KEY', valueFrom: SECRET_ARN },
        ],
        ...container,
      },
    ],
    ...overrides,
  };
}

describe('describeChanges', () => {
  test('no live revision', () => {
    expect(describeChanges(undefined, definition())).toEqual(['new task definition family (no live revision to compare with)']);
  });

  test('nothing changed -> no lines, even against the described form with echoed defaults', () => {
    expect(describeChanges(definition(), definition())).toEqual([]);
    expect(describeChanges(described() as RegistrableDefinition, { ...handWritten(), tags: TAGS })).toEqual([]);
  });

  test('an image change is one line with both images', () => {
    expect(describeChanges(definition(), definition({}, { image: 'example/web:2' }))).toEqual([
      'container web: image example/web:1 → example/web:2',
    ]);
  });

  test('task cpu and memory', () => {
    expect(describeChanges(definition(), definition({ cpu: '512', memory: '1024' }))).toEqual([
      'task cpu: 256 → 512',
      'task memory: 512 → 1024',
    ]);
  });

  test('task memory removed shows (unset)', () => {
    expect(describeChanges(definition(), definition({ memory: undefined }))).toEqual(['task memory: 512 → (unset)']);
  });

  test('container cpu, memory and memoryReservation', () => {
    const lines = describeChanges(definition({}, { memory: 256 }), definition({}, { cpu: 128, memory: 512, memoryReservation: 128 }));
    expect(lines).toEqual([
      'container web: cpu (unset) → 128',
      'container web: memory 256 → 512',
      'container web: memoryReservation (unset) → 128',
    ]);
  });

  test('environment: +NEW ~CHANGED -GONE by name', () => {
    const next = definition(
      {},
      {
        environment: [
          { name: 'KEEP', value: 'same' },
          { name: 'API_TOKEN', value: OTHER_SECRET_VALUE },
          { name: 'NEW', value: SECRET_VALUE },
        ],
      },
    );
    expect(describeChanges(definition(), next)).toEqual(['container web: environment ~API_TOKEN +NEW -GONE']);
  });

  test('environment order alone is not a change', () => {
    const next = definition(
      {},
      {
        environment: [
          { name: 'GONE', value: SECRET_VALUE },
          { name: 'API_TOKEN', value: SECRET_VALUE },
          { name: 'KEEP', value: 'same' },
        ],
      },
    );
    expect(describeChanges(definition(), next)).toEqual([]);
  });

  test('secrets by name: +NEW ~CHANGED -GONE', () => {
    const next = definition(
      {},
      {
        secrets: [
          { name: 'DB_PASSWORD', valueFrom: OTHER_SECRET_ARN },
          { name: 'NEW_KEY', valueFrom: OTHER_SECRET_ARN },
        ],
      },
    );
    expect(describeChanges(definition(), next)).toEqual(['container web: secrets ~DB_PASSWORD +NEW_KEY -OLD_KEY']);
  });

  test("a variable a secret replaced is one line naming the secret's reference, never the variable's value", () => {
    const live = definition();
    const rendered = renderTaskDefinition(live, { secrets: [{ name: 'API_TOKEN', value: OTHER_SECRET_ARN, line: 1 }] });
    const lines = describeChanges(live, rendered);
    expect(lines).toEqual([
      `container web: API_TOKEN is now a secret from ${OTHER_SECRET_ARN}; the plain-text environment variable of that name is removed`,
    ]);
    expect(lines.join('\n')).not.toContain(SECRET_VALUE);
  });

  test('a container added and one removed', () => {
    const live = definition();
    const next: RegistrableDefinition = {
      ...definition(),
      containerDefinitions: [
        ...(definition().containerDefinitions ?? []),
        { name: 'envoy', image: 'envoyproxy/envoy:v1.31', environment: [{ name: 'X', value: SECRET_VALUE }] },
      ],
    };
    expect(describeChanges(live, next)).toEqual(['container envoy: added (image envoyproxy/envoy:v1.31)']);
    expect(describeChanges(next, live)).toEqual(['container envoy: removed']);
  });

  test('other container fields are named, not shown', () => {
    const next = definition({}, { command: ['serve', '--token', SECRET_VALUE], readonlyRootFilesystem: true });
    expect(describeChanges(definition(), next)).toEqual(['container web: also changed command, readonlyRootFilesystem']);
  });

  test('other task fields are named, not shown', () => {
    const next = definition({ taskRoleArn: 'arn:aws:iam::123456789012:role/web', ephemeralStorage: { sizeInGiB: 50 } });
    expect(describeChanges(definition(), next)).toEqual(['other task definition fields changed: ephemeralStorage, taskRoleArn']);
  });

  test('several changes at once come in a stable order', () => {
    const next = definition(
      { memory: '1024' },
      {
        image: 'example/web:2',
        environment: [{ name: 'KEEP', value: 'changed' }],
        secrets: [],
        essential: false,
      },
    );
    expect(describeChanges(definition(), next)).toEqual([
      'task memory: 512 → 1024',
      'container web: image example/web:1 → example/web:2',
      'container web: environment ~KEEP -API_TOKEN -GONE',
      'container web: secrets -DB_PASSWORD -OLD_KEY',
      'container web: also changed essential',
    ]);
  });

  test('no environment value or secret valueFrom ever appears in the output', () => {
    const live = definition();
    const variants: RegistrableDefinition[] = [
      definition({}, { environment: [{ name: 'API_TOKEN', value: OTHER_SECRET_VALUE }] }),
      definition({}, { environment: [{ name: 'BRAND_NEW', value: OTHER_SECRET_VALUE }] }),
      definition({}, { environment: [] }),
      definition({}, { secrets: [{ name: 'DB_PASSWORD', valueFrom: OTHER_SECRET_ARN }] }),
      definition({}, { secrets: [] }),
      definition({}, { environment: undefined, secrets: undefined, image: 'example/web:2' }),
      {
        ...live,
        containerDefinitions: [
          {
            name: 'worker',
            image: 'w',
            environment: [{ name: 'T', value: OTHER_SECRET_VALUE }],
            secrets: [{ name: 'S', valueFrom: OTHER_SECRET_ARN }],
          },
        ],
      },
    ];
    for (const next of variants) {
      for (const [before, after] of [
        [live, next],
        [next, live],
      ]) {
        const output = describeChanges(before, after).join('\n');
        expect(output).not.toBe('');
        for (const value of [SECRET_VALUE, OTHER_SECRET_VALUE, SECRET_ARN, OTHER_SECRET_ARN, 'prod/db-password', 'api-key']) {
          expect(output).not.toContain(value);
        }
      }
    }
  });
});

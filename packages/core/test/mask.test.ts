import { describe, expect, test } from '@jest/globals';
import { secretValues } from '../src/common/secret-values';
import { containerSecretValues } from '../src/task-definition/secret-values';
import { maskSecret, maskSecretValues, redactSecrets } from '../src/platform/masking';

describe('secretValues', () => {
  test('values named as credentials, and URL passwords, decoded too', () => {
    expect(
      secretValues([
        { name: 'DB_PASSWORD', value: 's3cret' },
        { name: 'api_key', value: 'k-123' },
        { name: 'DATABASE_URL', value: 'postgres://app:p%40ss@db:5432/shop' },
        { name: 'LOG_LEVEL', value: 'debug' },
        { name: 'RETRIES', value: '1' },
        { name: 'EMPTY_TOKEN', value: '' },
      ]),
    ).toEqual(['s3cret', 'k-123', 'p%40ss', 'p@ss']);
  });

  test('a URL without a password masks nothing', () => {
    expect(secretValues([{ name: 'URL', value: 'https://user@example.com/x' }])).toEqual([]);
  });

  test('maskSecretValues hands each to setSecret', () => {
    const masked: string[] = [];
    maskSecretValues([{ name: 'TOKEN', value: 'abc' }], (value) => masked.push(value));
    expect(masked).toEqual(['abc']);
  });

  test('redactSecrets replaces every value masked so far, the longer first, in text the runner does not mask', () => {
    maskSecret('pass');
    maskSecret('pass-word-long');
    expect(redactSecrets('url postgres://u:pass-word-long@db and pass again')).toBe('url postgres://u:***@db and *** again');
  });
});

describe('containerSecretValues', () => {
  test("every container's credential-named values and URL passwords, as secretValues picks them among inputs", () => {
    expect(
      containerSecretValues([
        {
          name: 'app',
          environment: [
            { name: 'DATABASE_URL', value: 'postgres://app:pw-123@db/shop' },
            { name: 'LOG_LEVEL', value: 'info' },
          ],
        },
        { name: 'sidecar', environment: [{ name: 'API_TOKEN', value: 'tok-456' }, { name: 'EMPTY' }] },
        { name: 'bare' },
      ]),
    ).toEqual(['pw-123', 'tok-456']);
  });

  test('no containers, nothing to mask', () => {
    expect(containerSecretValues(undefined)).toEqual([]);
  });
});

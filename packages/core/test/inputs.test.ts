import { afterEach, describe, expect, test } from '@jest/globals';
import { ConfigurationError } from '../src/common/errors';
import { Inputs, inputsFrom } from '../src/common/inputs';
import { runnerInputs, stepInputs } from '../src/platform/runner-inputs';

const inputs = (values: Record<string, string>) => new Inputs(inputsFrom(values));

/** Runs `read` expecting a ConfigurationError and returns it, so the message and `.input` can be checked. */
function configurationError(read: () => unknown): ConfigurationError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError, but nothing was thrown');
}

describe('optional and required', () => {
  test.each([
    ['missing', {}, undefined],
    ['empty', { image: '' }, undefined],
    ['only whitespace', { image: '  \n\t ' }, undefined],
    ['surrounded by spaces', { image: '  nginx:1.27  ' }, 'nginx:1.27'],
  ])('optional: %s', (_, values, expected) => {
    expect(inputs(values).optional('image')).toBe(expected);
  });

  test('required returns the trimmed value', () => {
    expect(inputs({ cluster: ' prod ' }).required('cluster')).toBe('prod');
  });

  test.each<Record<string, string>>([{}, { cluster: '' }, { cluster: '   ' }])('required throws when not given (%j)', (values) => {
    const error = configurationError(() => inputs(values).required('cluster'));
    expect(error.input).toBe('cluster');
    expect(error.message).toContain("'cluster'");
    expect(error.message).toMatch(/required/);
  });

  test('a custom source is read through, not the environment', () => {
    const asked: string[] = [];
    const reader = new Inputs((name) => {
      asked.push(name);
      return name === 'service' ? 'web' : '';
    });
    expect(reader.required('service')).toBe('web');
    expect(reader.optional('cluster')).toBeUndefined();
    expect(asked).toEqual(['service', 'cluster']);
  });
});

describe('boolean', () => {
  test.each([
    ['true', false, true],
    ['TRUE', false, true],
    ['True', false, true],
    ['false', true, false],
    ['FALSE', true, false],
    [' false ', true, false],
    ['', true, true],
    ['', false, false],
  ])('%j with fallback %s -> %s', (text, fallback, expected) => {
    expect(inputs({ wait: text }).boolean('wait', fallback)).toBe(expected);
  });

  test.each(['yes', 'no', '1', '0', 'on', 'truee'])('rejects %j, saying true or false would do', (text) => {
    const error = configurationError(() => inputs({ wait: text }).boolean('wait', true));
    expect(error.input).toBe('wait');
    expect(error.message).toContain("'wait'");
    expect(error.message).toContain('true or false');
    expect(error.message).toContain(`"${text}"`);
  });
});

describe('integer', () => {
  test.each<[string, { min?: number; max?: number }, number | undefined]>([
    ['', {}, undefined],
    ['0', {}, 0],
    ['42', {}, 42],
    [' 7 ', {}, 7],
    ['-3', {}, -3],
    ['1', { min: 1, max: 10 }, 1],
    ['10', { min: 1, max: 10 }, 10],
    ['100000', { min: 1 }, 100000],
    ['-100', { max: 0 }, -100],
  ])('%j within %j -> %s', (text, bounds, expected) => {
    expect(inputs({ count: text }).integer('count', bounds)).toBe(expected);
  });

  test.each<[string, { min?: number; max?: number }, string]>([
    ['abc', {}, 'a whole number'],
    ['1.5', {}, 'a whole number'],
    ['1e3', {}, 'a whole number'],
    ['+5', {}, 'a whole number'],
    ['5 tasks', {}, 'a whole number'],
    ['0', { min: 1, max: 10 }, 'from 1 to 10'],
    ['11', { min: 1, max: 10 }, 'from 1 to 10'],
    ['0', { min: 1 }, 'of at least 1'],
    ['6', { max: 5 }, 'of at most 5'],
    ['1.5', { min: 1, max: 10 }, 'from 1 to 10'],
    ['99999999999999999999', {}, 'a whole number'],
  ])('rejects %j within %j, saying it must be %s', (text, bounds, valid) => {
    const error = configurationError(() => inputs({ count: text }).integer('count', bounds));
    expect(error.input).toBe('count');
    expect(error.message).toContain("'count'");
    expect(error.message).toContain(valid);
    expect(error.message).toContain(`"${text}"`);
  });
});

describe('duration', () => {
  test.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['90', 90_000],
  ])('%j -> %d ms', (text, ms) => {
    expect(inputs({ timeout: text }).duration('timeout', '30m')).toBe(ms);
  });

  test('falls back when not given', () => {
    expect(inputs({}).duration('timeout', '30m')).toBe(1_800_000);
    expect(inputs({ timeout: '  ' }).duration('timeout', '2m')).toBe(120_000);
  });

  test.each(['abc', '10 minutes', '-5s', '15 m'])('rejects %j, naming valid forms', (text) => {
    const error = configurationError(() => inputs({ timeout: text }).duration('timeout', '30m'));
    expect(error.input).toBe('timeout');
    expect(error.message).toContain("'timeout'");
    expect(error.message).toContain('90s');
    expect(error.message).toContain(`"${text}"`);
  });
});

describe('list', () => {
  test.each([
    ['', []],
    ['one', ['one']],
    ['one\ntwo', ['one', 'two']],
    ['one\r\ntwo\r\n', ['one', 'two']],
    ['\n  one  \n\n\t\n two\n', ['one', 'two']],
    ['a b c', ['a b c']],
  ])('%j -> %j', (text, expected) => {
    expect(inputs({ subnets: text }).list('subnets')).toEqual(expected);
  });
});

describe('keyValues', () => {
  test('reads KEY=VALUE lines in order', () => {
    expect(inputs({ env: 'LOG_LEVEL=debug\nFEATURE_X=on' }).keyValues('env')).toEqual([
      { name: 'LOG_LEVEL', value: 'debug' },
      { name: 'FEATURE_X', value: 'on' },
    ]);
  });

  test('keeps every = after the first in the value', () => {
    expect(inputs({ env: 'DATABASE_URL=postgres://db/app?sslmode=require&a=b\nPADDING==x=' }).keyValues('env')).toEqual([
      { name: 'DATABASE_URL', value: 'postgres://db/app?sslmode=require&a=b' },
      { name: 'PADDING', value: '=x=' },
    ]);
  });

  test('an empty value is kept as an empty string', () => {
    expect(inputs({ env: 'EMPTY=' }).keyValues('env')).toEqual([{ name: 'EMPTY', value: '' }]);
  });

  test('CRLF line endings leave no carriage return in names or values', () => {
    const pairs = inputs({ env: 'A=1\r\nB=2\r\n\r\nC=3' }).keyValues('env');
    expect(pairs).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
      { name: 'C', value: '3' },
    ]);
    expect(JSON.stringify(pairs)).not.toContain('\\r');
  });

  test('names may contain digits, dots and hyphens after the first character', () => {
    expect(
      inputs({ env: '_A1=x\nspring.profiles-active=prod' })
        .keyValues('env')
        .map((p) => p.name),
    ).toEqual(['_A1', 'spring.profiles-active']);
  });

  test('not given -> no pairs', () => {
    expect(inputs({}).keyValues('env')).toEqual([]);
  });

  test.each([
    ['no separator', 'JUST_A_NAME'],
    ['no name', '=value'],
    ['name starting with a digit', '1ABC=x'],
    ['name with a space', 'MY VAR=x'],
    ['name with a slash', 'A/B=x'],
  ])('rejects a line with %s', (_, line) => {
    const error = configurationError(() => inputs({ env: `GOOD=1\n${line}` }).keyValues('env'));
    expect(error.input).toBe('env');
    expect(error.message).toContain("'env'");
    expect(error.message).toContain('KEY=VALUE');
    expect(error.message).toContain(line.slice(0, 20));
  });

  test('the error quotes at most the first 20 characters of a bad line (it may hold a secret)', () => {
    const error = configurationError(() => inputs({ env: 'no separator here but a-very-long-secret-token' }).keyValues('env'));
    expect(error.message).toContain('"no separator here bu"');
    expect(error.message).not.toContain('secret-token');
  });

  test('rejects a key given twice, naming it', () => {
    const error = configurationError(() => inputs({ env: 'A=1\nB=2\nA=3' }).keyValues('env'));
    expect(error.input).toBe('env');
    expect(error.message).toContain("'env'");
    expect(error.message).toMatch(/\bA\b.*more than once/);
  });
});

describe('json', () => {
  test.each([
    ['', undefined],
    ['{"a":1}', { a: 1 }],
    ['[1, 2]', [1, 2]],
    ['  {"subnets": ["subnet-1"]}  ', { subnets: ['subnet-1'] }],
    ['null', null],
  ])('%j -> %j', (text, expected) => {
    expect(inputs({ overrides: text }).json('overrides')).toEqual(expected);
  });

  test.each(['{a:1}', '{"a":1', "{'a':1}", 'not json'])('rejects %j', (text) => {
    const error = configurationError(() => inputs({ overrides: text }).json('overrides'));
    expect(error.input).toBe('overrides');
    expect(error.message).toContain("'overrides'");
    expect(error.message).toContain('valid JSON');
  });
});

describe('oneOf', () => {
  const modes = ['rolling', 'blue-green', 'canary'] as const;

  test.each([
    ['rolling', 'rolling'],
    ['ROLLING', 'rolling'],
    ['Blue-Green', 'blue-green'],
    [' canary ', 'canary'],
  ])('%j -> %j (the spelling from the allowed list)', (text, expected) => {
    expect(inputs({ strategy: text }).oneOf('strategy', modes, 'rolling')).toBe(expected);
  });

  test('falls back when not given, or undefined without a fallback', () => {
    expect(inputs({}).oneOf('strategy', modes, 'canary')).toBe('canary');
    expect(inputs({}).oneOf('strategy', modes)).toBeUndefined();
  });

  test('rejects anything else, listing what is allowed', () => {
    const error = configurationError(() => inputs({ strategy: 'linear' }).oneOf('strategy', modes, 'rolling'));
    expect(error.input).toBe('strategy');
    expect(error.message).toContain("'strategy'");
    expect(error.message).toContain('rolling, blue-green, canary');
    expect(error.message).toContain('"linear"');
  });
});

describe('runnerInputs', () => {
  const added: string[] = [];
  const set = (name: string, value: string) => {
    added.push(name);
    process.env[name] = value;
  };
  afterEach(() => {
    for (const name of added.splice(0)) delete process.env[name];
  });

  test('reads INPUT_<NAME> with hyphens kept, as the runner sets them', () => {
    set('INPUT_TASK-DEFINITION', '  deploy/task-definition.json  ');
    set('INPUT_TASK_DEFINITION', 'wrong.json');
    expect(runnerInputs('task-definition')).toBe('deploy/task-definition.json');
    expect(stepInputs().required('task-definition')).toBe('deploy/task-definition.json');
  });

  test('upper-cases the name', () => {
    set('INPUT_WAIT-FOR-STEADY-STATE', 'false');
    expect(stepInputs().boolean('wait-for-steady-state', true)).toBe(false);
  });

  test('an unset variable reads as not given', () => {
    expect(runnerInputs('no-such-input-xyz')).toBe('');
    expect(stepInputs().optional('no-such-input-xyz')).toBeUndefined();
  });
});

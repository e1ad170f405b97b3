import { describe, expect, test } from '@jest/globals';
import { ConfigurationError } from '../src/common/errors';
import { Inputs, inputsFrom } from '../src/common/inputs';
import { readRevisionChanges, secretReferenceProblem } from '../src/task-definition';

// The inputs that change a revision's containers, read without the revision: container=image lines, prefixed
// environment and secrets lines, and secret references ECS would not resolve.

const warnings: string[] = [];
const inputs = (values: Record<string, string>) => new Inputs(inputsFrom(values), (message) => warnings.push(message));

function refusal(read: () => unknown): ConfigurationError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError, but nothing was thrown');
}

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf';

describe('containerKeyValues', () => {
  test('a prefix is taken from the part before the first = only: values keep their colons and = signs', () => {
    const read = inputs({
      environment: 'URL=postgres://shop:pw@db:5432/shop?a=b\nsidecar:UPSTREAM=http://localhost:8080\nX=arn:aws:ssm:us-east-1:1:parameter/x',
    }).containerKeyValues('environment');
    expect(read).toEqual([
      { name: 'URL', value: 'postgres://shop:pw@db:5432/shop?a=b', line: 1 },
      { container: 'sidecar', name: 'UPSTREAM', value: 'http://localhost:8080', line: 2 },
      { name: 'X', value: 'arn:aws:ssm:us-east-1:1:parameter/x', line: 3 },
    ]);
  });

  test('blank lines are skipped but counted, so a line number is the one in the workflow file', () => {
    const read = inputs({ environment: 'A=1\n\n  \r\nenvoy:B=2\r\n' }).containerKeyValues('environment');
    expect(read.map(({ name, line }) => [name, line])).toEqual([
      ['A', 1],
      ['B', 4],
    ]);
  });

  test('spaces around the prefix and the name are dropped', () => {
    expect(inputs({ environment: ' envoy : LEVEL =debug' }).containerKeyValues('environment')).toEqual([
      { container: 'envoy', name: 'LEVEL', value: 'debug', line: 1 },
    ]);
  });

  test('the same name twice for one prefix is refused, naming it; once per container is fine', () => {
    const error = refusal(() => inputs({ environment: 'envoy:A=1\nA=2\nenvoy:A=3' }).containerKeyValues('environment'));
    expect(error.input).toBe('environment');
    expect(error.message).toBe("Input 'environment' sets envoy:A more than once; give each name one line.");
    expect(inputs({ environment: 'envoy:A=1\nA=2' }).containerKeyValues('environment')).toHaveLength(2);
  });

  test.each([
    ['an empty prefix', ':A=1', /line 1 starts with ":", which is not a container name/],
    ['a prefix with a dot', 'my.app:A=1', /line 1 starts with "my\.app:", which is not a container name/],
    ['a prefix without a name', 'envoy:=1', /must hold KEY=VALUE lines/],
    ['two prefixes', 'a:b:C=1', /must hold KEY=VALUE lines/],
  ])('refuses %s', (_name, line, message) => {
    const error = refusal(() => inputs({ secrets: line }).containerKeyValues('secrets'));
    expect(error.input).toBe('secrets');
    expect(error.message).toMatch(message);
  });

  test('keyValues (build-args, run-migration) still refuses a colon in a name', () => {
    expect(refusal(() => inputs({ env: 'envoy:A=1' }).keyValues('env')).message).toMatch(/must hold KEY=VALUE lines/);
  });
});

describe('containerImages', () => {
  test('container=image lines, the image validated as the image input is', () => {
    expect(inputs({ images: 'app=web:2\n\nenvoy = envoyproxy/envoy:v1.32' }).containerImages('images')).toEqual([
      { container: 'app', image: 'web:2', line: 1 },
      { container: 'envoy', image: 'envoyproxy/envoy:v1.32', line: 3 },
    ]);
  });

  test('a container given twice is refused with both lines', () => {
    const error = refusal(() => inputs({ images: 'app=web:2\nenvoy=e:1\napp=web:3' }).containerImages('images'));
    expect(error.input).toBe('images');
    expect(error.message).toBe(`Input 'images' gives container "app" an image on lines 1 and 3; give each container one line.`);
  });

  test.each([
    ['no =', 'web:2', /must hold container=image lines.*line 1 is "web:2"/],
    ['no container', '=web:2', /must hold container=image lines/],
    ['an image with a space', 'app=web:1 web:2', /^Input 'images' line 1 \(container "app"\) must be one image reference.*holds a space/],
    ['an empty image', 'app=', /^Input 'images' line 1 \(container "app"\) must be one image reference/],
  ])('refuses %s', (_name, text, message) => {
    const error = refusal(() => inputs({ images: text }).containerImages('images'));
    expect(error.input).toBe('images');
    expect(error.message).toMatch(message);
  });

  test('an image without a tag is accepted with the image input’s warning, naming the line', () => {
    warnings.length = 0;
    inputs({ images: 'app=web' }).containerImages('images');
    expect(warnings).toEqual([expect.stringMatching(/^Input 'images' line 1 \(container "app"\) is "web" without a tag or digest/)]);
  });
});

describe('readRevisionChanges', () => {
  test('reads every input that changes a container', () => {
    expect(
      readRevisionChanges(
        inputs({ container: 'app', image: 'web:2', images: 'envoy=e:2', environment: 'envoy:A=1', secrets: `DB=${SECRET_ARN}` }),
      ),
    ).toEqual({
      container: 'app',
      image: 'web:2',
      images: [{ container: 'envoy', image: 'e:2', line: 1 }],
      environment: [{ container: 'envoy', name: 'A', value: '1', line: 1 }],
      secrets: [{ name: 'DB', value: SECRET_ARN, line: 1 }],
    });
  });

  test('the container input named in images while image is given is refused before the revision is read', () => {
    const error = refusal(() => readRevisionChanges(inputs({ container: 'app', image: 'web:2', images: 'envoy=e:2\napp=web:3' })));
    expect(error.input).toBe('images');
    expect(error.message).toMatch(/^Input 'images' sets the image of container "app" on line 2, which input 'image' sets too/);
  });

  test('the container input named in images without image is only the default for unprefixed lines', () => {
    expect(readRevisionChanges(inputs({ container: 'app', images: 'app=web:3' })).images).toHaveLength(1);
  });

  test('a malformed secret reference is refused naming the line and the name, not another value', () => {
    const error = refusal(() => readRevisionChanges(inputs({ secrets: `DB=${SECRET_ARN}\nenvoy:TOKEN=arn:aws:s3:::bucket/key` })));
    expect(error.input).toBe('secrets');
    expect(error.message).toBe(
      `Input 'secrets' line 2 (envoy:TOKEN) must reference an SSM parameter by name or ARN, or a Secrets Manager secret by ARN; got "arn:aws:s3:::bucket/key": ` +
        'it is an ARN of s3, neither an SSM parameter (arn:aws:ssm:<region>:<account>:parameter/<name>) nor a Secrets Manager secret ' +
        '(arn:aws:secretsmanager:<region>:<account>:secret:<name>[:<json-key>:<version-stage>:<version-id>]).',
    );
  });

  test('an empty reference is refused', () => {
    expect(refusal(() => readRevisionChanges(inputs({ secrets: 'DB=' }))).message).toMatch(/line 1 \(DB\).*got "": it is empty\.$/);
  });
});

describe('secretReferenceProblem', () => {
  test.each([
    ['an SSM parameter name', 'db-password'],
    ['a hierarchical SSM parameter name', '/prod/db/password'],
    ['an SSM parameter ARN', 'arn:aws:ssm:eu-west-1:123456789012:parameter/prod/db'],
    ['an SSM parameter ARN in another partition', 'arn:aws-us-gov:ssm:us-gov-west-1:123456789012:parameter/db'],
    ['a Secrets Manager ARN', SECRET_ARN],
    ['a Secrets Manager ARN with a JSON key', `${SECRET_ARN}:password::`],
    ['a Secrets Manager ARN with a key and a version stage', `${SECRET_ARN}:password:AWSPREVIOUS:`],
    ['a Secrets Manager ARN with only a version id', `${SECRET_ARN}:::0a1b2c3d-1111-2222-3333-444455556666`],
    ['a secret name holding + = . @', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:a+b=c.d@e-AbCdEf'],
  ])('takes %s', (_name, reference) => {
    expect(secretReferenceProblem(reference)).toBeUndefined();
  });

  test.each([
    ['an ARN of another service', 'arn:aws:s3:::bucket', /an ARN of s3/],
    ['an SSM ARN of a document', 'arn:aws:ssm:us-east-1:123456789012:document/x', /an SSM ARN but not of a parameter/],
    ['an SSM ARN without a name', 'arn:aws:ssm:us-east-1:123456789012:parameter/', /not of a parameter/],
    ['a Secrets Manager ARN without a secret name', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:', /not of a secret/],
    ['a Secrets Manager ARN of something else', 'arn:aws:secretsmanager:us-east-1:123456789012:rotation:x', /not of a secret/],
    ['four parts after the secret name', `${SECRET_ARN}:a:b:c:d`, /4 parts after the secret's name/],
    ['an account that is not 12 digits', 'arn:aws:ssm:us-east-1:1234:parameter/db', /account "1234" is not 12 digits/],
    ['no Region', 'arn:aws:secretsmanager::123456789012:secret:db', /Region "" is not one/],
    ['an unknown partition', 'arn:amazon:ssm:us-east-1:123456789012:parameter/db', /partition "amazon"/],
    ['a truncated ARN', 'arn:aws:ssm', /not an ARN/],
    ['a parameter name with a space', 'db password', /holds a space/],
    ['a parameter name with a colon', 'db:password', /neither an ARN nor an SSM parameter name/],
  ])('refuses %s', (_name, reference, problem) => {
    expect(secretReferenceProblem(reference)).toMatch(problem);
  });
});

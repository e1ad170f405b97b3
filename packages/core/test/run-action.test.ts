import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { AccessDeniedException, ClientException, ServerException } from '@aws-sdk/client-ecs';
import { ActionFailure, ConfigurationError } from '../src/common/errors';
import { describeFailure, runAction } from '../src/platform/run-action';

/** Errors as the SDK and its credential chain raise them. */
function namedError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

const IAM_HINT = 'Grant the permissions listed in the README';
const CREDENTIALS_HINT = 'AWS credentials are missing or invalid';

let written: string[];
let savedExitCode: typeof process.exitCode;

beforeEach(() => {
  written = [];
  savedExitCode = process.exitCode;
  // @actions/core writes workflow commands (::debug::, ::error::) to stdout; keep them for assertions.
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  jest.restoreAllMocks();
  process.exitCode = savedExitCode;
});

describe('describeFailure', () => {
  test('a ConfigurationError message is passed through unchanged', () => {
    const message = "Input 'cluster' is required but was not given.";
    expect(describeFailure(new ConfigurationError(message, 'cluster'))).toBe(message);
  });

  test('an ActionFailure message is passed through unchanged', () => {
    expect(describeFailure(new ActionFailure('Deployment ecs-svc/1 failed.'))).toBe('Deployment ecs-svc/1 failed.');
  });

  test('a configuration message that mentions AccessDenied is still passed through', () => {
    const message = "Input 'role' names AccessDenied";
    expect(describeFailure(new ConfigurationError(message, 'role'))).toBe(message);
  });

  test.each<[string, Error]>([
    [
      'ECS AccessDeniedException',
      new AccessDeniedException({
        message:
          'User: arn:aws:sts::123456789012:assumed-role/deploy/gha is not authorized to perform: ecs:RegisterTaskDefinition on resource: *',
        $metadata: { httpStatusCode: 400 },
      }),
    ],
    ['S3-style AccessDenied', namedError('AccessDenied', 'Access Denied')],
    ['EC2 UnauthorizedOperation', namedError('UnauthorizedOperation', 'You are not authorized to perform this operation.')],
    ['"not authorized" only in the message', namedError('ClientException', 'User is not authorized to perform: iam:PassRole')],
  ])('%s is mapped to the IAM hint, keeping the original message', (_, error) => {
    const text = describeFailure(error);
    expect(text).toContain(IAM_HINT);
    expect(text).toContain(error.name);
    expect(text).toContain(error.message);
    expect(text).not.toContain(CREDENTIALS_HINT);
  });

  test.each<[string, Error]>([
    ['an expired session token', namedError('ExpiredTokenException', 'The security token included in the request is expired')],
    ['an unknown access key', namedError('InvalidClientTokenId', 'The security token included in the request is invalid.')],
    ['a bad signature key', namedError('UnrecognizedClientException', 'The security token included in the request is invalid.')],
    ['no credentials at all', namedError('CredentialsProviderError', 'Could not load credentials from any providers')],
    ['no credentials, by message only', new Error('Could not load credentials from any providers')],
  ])('%s is mapped to the credentials hint, keeping the original message', (_, error) => {
    const text = describeFailure(error);
    expect(text).toContain(CREDENTIALS_HINT);
    expect(text).toContain('configure-aws-credentials');
    expect(text).toContain(error.message);
    expect(text).not.toContain(IAM_HINT);
  });

  test.each<[string, unknown, string]>([
    [
      'an SDK exception keeps its name',
      new ClientException({ message: 'Unable to describe task definition.', $metadata: {} }),
      'ClientException: Unable to describe task definition.',
    ],
    ['a server error', new ServerException({ message: 'Service unavailable', $metadata: {} }), 'ServerException: Service unavailable'],
    ['a plain Error is just its message', new Error('something broke'), 'something broke'],
    ['a TypeError keeps its name', new TypeError('x is undefined'), 'TypeError: x is undefined'],
    ['a thrown string', 'just a string', 'just a string'],
  ])('%s', (_, error, expected) => {
    expect(describeFailure(error)).toBe(expected);
  });
});

describe('runAction', () => {
  test('fails the step with the described message', async () => {
    await runAction(async () => {
      throw new ConfigurationError("Input 'service' is required but was not given.", 'service');
    });
    expect(process.exitCode).toBe(1);
    expect(written.join('')).toContain("::error::Input 'service' is required but was not given.");
  });

  test('a main that succeeds leaves the step passing', async () => {
    process.exitCode = undefined;
    let ran = false;
    await runAction(async () => {
      ran = true;
    });
    expect(ran).toBe(true);
    expect(process.exitCode).toBeUndefined();
    expect(written.join('')).not.toContain('::error::');
  });
});

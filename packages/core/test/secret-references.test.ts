import { describe, expect, it } from '@jest/globals';
import { secretLocation, secretReferences } from '../src/task-definition';

describe('secretLocation', () => {
  it('reads a Secrets Manager ARN with its JSON key and version stage, and DescribeSecret takes the ARN without them', () => {
    expect(secretLocation('arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf:password:AWSPREVIOUS:')).toEqual({
      store: 'secretsmanager',
      secretId: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf',
      name: 'prod/db-AbCdEf',
      region: 'eu-west-1',
      account: '123456789012',
      partition: 'aws',
      jsonKey: 'password',
      versionStage: 'AWSPREVIOUS',
    });
  });

  it('reads a version id given without a key or stage', () => {
    const location = secretLocation('arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:api-AbCdEf:::0a1b2c');
    expect(location).toMatchObject({
      partition: 'aws-cn',
      versionId: '0a1b2c',
      secretId: 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:api-AbCdEf',
    });
    expect(location).not.toHaveProperty('jsonKey');
    expect(location).not.toHaveProperty('versionStage');
  });

  it('gives a hierarchical SSM parameter ARN its leading slash back', () => {
    expect(secretLocation('arn:aws:ssm:us-east-1:123456789012:parameter/prod/db/password')).toEqual({
      store: 'ssm',
      name: '/prod/db/password',
      region: 'us-east-1',
      account: '123456789012',
      partition: 'aws',
    });
    expect(secretLocation('arn:aws:ssm:us-east-1:123456789012:parameter/token')).toMatchObject({ name: 'token' });
  });

  it('takes anything that is not an ARN as a parameter name of the task own account and region', () => {
    expect(secretLocation('/prod/db/password')).toEqual({ store: 'ssm', name: '/prod/db/password' });
  });
});

describe('secretReferences', () => {
  it('finds secrets, log secret options and repository credentials, naming each container and field', () => {
    const references = secretReferences({
      containerDefinitions: [
        {
          name: 'app',
          secrets: [{ name: 'DB', valueFrom: '/prod/db' }],
          repositoryCredentials: { credentialsParameter: 'arn:aws:secretsmanager:us-east-1:1:secret:hub-AbCdEf' },
        },
        {
          name: 'log_router',
          logConfiguration: {
            logDriver: 'awsfirelens',
            secretOptions: [{ name: 'apikey', valueFrom: 'arn:aws:ssm:us-east-1:1:parameter/dd' }],
          },
        },
      ],
    });
    expect(references.map(({ container, field, name, location }) => [container, field, name, location.store])).toEqual([
      ['app', 'secrets', 'DB', 'ssm'],
      ['app', 'repositoryCredentials', undefined, 'secretsmanager'],
      ['log_router', 'logConfiguration.secretOptions', 'apikey', 'ssm'],
    ]);
  });
});

import { describe, expect, test } from '@jest/globals';
import { SERVICES } from '../src/http/registry';
import { awsJson } from '../src/http/protocols/aws-json';

describe('the service registry', () => {
  test('no two services of one protocol share the key it finds them by', () => {
    const keys = SERVICES.map(
      (s) => `${s.protocol}:${s.protocol === 'awsJson' ? s.targetPrefix : s.protocol === 'restJson' ? s.signingName : s.version}`,
    );
    expect(new Set(keys).size).toBe(SERVICES.length);
  });

  test('each emulated service is registered once', () => {
    expect(SERVICES.map((s) => s.service).sort()).toEqual([
      'application-autoscaling',
      'cloudwatch',
      'codedeploy',
      'ecr',
      'ecr-public',
      'ecs',
      'elbv2',
      'events',
      'iam',
      'logs',
      'scheduler',
      'secretsmanager',
      'ssm',
    ]);
  });

  test('the JSON protocol reads the target prefix of a POST only', () => {
    const req = (method: string, target: string) => ({ method, headers: { 'x-amz-target': target } }) as never;
    expect(awsJson.address(req('POST', 'Logs_20140328.PutLogEvents'), '')).toEqual({
      key: 'Logs_20140328',
      operation: 'PutLogEvents',
      callable: true,
    });
    expect(awsJson.address(req('GET', 'Logs_20140328.PutLogEvents'), '').key).toBeUndefined();
  });
});

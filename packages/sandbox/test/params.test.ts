import { describe, expect, test } from '@jest/globals';
import * as cloudwatch from '../src/cloudwatch/params';
import * as ecr from '../src/ecr/params';
import * as ecs from '../src/ecs/params';
import { clientException } from '../src/ecs/errors';
import * as elb from '../src/elb/params';
import * as logs from '../src/logs/params';
import { invalidParameter } from '../src/logs/errors';

/** Each service answers a missing required parameter in its own shape; the readers carry that shape. */
describe('typed parameter readers', () => {
  test('ELBv2: a missing member is a ValidationError naming it as the API model does', () => {
    expect(() => elb.requireString({}, 'TargetGroupArn')).toThrow(
      expect.objectContaining({
        type: 'ValidationError',
        message: "1 validation error detected: Value null at 'targetGroupArn' failed to satisfy constraint: Member must not be null",
      }),
    );
    expect(elb.requireString({ Name: 'web' }, 'Name')).toBe('web');
    expect(elb.optionalNumber({ Port: '8080' }, 'Port')).toBe(8080);
    expect(elb.list({ Names: '' }, 'Names')).toEqual([]);
  });

  test('CloudWatch: a missing parameter is MissingParameter, with its awsQuery code', () => {
    expect(() => cloudwatch.requireParam({}, 'Period')).toThrow(
      expect.objectContaining({
        type: 'com.amazonaws.cloudwatch#MissingRequiredParameterException',
        queryCode: 'MissingParameter',
        message: 'The parameter Period is required.',
      }),
    );
    expect(() => cloudwatch.requireString({ AlarmName: '' }, 'AlarmName')).toThrow(
      expect.objectContaining({ message: 'The parameter AlarmName is required.' }),
    );
    expect(cloudwatch.requireParam({ Period: 0 }, 'Period')).toBe(0);
  });

  test("ECR: a missing member is InvalidParameterException in ECR's constraint wording", () => {
    expect(() => ecr.requireMember({}, 'imageScanningConfiguration')).toThrow(
      expect.objectContaining({
        type: 'InvalidParameterException',
        message: "Invalid parameter at 'imageScanningConfiguration' failed to satisfy constraint: 'Member must not be null'",
      }),
    );
    expect(() => ecr.requireString({ imageManifest: '' }, 'imageManifest')).toThrow(
      expect.objectContaining({ type: 'InvalidParameterException' }),
    );
  });

  test('ECS and Logs: the caller names the error, since each parameter has its own message', () => {
    expect(() => ecs.requireString({ family: '' }, 'family', () => clientException('Family can not be blank.'))).toThrow(
      expect.objectContaining({ type: 'ClientException', message: 'Family can not be blank.' }),
    );
    expect(ecs.optionalString({ clusterName: 7 }, 'clusterName')).toBeUndefined();
    expect(() => logs.requireString({ logGroupName: 7 }, 'logGroupName', () => invalidParameter('Invalid log group name.'))).toThrow(
      expect.objectContaining({ type: 'InvalidParameterException', message: 'Invalid log group name.' }),
    );
    expect(logs.optionalList({ logStreamNames: 'x' }, 'logStreamNames')).toBeUndefined();
  });
});

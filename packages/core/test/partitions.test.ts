import { describe, expect, test } from '@jest/globals';
import { checkEcsArnInputs } from '../src/common/arn-inputs';
import { judgeRegion } from '../src/common/regions';
import { arnPrefix, partitionOf } from '../src/common/partitions';
import { parseServiceDeploymentArn } from '../src/ecs/service-deployment-arn';
import { locateImage } from '../src/preflight/images/image-location';
import { secretReferenceProblem } from '../src/task-definition/secret-references';

// Every partition the bundled SDK knows, one region or two of each: accepted as a region, its ARNs and its ECR
// registry host read as that partition writes them.
const PARTITIONS: [region: string, partition: string, dnsSuffix: string][] = [
  ['us-east-1', 'aws', 'amazonaws.com'],
  ['eu-central-1', 'aws', 'amazonaws.com'],
  ['cn-north-1', 'aws-cn', 'amazonaws.com.cn'],
  ['cn-northwest-1', 'aws-cn', 'amazonaws.com.cn'],
  ['us-gov-west-1', 'aws-us-gov', 'amazonaws.com'],
  ['us-gov-east-1', 'aws-us-gov', 'amazonaws.com'],
  ['eusc-de-east-1', 'aws-eusc', 'amazonaws.eu'],
  ['us-iso-east-1', 'aws-iso', 'c2s.ic.gov'],
  ['us-iso-west-1', 'aws-iso', 'c2s.ic.gov'],
  ['us-isob-east-1', 'aws-iso-b', 'sc2s.sgov.gov'],
  ['eu-isoe-west-1', 'aws-iso-e', 'cloud.adc-e.uk'],
  ['us-isof-south-1', 'aws-iso-f', 'csp.hci.ic.gov'],
  ['us-isof-east-1', 'aws-iso-f', 'csp.hci.ic.gov'],
];

describe.each(PARTITIONS)('%s (%s)', (region, partition, dnsSuffix) => {
  const prefix = `arn:${partition}`;

  test('is a known region, of that partition', () => {
    expect(judgeRegion(region)).toEqual({ kind: 'known' });
    expect(partitionOf(region)).toEqual({ name: partition, dnsSuffix });
    expect(arnPrefix(region)).toBe(prefix);
  });

  test("ECS ARN inputs of the partition are accepted, another partition's refused naming the right prefix", () => {
    expect(() =>
      checkEcsArnInputs(
        { cluster: `${prefix}:ecs:${region}:123456789012:cluster/prod`, service: `${prefix}:ecs:${region}:123456789012:service/prod/web` },
        region,
      ),
    ).not.toThrow();
    const other = partition === 'aws' ? 'aws-cn' : 'aws';
    expect(() => checkEcsArnInputs({ cluster: `arn:${other}:ecs:${region}:123456789012:cluster/prod` }, region)).toThrow(
      `Input 'cluster' is an ARN of the ${other} partition, but ${region} is in ${partition}, whose ARNs start ${prefix}: give the cluster's name or its ARN, ${prefix}:ecs:<region>:<account>:cluster/<name>; got "arn:${other}:ecs:${region}:123456789012:cluster/prod".`,
    );
  });

  test('a service deployment ARN of the region is read', () => {
    const arn = `${prefix}:ecs:${region}:123456789012:service-deployment/prod/web/abc123`;
    expect(parseServiceDeploymentArn(arn, 'continue-deployment')).toMatchObject({ region, cluster: 'prod', service: 'web', id: 'abc123' });
  });

  test("secrets' ARNs in the region are well formed", () => {
    expect(secretReferenceProblem(`${prefix}:ssm:${region}:123456789012:parameter/prod/db`)).toBeUndefined();
    expect(secretReferenceProblem(`${prefix}:secretsmanager:${region}:123456789012:secret:db-AbCdEf`)).toBeUndefined();
    expect(secretReferenceProblem(`${prefix}:ssm:${region}:1234:parameter/prod/db`)).toBe(
      `its account "1234" is not 12 digits: ${prefix}:ssm:<region>:<account>:parameter/<name>`,
    );
  });

  test("the partition's ECR registry host is ECR; the same host under another suffix is some other registry", () => {
    expect(locateImage(`123456789012.dkr.ecr.${region}.${dnsSuffix}/web:1`)).toMatchObject({
      kind: 'ecr',
      region,
      registryId: '123456789012',
    });
    const wrong = dnsSuffix === 'amazonaws.com' ? 'amazonaws.com.cn' : 'amazonaws.com';
    expect(locateImage(`123456789012.dkr.ecr.${region}.${wrong}/web:1`)).toMatchObject({ kind: 'registry' });
  });
});

test('a FIPS ECR host is ECR too', () => {
  expect(locateImage('123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/web:1')).toMatchObject({
    kind: 'ecr',
    region: 'us-gov-west-1',
  });
});

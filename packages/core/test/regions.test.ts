import { describe, expect, test } from '@jest/globals';
import { isKnownRegion, judgeRegion, nearestKnownRegions } from '../src/common/regions';
import { resolveRegion } from '../src/common/aws';
import { ConfigurationError } from '../src/common/errors';

describe('the SDK partition data decides what a region is', () => {
  test.each(['us-east-1', 'eu-west-1', 'ap-southeast-2', 'cn-north-1', 'us-gov-west-1', 'eusc-de-east-1', 'us-isob-east-1'])(
    '%s is known',
    (name) => {
      expect(isKnownRegion(name)).toBe(true);
      expect(judgeRegion(name)).toEqual({ kind: 'known' });
    },
  );

  test.each(['aws-global', 'aws-cn-global'])('the global pseudo-region %s is no region for ECS', (name) => {
    expect(isKnownRegion(name)).toBe(false);
  });

  test.each<[string, string]>([
    ['eu-wset-1', 'eu-west-1'],
    ['us-east1', 'us-east-1'],
    ['us-east-1a', 'us-east-1'],
    ['US-EAST-1', 'us-east-1'],
    ['ap-southest-2', 'ap-southeast-2'],
    ['eu-centrl-1', 'eu-central-1'],
  ])('%s is a typo of %s', (typo, meant) => {
    expect(nearestKnownRegions(typo)).toEqual([meant]);
    expect(judgeRegion(typo)).toEqual({ kind: 'unknown', suggestions: [meant] });
  });

  test.each(['moon-1', 'useast1', 'N. Virginia', 'us east 1'])('%s is refused without a guess', (name) => {
    expect(judgeRegion(name)).toEqual({ kind: 'unknown', suggestions: [] });
  });

  test.each(['eu-west-9', 'ap-southeast-12', 'xy-north-1'])(
    '%s, region-shaped and no typo of a known one, may be newer than this SDK: left to DNS',
    (name) => {
      expect(judgeRegion(name)).toEqual({ kind: 'maybe-newer' });
    },
  );
});

describe('resolveRegion refuses a region that does not exist', () => {
  function refusal(input: string | undefined, env: NodeJS.ProcessEnv): ConfigurationError {
    try {
      resolveRegion(input, env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      return error as ConfigurationError;
    }
    throw new Error('expected a ConfigurationError');
  }

  test('a typo in the input, with the region meant', () => {
    const error = refusal('eu-wset-1', {});
    expect(error.input).toBe('region');
    expect(error.message).toBe(
      `Input 'region' is "eu-wset-1", which is not an AWS region; did you mean eu-west-1? Set 'region' to a region such as us-east-1, as the AWS console's region menu shows it.`,
    );
  });

  test('a typo in AWS_REGION names the variable, and every region it may have meant', () => {
    expect(refusal(undefined, { AWS_REGION: 'us-est-1' }).message).toMatch(
      /^AWS_REGION is "us-est-1", which is not an AWS region; did you mean us-east-1 or us-west-1\? Set AWS_REGION \(or the 'region' input\)/,
    );
  });

  test('a typo in AWS_DEFAULT_REGION names that variable', () => {
    expect(refusal(undefined, { AWS_DEFAULT_REGION: 'eu-west-1b' }).message).toMatch(/^AWS_DEFAULT_REGION is "eu-west-1b".*eu-west-1\?/);
  });

  test('a region this SDK may not know yet is accepted', () => {
    expect(resolveRegion('eu-west-9', {})).toBe('eu-west-9');
  });
});

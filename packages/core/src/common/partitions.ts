import { partition } from '@aws-sdk/core/client';

/**
 * What the suite needs to know about a region's partition, from the bundled SDK's partition data (the endpoints
 * ruleset's partitions) rather than a list of its own: the partition's name, which is also its ARN prefix
 * (`arn:aws-cn:...`, AWS General Reference, "Amazon Resource Names"), and the DNS suffix of its endpoints.
 */
export interface Partition {
  /** aws, aws-cn, aws-us-gov, aws-eusc, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f. */
  name: string;
  /** amazonaws.com, amazonaws.com.cn, amazonaws.eu, c2s.ic.gov... */
  dnsSuffix: string;
}

/** The partition of a region; a name the SDK's data does not place falls in `aws`, as the SDK resolves it. */
export function partitionOf(region: string): Partition {
  const found = partition(region) as { name?: string; dnsSuffix?: string };
  return { name: found.name ?? 'aws', dnsSuffix: found.dnsSuffix ?? 'amazonaws.com' };
}

/** `arn:aws`, `arn:aws-cn`, `arn:aws-us-gov`...: how every ARN in the region starts. */
export function arnPrefix(region: string): string {
  return `arn:${partitionOf(region).name}`;
}

/**
 * The AWS Management Console's address for a region, or undefined where the suite knows none to give. The SDK's
 * partition data has no console domain, so these are the documented ones: `<region>.console.aws.amazon.com` for
 * aws (General Reference, "AWS Management Console endpoints"), console.amazonaws.cn for the China regions and
 * console.amazonaws-us-gov.com for GovCloud (US), each told its region by `?region=`. The European Sovereign
 * Cloud and the ISO partitions are left without a link: a link the suite cannot vouch for would send the reader of
 * a failed deploy to the wrong place.
 */
export function consoleBase(region: string): string | undefined {
  switch (partitionOf(region).name) {
    case 'aws':
      return `https://${region}.console.aws.amazon.com`;
    case 'aws-cn':
      return 'https://console.amazonaws.cn';
    case 'aws-us-gov':
      return 'https://console.amazonaws-us-gov.com';
    default:
      return undefined;
  }
}

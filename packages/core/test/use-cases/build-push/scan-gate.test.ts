import { describe, expect, test } from '@jest/globals';
import { DescribeImageScanFindingsCommand, ECRClient, ScanNotFoundException } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { silentLogger } from '@ecs-deploy/core/common';
import { findingsAtOrAbove, gateVerdict, waitForScan } from '../../../src/use-cases/build-push/scan-gate';
import { fakeClock } from '../../support/fake-clock';

const findings = [
  { name: 'CVE-3', severity: 'LOW' },
  { name: 'CVE-1', severity: 'CRITICAL' },
  { name: 'CVE-2', severity: 'HIGH' },
  { name: 'CVE-0', severity: 'UNDEFINED' },
  { name: 'CVE-4', severity: 'CRITICAL' },
];

describe('findingsAtOrAbove', () => {
  test.each([
    ['CRITICAL', ['CVE-1', 'CVE-4']],
    ['HIGH', ['CVE-1', 'CVE-4', 'CVE-2']],
    ['INFORMATIONAL', ['CVE-1', 'CVE-4', 'CVE-2', 'CVE-3']],
  ] as const)('%s', (threshold, expected) => {
    expect(findingsAtOrAbove(findings, threshold).map((f) => f.name)).toEqual(expected);
  });

  test('the verdict lists the worst ten and counts the rest', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ name: `CVE-${String(i).padStart(2, '0')}`, severity: 'HIGH', where: 'libc' }));
    const verdict = gateVerdict('r/web@sha256:x', many, 'HIGH').split('\n');
    expect(verdict[0]).toBe("ECR's scan of r/web@sha256:x found 12 findings at or above HIGH:");
    expect(verdict.slice(1, 3)).toEqual(['  HIGH CVE-00 (libc)', '  HIGH CVE-01 (libc)']);
    expect(verdict).toHaveLength(12);
    expect(verdict[11]).toBe('  …and 2 more');
  });
});

describe('waitForScan', () => {
  const target = { repository: 'web', digest: 'sha256:d', image: 'r/web@sha256:d', timeoutMs: 60_000 };

  test('waits through a missing and an in-progress scan, then reads every page', async () => {
    const ecr = mockClient(ECRClient);
    ecr
      .on(DescribeImageScanFindingsCommand)
      .rejectsOnce(new ScanNotFoundException({ message: 'no scan', $metadata: {} }))
      .resolvesOnce({ imageScanStatus: { status: 'IN_PROGRESS' } })
      .resolvesOnce({
        imageScanStatus: { status: 'COMPLETE' },
        imageScanFindings: { findings: [{ name: 'A', severity: 'HIGH' }] },
        nextToken: 'p2',
      })
      .resolvesOnce({
        imageScanStatus: { status: 'COMPLETE' },
        imageScanFindings: { findings: [{ name: 'B', severity: 'LOW', attributes: [{ key: 'package_name', value: 'zlib' }] }] },
      });
    const clock = fakeClock();
    const found = await waitForScan(new ECRClient({ region: 'us-east-1' }), target, { log: silentLogger(), clock });
    expect(found).toEqual([
      { name: 'A', severity: 'HIGH', where: undefined },
      { name: 'B', severity: 'LOW', where: 'zlib' },
    ]);
    expect(clock.slept).toHaveLength(2);
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand).at(-1)?.args[0].input).toMatchObject({
      imageId: { imageDigest: 'sha256:d' },
      nextToken: 'p2',
    });
    ecr.restore();
  });

  test('a failed scan fails with its description', async () => {
    const ecr = mockClient(ECRClient);
    ecr
      .on(DescribeImageScanFindingsCommand)
      .resolves({ imageScanStatus: { status: 'UNSUPPORTED_IMAGE', description: 'The operating system is not supported' } });
    await expect(waitForScan(new ECRClient({ region: 'us-east-1' }), target, { log: silentLogger(), clock: fakeClock() })).rejects.toThrow(
      'ECR could not scan r/web@sha256:d: UNSUPPORTED_IMAGE (The operating system is not supported).',
    );
    ecr.restore();
  });

  test('gives up at the timeout, saying what it last saw', async () => {
    const ecr = mockClient(ECRClient);
    ecr.on(DescribeImageScanFindingsCommand).resolves({ imageScanStatus: { status: 'IN_PROGRESS' } });
    await expect(waitForScan(new ECRClient({ region: 'us-east-1' }), target, { log: silentLogger(), clock: fakeClock() })).rejects.toThrow(
      "ECR's scan of r/web@sha256:d did not complete within 1m (the scan was IN_PROGRESS).",
    );
    ecr.restore();
  });
});

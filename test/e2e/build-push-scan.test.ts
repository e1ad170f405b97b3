import { describe, expect, test } from '@jest/globals';
import { CreateRepositoryCommand } from '@aws-sdk/client-ecr';
import { makeContext, newSha, runBuildPush, uniqueName } from '../support/build-push';
import { useBuildWorld } from '../support/use-build-world';
import { errorsOf } from '../support/run-action';

const world = useBuildWorld();

// The sandbox's scan completes 0.5 s after it first sees the image (5 s at timeScale 0.1), with the findings injected here.
describe('scan-severity-threshold', () => {
  test('fails on a CRITICAL finding, listing the worst first, after pushing', async () => {
    const repository = uniqueName('scanned');
    const sha = newSha();
    world().sandbox.setScanFindings(repository, sha, [
      { name: 'CVE-2024-1111', severity: 'MEDIUM' },
      { name: 'CVE-2024-9999', severity: 'CRITICAL', attributes: [{ key: 'package_name', value: 'openssl' }] },
      { name: 'CVE-2024-5555', severity: 'HIGH' },
    ]);
    const run = await runBuildPush(
      world(),
      { repository, 'create-repository': 'true', 'scan-severity-threshold': 'high', 'scan-timeout': '30s' },
      { sha, workspace: makeContext({ 'a.txt': 'scan me' }) },
    );
    expect(run.exitCode).toBe(1);
    const [error] = errorsOf(run);
    expect(error).toContain(`ECR's scan of ${run.outputs.image} found 2 findings at or above HIGH:`);
    expect(error.split('\n').slice(1)).toEqual(['  CRITICAL CVE-2024-9999 (openssl)', '  HIGH CVE-2024-5555']);
    expect(run.outputs.digest).toMatch(/^sha256:/);
    expect(run.summary).toContain('| Scan | 2 at or above HIGH: failed |');

    // A re-run builds nothing, and the gate still holds: skipping the build never skips the scan.
    const again = await runBuildPush(
      world(),
      { repository, 'scan-severity-threshold': 'critical', 'scan-timeout': '30s' },
      { sha, workspace: makeContext({ 'a.txt': 'scan me' }) },
    );
    expect(again.exitCode).toBe(1);
    expect(again.outputs).toMatchObject({ built: 'false', digest: run.outputs.digest });
    expect(errorsOf(again)[0].split('\n')).toEqual([
      `ECR's scan of ${run.outputs.image} found 1 finding at or above CRITICAL:`,
      '  CRITICAL CVE-2024-9999 (openssl)',
    ]);
  });

  test('passes when no finding reaches the threshold', async () => {
    const repository = uniqueName('clean');
    const sha = newSha();
    world().sandbox.setScanFindings(repository, sha, [{ name: 'CVE-2024-1111', severity: 'MEDIUM' }]);
    const run = await runBuildPush(
      world(),
      { repository, 'create-repository': 'true', 'scan-severity-threshold': 'critical' },
      { sha, workspace: makeContext({ 'a.txt': 'clean' }) },
    );
    expect(errorsOf(run)).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.log).toContain('completed with 1 finding.');
    expect(run.summary).toContain('| Scan | 1 findings, none at or above CRITICAL: passed |');
  });

  test('fails when the scan does not complete within scan-timeout', async () => {
    // A repository without scan on push: ECR never scans the image.
    const repository = uniqueName('unscanned');
    await world().ecr.send(new CreateRepositoryCommand({ repositoryName: repository, imageScanningConfiguration: { scanOnPush: false } }));
    const run = await runBuildPush(
      world(),
      { repository, 'scan-severity-threshold': 'low', 'scan-timeout': '3s' },
      { sha: newSha(), workspace: makeContext({ 'a.txt': 'never scanned' }) },
    );
    expect(run.exitCode).toBe(1);
    expect(run.outputs.built).toBe('true');
    expect(errorsOf(run)).toEqual([
      expect.stringMatching(
        /did not complete within 3s \(no scan had started\)\. Raise scan-timeout, or check that the repository scans on push\./,
      ),
    ]);
  });
});

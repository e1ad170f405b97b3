import { DescribeImageScanFindingsCommand, ScanNotFoundException, type ECRClient } from '@aws-sdk/client-ecr';
import { ActionFailure, formatDuration, poll, type CancellationSignal, type Clock, type Logger } from '../../common';
import { atOrAbove, severityRank, type Severity } from './severity';

export interface Finding {
  name: string;
  severity: string;
  /** The package or resource, when the scanner says. */
  where?: string;
}

const WORST_SHOWN = 10;
const POLL_MS = 2_000;

/** Findings at or above the threshold, worst first: what fails the gate. */
export function findingsAtOrAbove(findings: Finding[], threshold: Severity): Finding[] {
  return findings
    .filter((f) => atOrAbove(f.severity, threshold))
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.name.localeCompare(b.name));
}

export function gateVerdict(image: string, blocking: Finding[], threshold: Severity): string {
  const shown = blocking.slice(0, WORST_SHOWN).map((f) => `  ${f.severity} ${f.name}${f.where ? ` (${f.where})` : ''}`);
  const more = blocking.length > WORST_SHOWN ? [`  …and ${blocking.length - WORST_SHOWN} more`] : [];
  return [
    `ECR's scan of ${image} found ${blocking.length} finding${blocking.length === 1 ? '' : 's'} at or above ${threshold}:`,
    ...shown,
    ...more,
  ].join('\n');
}

type ScanPage = { status?: string; description?: string; findings: Finding[]; nextToken?: string };

async function scanPage(
  ecr: ECRClient,
  target: { repository: string; registryId?: string; digest: string },
  nextToken?: string,
): Promise<ScanPage | undefined> {
  try {
    const answer = await ecr.send(
      new DescribeImageScanFindingsCommand({
        repositoryName: target.repository,
        registryId: target.registryId,
        imageId: { imageDigest: target.digest },
        nextToken,
        maxResults: 1000,
      }),
    );
    const basic = (answer.imageScanFindings?.findings ?? []).map((f) => ({
      name: f.name ?? 'unnamed',
      severity: f.severity ?? 'UNDEFINED',
      where: f.attributes?.find((a) => a.key === 'package_name')?.value,
    }));
    // Enhanced scanning (Amazon Inspector) reports through enhancedFindings instead.
    const enhanced = (answer.imageScanFindings?.enhancedFindings ?? []).map((f) => ({
      name: f.packageVulnerabilityDetails?.vulnerabilityId ?? f.title ?? 'unnamed',
      severity: f.severity ?? 'UNDEFINED',
      where: f.packageVulnerabilityDetails?.vulnerablePackages?.[0]?.name,
    }));
    return {
      status: answer.imageScanStatus?.status,
      description: answer.imageScanStatus?.description,
      findings: [...basic, ...enhanced],
      nextToken: answer.nextToken,
    };
  } catch (error) {
    // The scan of a just-pushed image may not have been created yet.
    if (error instanceof ScanNotFoundException) return undefined;
    throw error;
  }
}

/** Waits for ECR's scan of the digest to finish and returns every finding. */
export async function waitForScan(
  ecr: ECRClient,
  target: { repository: string; registryId?: string; digest: string; image: string; timeoutMs: number },
  deps: { log: Logger; clock?: Clock; signal?: CancellationSignal },
): Promise<Finding[]> {
  let last = 'no scan had started';
  const result = await poll({
    intervalMs: POLL_MS,
    timeoutMs: target.timeoutMs,
    clock: deps.clock,
    signal: deps.signal,
    check: async () => {
      const first = await scanPage(ecr, target);
      if (!first) return undefined;
      last = `the scan was ${first.status}`;
      if (first.status === 'FAILED' || first.status === 'UNSUPPORTED_IMAGE' || first.status === 'FINDINGS_UNAVAILABLE') {
        throw new ActionFailure(
          `ECR could not scan ${target.image}: ${first.status}${first.description ? ` (${first.description})` : ''}.`,
        );
      }
      if (first.status !== 'COMPLETE' && first.status !== 'ACTIVE') return undefined;
      const findings = [...first.findings];
      for (let page = first; page.nextToken;) {
        page = (await scanPage(ecr, target, page.nextToken)) as ScanPage;
        findings.push(...page.findings);
      }
      return findings;
    },
  });
  if (!result.done) {
    throw new ActionFailure(
      `ECR's scan of ${target.image} did not complete within ${formatDuration(target.timeoutMs)} (${last}). Raise scan-timeout, or check that the repository scans on push.`,
    );
  }
  deps.log.info(`ECR's scan of ${target.image} completed with ${result.value.length} finding${result.value.length === 1 ? '' : 's'}.`);
  return result.value;
}

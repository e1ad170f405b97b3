/**
 * Basic scanning as the sandbox plays it. ECR scans an image when it is pushed to a repository with
 * scanOnPush (or when StartImageScan is called); the sandbox cannot see pushes, so a scan starts when it first
 * sees an image and completes SCAN_MS (scaled by timeScale) later with the findings a test injected, or none.
 */
import type { Context } from '../context';
import type { StoredImage } from './images';
import type { RepositoryRecord, ScanFinding } from './state';

const SCAN_MS = 5_000;
const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'] as const;

export interface ScanState {
  status: 'IN_PROGRESS' | 'COMPLETE';
  completedAt?: number;
  findings: ScanFinding[];
}

function injected(ctx: Context, repository: RepositoryRecord, image: StoredImage): ScanFinding[] | undefined {
  const byReference = ctx.ecr.findings.get(repository.repositoryName);
  if (!byReference) return undefined;
  return byReference.get(image.digest) ?? image.tags.map((tag) => byReference.get(tag)).find((found) => found !== undefined);
}

/** The scan of an image, or undefined when none was ever started. */
export function scanOf(ctx: Context, repository: RepositoryRecord, image: StoredImage): ScanState | undefined {
  const findings = injected(ctx, repository, image);
  if (!repository.scanOnPush && !findings) return undefined;
  const completedAt = image.pushedAt + ctx.clock.scaled(SCAN_MS);
  if (ctx.clock.now() < completedAt) return { status: 'IN_PROGRESS', findings: [] };
  return { status: 'COMPLETE', completedAt, findings: findings ?? [] };
}

export function severityCounts(findings: ScanFinding[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const finding of findings) counts[finding.severity] = (counts[finding.severity] ?? 0) + 1;
  return counts;
}

/** Worst first, the order ECR's console shows. */
export function bySeverity(findings: ScanFinding[]): ScanFinding[] {
  return [...findings].sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
}

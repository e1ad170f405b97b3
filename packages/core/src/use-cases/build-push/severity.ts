/** ECR's finding severities, least to most severe. UNDEFINED findings rank below every threshold. */
export const SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(severity: string | undefined): number {
  return SEVERITIES.indexOf((severity ?? '').toUpperCase() as Severity);
}

export function atOrAbove(severity: string | undefined, threshold: Severity): boolean {
  const rank = severityRank(severity);
  return rank >= 0 && rank >= severityRank(threshold);
}

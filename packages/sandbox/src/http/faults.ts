import type { FaultKind, FaultOptions } from '../types';

/** Decides, per request, which injected fault (if any) answers it. */
export function pickFault(faults: FaultOptions | undefined, operation: string, random = Math.random): FaultKind | undefined {
  if (!faults) return undefined;
  if (faults.operations && !faults.operations.includes(operation)) return undefined;
  if (faults.throttleRate && random() < faults.throttleRate) return 'throttle';
  if (faults.serverErrorRate && random() < faults.serverErrorRate) return 'server-error';
  if (faults.latencyMs && faults.latencyMs > 0) return 'latency';
  return undefined;
}

export function latencyFor(faults: FaultOptions | undefined, operation: string): number {
  if (!faults?.latencyMs) return 0;
  if (faults.operations && !faults.operations.includes(operation)) return 0;
  return faults.latencyMs;
}

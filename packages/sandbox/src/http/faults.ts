import { AwsError } from '../errors';
import type { ApiCall, FaultKind, FaultOptions } from '../types';

/** Decides, per request, which injected fault (if any) answers it. */
export function pickFault(faults: FaultOptions | undefined, operation: string, random = Math.random): FaultKind | undefined {
  if (!faults) return undefined;
  if (faults.operations && !faults.operations.includes(operation)) return undefined;
  if (faults.throttleRate && random() < faults.throttleRate) return 'throttle';
  if (faults.serverErrorRate && random() < faults.serverErrorRate) return 'server-error';
  if (faults.refuseWith && faults.operations) return 'refused';
  if (faults.latencyMs && faults.latencyMs > 0) return 'latency';
  return undefined;
}

export function latencyFor(faults: FaultOptions | undefined, operation: string): number {
  if (!faults?.latencyMs) return 0;
  if (faults.operations && !faults.operations.includes(operation)) return 0;
  return faults.latencyMs;
}

/**
 * Picks the fault for one call, records it on the call and waits the added latency (real time: it stands
 * for the network, not for ECS). The caller answers the throttle or server error in its protocol's shape.
 */
export async function injectFault(
  faults: FaultOptions | undefined,
  call: { operation: string; fault?: FaultKind },
  afterReal: (ms: number, fn: () => void) => unknown,
): Promise<FaultKind | undefined> {
  const fault = pickFault(faults, call.operation);
  if (fault) call.fault = fault;
  const latency = latencyFor(faults, call.operation);
  if (latency > 0) await new Promise<void>((resolve) => afterReal(latency, resolve));
  return fault;
}

/** The error a 'refused' call is answered with, worded as AWS words it; `iamPrefix` is the service's in IAM actions. */
export function refusal(faults: FaultOptions | undefined, call: ApiCall, iamPrefix: string): AwsError {
  if (faults?.refuseWith === 'UnsupportedFeatureException')
    return new AwsError('UnsupportedFeatureException', 'The specified task is not supported in this Region.');
  const action = `${iamPrefix}:${call.operation}`;
  return new AwsError(
    'AccessDeniedException',
    `User is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`,
  );
}

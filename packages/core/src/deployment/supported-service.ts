import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import type { DependentChecks } from '../preflight/run';
import type { PreflightCheck } from '../preflight/check';
import { supportedControllerCheck, type SupportedControllerOptions } from '../preflight/checks/supported-controller';
import type { MechanismPreflightContext } from './mechanism';
import { mechanismFor } from './mechanism-for';

/**
 * The pre-flight check that the service exists and some deployment mechanism handles it: mechanismFor's refusal,
 * word for word, as the supported-controller check, so the one place that decides support is mechanismFor. Its
 * value is the described service.
 */
export function supportedServiceCheck(
  ecs: ECSClient,
  request: Pick<SupportedControllerOptions, 'cluster' | 'service' | 'region'>,
  described?: Service,
): PreflightCheck<Service> {
  const { cluster, service, region } = request;
  return supportedControllerCheck({
    ecs,
    cluster,
    service,
    region,
    ...(described ? { described } : {}),
    assertSupported: (found) => void mechanismFor(found),
  });
}

/** A later pre-flight stage: the checks the service's mechanism needs, once `supported` has described the service. */
export function mechanismChecks(supported: PreflightCheck<Service>, context: MechanismPreflightContext): DependentChecks {
  return (valueOf) => {
    const service = valueOf(supported);
    return service ? mechanismFor(service).preflightChecks(service, context) : [];
  };
}

/**
 * The stage after mechanismChecks: the checks the mechanism builds from what its own checks found (`found`, their
 * values), none for a mechanism without any.
 */
export function mechanismFollowUpChecks(
  supported: PreflightCheck<Service>,
  context: MechanismPreflightContext,
  found: (valueOf: Parameters<DependentChecks>[0]) => readonly unknown[],
): DependentChecks {
  return (valueOf) => {
    const service = valueOf(supported);
    return service ? (mechanismFor(service).preflightChecksAfter?.(found(valueOf), context) ?? []) : [];
  };
}

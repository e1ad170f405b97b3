import { isAccessDenied } from '../../common/errors';
import type { CheckResult } from '../check';
import { notCheckedBecause } from './elb-lookups';

/** A resource the check could not look up, and the ELBv2 operation that failed. */
export interface Unchecked {
  /** The resource and where it is configured, e.g. `target group web-green (loadBalancers[0]...)`. */
  what: string;
  operation: 'DescribeTargetGroups' | 'DescribeRules' | 'DescribeListeners';
  error: unknown;
}

/** What a traffic-resources check found: problems that would fail the deployment, and resources it could not look up. */
export interface TrafficFindings {
  problems: string[];
  unchecked: Unchecked[];
}

export interface TrafficTexts {
  /** How to put a problem right; ends with "Nothing was changed." */
  fix: string;
  /** The pass detail. */
  pass: string;
}

/**
 * The verdict of the blue/green traffic-resources checks: any problem fails (naming each, with the ones it could
 * not look up); with none, a look-up that failed is a warning naming the permission (or the error); else pass.
 */
export function trafficVerdict(findings: TrafficFindings, texts: TrafficTexts): CheckResult<undefined> {
  const warnings = findings.unchecked.map((item) => `${item.what} was not checked: ${notCheckedBecause(item.error, item.operation)}`);
  if (findings.problems.length)
    return {
      status: 'fail',
      detail: `${[...findings.problems, ...warnings].join('; ')}.`,
      fix: texts.fix,
    };
  if (warnings.length) {
    const denied = [
      ...new Set(findings.unchecked.filter((item) => isAccessDenied(item.error)).map((item) => `elasticloadbalancing:${item.operation}`)),
    ];
    return {
      status: 'warn',
      detail: `${warnings.join('; ')}.`,
      fix: denied.length ? `Grant ${denied.join(', ')} to have ${findings.unchecked.length === 1 ? 'it' : 'them'} checked.` : undefined,
    };
  }
  return { status: 'pass', detail: texts.pass };
}

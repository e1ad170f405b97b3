/**
 * How a deployment configuration moves production traffic (CodeDeploy user guide, "Deployment configurations on an
 * Amazon ECS compute platform"): AllAtOnce all at once; TimeBasedLinear linearPercentage more every linearInterval
 * minutes; TimeBasedCanary canaryPercentage, then the rest after canaryInterval minutes.
 */
import { findConfig } from './configs';

export interface TrafficStep {
  /** The replacement's share of production traffic after this step, in percent. */
  percent: number;
  /** Minutes to wait after it before the next step (0 for the last). */
  waitMinutes: number;
}

export function trafficSteps(configName: string): TrafficStep[] {
  const routing = findConfig(configName)?.trafficRoutingConfig;
  if (routing?.type === 'TimeBasedLinear' && routing.timeBasedLinear) {
    const { linearPercentage, linearInterval } = routing.timeBasedLinear;
    const steps: TrafficStep[] = [];
    for (let percent = linearPercentage; percent < 100; percent += linearPercentage) steps.push({ percent, waitMinutes: linearInterval });
    return [...steps, { percent: 100, waitMinutes: 0 }];
  }
  if (routing?.type === 'TimeBasedCanary' && routing.timeBasedCanary) {
    const { canaryPercentage, canaryInterval } = routing.timeBasedCanary;
    return [
      { percent: canaryPercentage, waitMinutes: canaryInterval },
      { percent: 100, waitMinutes: 0 },
    ];
  }
  return [{ percent: 100, waitMinutes: 0 }];
}

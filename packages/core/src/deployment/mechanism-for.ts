import type { Service } from '@aws-sdk/client-ecs';
import { assertRollingUpdateService } from '../ecs/service';
import type { DeploymentMechanism } from './mechanism';
import { rollingMechanism } from './rolling/rolling-mechanism';

/**
 * The mechanism for the service's deployment controller and strategy. Only rolling updates have one yet: any
 * other controller or strategy is refused here, before any change (see assertRollingUpdateService).
 */
export function mechanismFor(service: Service): DeploymentMechanism {
  assertRollingUpdateService(service);
  return rollingMechanism;
}

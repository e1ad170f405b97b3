import type { Service } from '@aws-sdk/client-ecs';
import { assertSupportedService } from '../ecs/service';
import { blueGreenMechanism } from './blue-green/blue-green-mechanism';
import { codeDeployMechanism } from './codedeploy/codedeploy-mechanism';
import type { DeploymentMechanism } from './mechanism';
import { rollingMechanism } from './rolling/rolling-mechanism';

/**
 * The mechanism for the service's deployment controller and strategy: rolling updates, ECS-native blue/green,
 * linear and canary (one mechanism: they differ only in how ECS shifts production traffic), or CodeDeploy blue/green
 * for the CODE_DEPLOY controller. Any other controller or strategy is refused here, before any change (see
 * assertSupportedService).
 */
export function mechanismFor(service: Service): DeploymentMechanism {
  const strategy = assertSupportedService(service);
  if (strategy === 'CODE_DEPLOY') return codeDeployMechanism;
  return strategy === 'ROLLING' ? rollingMechanism : blueGreenMechanism;
}

/** GetDeploymentConfig and ListDeploymentConfigs: the predefined ECS configurations (codedeploy/configs). */
import type { Context } from '../context';
import type { Json } from '../ecs/state';
import { ECS_CONFIGS, findConfig, renderConfig } from './configs';
import { deploymentConfigDoesNotExist, deploymentConfigNameRequired } from './errors';
import { page } from './pages';

export const deploymentConfigOperations = {
  GetDeploymentConfig(_ctx: Context, input: Json) {
    const name = input.deploymentConfigName;
    if (typeof name !== 'string' || name === '') throw deploymentConfigNameRequired();
    const config = findConfig(name);
    if (!config) throw deploymentConfigDoesNotExist(name);
    return { deploymentConfigInfo: renderConfig(config) };
  },

  ListDeploymentConfigs(_ctx: Context, input: Json) {
    return page(
      ECS_CONFIGS.map((c) => c.deploymentConfigName),
      input,
      'deploymentConfigsList',
    );
  },
};

/**
 * The predefined deployment configurations of the ECS compute platform (CodeDeploy user guide, "Deployment
 * configurations on an Amazon ECS compute platform"): all at once, linear 10% every 1 or 3 minutes, canary 10%
 * then the rest after 5 or 15 minutes. Their ids and creation time are the sandbox's (*unconfirmed*).
 */
export interface TrafficRouting {
  type: 'AllAtOnce' | 'TimeBasedLinear' | 'TimeBasedCanary';
  timeBasedLinear?: { linearPercentage: number; linearInterval: number };
  timeBasedCanary?: { canaryPercentage: number; canaryInterval: number };
}

export interface DeploymentConfigRecord {
  deploymentConfigId: string;
  deploymentConfigName: string;
  computePlatform: 'ECS';
  trafficRoutingConfig: TrafficRouting;
}

/** 27 November 2018, when CodeDeploy's ECS blue/green deployments were announced (*unconfirmed* as their createTime). */
const PREDEFINED_AT = Date.UTC(2018, 10, 27);

const predefined = (id: string, name: string, trafficRoutingConfig: TrafficRouting): DeploymentConfigRecord => ({
  deploymentConfigId: id,
  deploymentConfigName: name,
  computePlatform: 'ECS',
  trafficRoutingConfig,
});

export const ECS_CONFIGS: DeploymentConfigRecord[] = [
  predefined('6a0a4f1e-0000-4000-8000-000000000001', 'CodeDeployDefault.ECSAllAtOnce', { type: 'AllAtOnce' }),
  predefined('6a0a4f1e-0000-4000-8000-000000000002', 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes', {
    type: 'TimeBasedLinear',
    timeBasedLinear: { linearPercentage: 10, linearInterval: 1 },
  }),
  predefined('6a0a4f1e-0000-4000-8000-000000000003', 'CodeDeployDefault.ECSLinear10PercentEvery3Minutes', {
    type: 'TimeBasedLinear',
    timeBasedLinear: { linearPercentage: 10, linearInterval: 3 },
  }),
  predefined('6a0a4f1e-0000-4000-8000-000000000004', 'CodeDeployDefault.ECSCanary10Percent5Minutes', {
    type: 'TimeBasedCanary',
    timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 },
  }),
  predefined('6a0a4f1e-0000-4000-8000-000000000005', 'CodeDeployDefault.ECSCanary10Percent15Minutes', {
    type: 'TimeBasedCanary',
    timeBasedCanary: { canaryPercentage: 10, canaryInterval: 15 },
  }),
];

/** The default of an ECS deployment group (CreateDeploymentGroup, deploymentConfigName). */
export const DEFAULT_ECS_CONFIG = 'CodeDeployDefault.ECSAllAtOnce';

export function findConfig(name: string): DeploymentConfigRecord | undefined {
  return ECS_CONFIGS.find((c) => c.deploymentConfigName === name);
}

/** The predefined configurations of the Server and Lambda platforms (CodeDeploy user guide, "Working with deployment configurations"). */
const OTHER_PLATFORMS = new Set([
  'OneAtATime',
  'HalfAtATime',
  'AllAtOnce',
  'LambdaAllAtOnce',
  ...[5, 10, 15, 30].map((m) => `LambdaCanary10Percent${m}Minutes`),
  ...[1, 2, 3, 10].map((m) => `LambdaLinear10PercentEvery${m}Minute${m === 1 ? '' : 's'}`),
]);
export const isOtherPlatformConfig = (name: string) =>
  OTHER_PLATFORMS.has(name.replace(/^CodeDeployDefault\./, '')) && name.startsWith('CodeDeployDefault.');

export function renderConfig(config: DeploymentConfigRecord) {
  return { ...config, createTime: PREDEFINED_AT / 1000 };
}

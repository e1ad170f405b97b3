import { describe, expect, test } from '@jest/globals';
import { ECSClient, type DeploymentControllerType, type DeploymentStrategy, type Service } from '@aws-sdk/client-ecs';
import { ConfigurationError } from '../src/common/errors';
import { mechanismFor } from '../src/deployment/mechanism-for';
import { rollingMechanism } from '../src/deployment/rolling/rolling-mechanism';
import { blueGreenMechanism } from '../src/deployment/blue-green/blue-green-mechanism';
import { codeDeployMechanism } from '../src/deployment/codedeploy/codedeploy-mechanism';

const service = (overrides: Partial<Service> = {}): Service => ({ serviceName: 'web', status: 'ACTIVE', ...overrides });

describe('mechanismFor', () => {
  test.each<[string, Partial<Service>]>([
    ['no controller and no strategy', {}],
    ['the ECS controller', { deploymentController: { type: 'ECS' } }],
    [
      'the ECS controller with the ROLLING strategy',
      { deploymentController: { type: 'ECS' }, deploymentConfiguration: { strategy: 'ROLLING' } },
    ],
  ])('%s is a rolling update', (_name, overrides) => {
    expect(mechanismFor(service(overrides))).toBe(rollingMechanism);
  });

  test.each<DeploymentStrategy>(['BLUE_GREEN', 'LINEAR', 'CANARY'])('the %s strategy is an ECS blue/green deployment', (strategy) => {
    expect(mechanismFor(service({ deploymentConfiguration: { strategy } }))).toBe(blueGreenMechanism);
  });

  test('a strategy this suite does not know is refused, naming it and the ones it supports', () => {
    const refusal = () => mechanismFor(service({ deploymentConfiguration: { strategy: 'SHADOW' as DeploymentStrategy } }));
    expect(refusal).toThrow(ConfigurationError);
    expect(refusal).toThrow(
      'Service "web" uses the ECS deployment controller with the SHADOW deployment strategy, which this action does not support yet: ' +
        'only the ROLLING, BLUE_GREEN, LINEAR, CANARY strategies are deployed and watched. Nothing was changed.',
    );
  });

  test('the CODE_DEPLOY controller is a CodeDeploy blue/green deployment, whatever its deploymentConfiguration says', () => {
    expect(mechanismFor(service({ deploymentController: { type: 'CODE_DEPLOY' } }))).toBe(codeDeployMechanism);
    expect(
      mechanismFor(
        service({ deploymentController: { type: 'CODE_DEPLOY' }, deploymentConfiguration: { strategy: 'SHADOW' as DeploymentStrategy } }),
      ),
    ).toBe(codeDeployMechanism);
  });

  test.each<DeploymentControllerType>(['EXTERNAL'])('the %s controller is refused, naming what is supported', (type) => {
    expect(() => mechanismFor(service({ deploymentController: { type } }))).toThrow(
      `Service "web" uses the ${type} deployment controller, which this action does not support yet: ` +
        'only deployments of the ECS controller (rolling, blue/green, linear and canary) and of CODE_DEPLOY (CodeDeploy blue/green) are deployed and watched. Nothing was changed.',
    );
  });

  test('a service being deleted is refused', () => {
    expect(() => mechanismFor(service({ status: 'DRAINING' }))).toThrow('Service "web" is being deleted (DRAINING); nothing was changed.');
  });

  test('the rolling mechanism needs no checks of its own before its first change', () => {
    expect(
      rollingMechanism.preflightChecks(service(), { ecs: new ECSClient({ region: 'us-east-1' }), cluster: 'prod', purpose: 'deploy' }),
    ).toEqual([]);
  });
});

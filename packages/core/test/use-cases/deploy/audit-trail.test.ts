import { describe, expect, test } from '@jest/globals';
import { shippedPayload } from '../../../src/use-cases/deploy/audit-trail';
import type { DeployRequest } from '../../../src/use-cases/deploy/request';

const request: DeployRequest = {
  region: 'us-east-1',
  cluster: 'prod',
  service: 'shop',
  environment: [],
  forceNewDeployment: false,
  wait: true,
  timeoutMs: 60_000,
  failedTasksThreshold: 3,
};
const outputs = { taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/shop:3', previousTaskDefinitionArn: '' };

describe('shippedPayload', () => {
  test('images released together are kept with the Deployment, one container=image a line', () => {
    const payload = shippedPayload(
      {
        ...request,
        images: [
          { container: 'app', image: 'web:2', line: 1 },
          { container: 'envoy', image: 'envoy:1.32', line: 2 },
        ],
      },
      outputs,
    );
    expect(payload).toMatchObject({ image: '', images: 'app=web:2\nenvoy=envoy:1.32' });
  });

  test('without images there is no images key', () => {
    expect(shippedPayload({ ...request, image: 'web:2' }, outputs)).not.toHaveProperty('images');
  });
});

import type { Service } from '@aws-sdk/client-ecs';
import type { DeployRequest } from '../../../src/use-cases/deploy/request';
import { deployment, service } from '../../fixtures/ecs';

// The service both deploy use-case test files deploy to: web on prod, live on web:8, the next revision web:9.

export const LIVE = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:8';
export const NEXT = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:9';
export const LIVE_ID = 'ecs-svc/8888888888888888888';
export const NEXT_ID = 'ecs-svc/9999999999999999999';
export const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web@sha256:' + 'a'.repeat(64);

export const deployRequest = (overrides: Partial<DeployRequest> = {}): DeployRequest => ({
  region: 'us-east-1',
  cluster: 'prod',
  service: 'web',
  environment: [],
  forceNewDeployment: false,
  wait: true,
  timeoutMs: 600_000,
  failedTasksThreshold: 3,
  ...overrides,
});

/** The service settled on web:8: one deployment, COMPLETED, running its desired count. */
export const settledOnLive = (overrides: Partial<Service> = {}) =>
  service([deployment({ id: LIVE_ID, taskDefinition: LIVE, runningCount: 2, rolloutState: 'COMPLETED' })], overrides);

/**
 * How a deployment moves a service from its old revisions to the new one: one strategy per
 * deploymentConfiguration.strategy (ROLLING, BLUE_GREEN, LINEAR, CANARY). The scheduler's pass does what every
 * strategy shares (service deployment states, tasks turning healthy, replacing unhealthy tasks, deployment
 * alarms, draining a deleted service) and hands the rest to the strategy of the service's deployment.
 *
 * ROLLING is scheduler/rolling-strategy; BLUE_GREEN, LINEAR and CANARY are scheduler/traffic-strategy, whose
 * step walks the service deployment through its lifecycle stages and sets the traffic weights (chosen in
 * scheduler/strategies).
 */
import type { Context } from '../context';
import type { DeploymentRecord, ServiceRecord } from '../ecs/state';

/** What one pass of the scheduler gives a strategy. */
export interface StrategyPass {
  service: ServiceRecord;
  /** The PRIMARY deployment: the one the service is moving to (a rollback's, while it rolls back). */
  primary: DeploymentRecord;
  /** The tasks the primary should run: the service's desired count, 0 while a deleted service drains. */
  desired: number;
  now: number;
}

export interface DeploymentStrategy {
  readonly name: 'ROLLING' | 'BLUE_GREEN' | 'LINEAR' | 'CANARY';
  /** Starts and stops tasks for this pass, and keeps each deployment's desiredCount. */
  step(ctx: Context, pass: StrategyPass): void;
  /** Whether the primary has finished (COMPLETED), or the service is back in a steady state; not while it drains. */
  settle(ctx: Context, pass: StrategyPass): void;
}

/** The service deployments API: ListServiceDeployments, DescribeServiceDeployments, StopServiceDeployment, DescribeServiceRevisions. */
import type { Context } from '../context';
import { AwsError } from '../errors';
import { invalidParameter } from './errors';
import { startRollback } from './deployment-failure';
import { TRAFFIC_STRATEGIES } from './strategy-configuration';
import { blueOf, rollbackByTraffic, rollsBackByTraffic } from './traffic-rollback';
import { hookRun } from '../scheduler/lifecycle-hooks';
import { renderServiceDeployment, renderServiceDeploymentBrief, renderServiceRevision } from './render';
import { asArray, requireCluster, requireService } from './resolve';
import type { Json } from './state';
import { paginate } from './task-definitions';

/**
 * "You can stop a deployment that is in any of the following states" (developer guide, "Stopping Amazon ECS
 * service deployments"): PENDING and IN_PROGRESS move to ROLLBACK_REQUESTED and roll back; on STOP_REQUESTED
 * "the service deployment continues to stop", on ROLLBACK_REQUESTED and ROLLBACK_IN_PROGRESS it "continues the
 * rollback operation". A completed one (SUCCESSFUL, STOPPED, ROLLBACK_SUCCESSFUL, ROLLBACK_FAILED) is not in
 * that list: ECS refuses it, with the ConflictException the API reference gives for "conflict in the current
 * state of the resource".
 */
const ROLLS_BACK = new Set(['PENDING', 'IN_PROGRESS']);
const CONTINUES = new Set(['STOP_REQUESTED', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS']);

export const serviceDeploymentOperations = {
  ListServiceDeployments(ctx: Context, input: Json) {
    const cluster = requireCluster(ctx, input.cluster);
    const service = requireService(ctx, cluster, input.service);
    const statuses = asArray<string>(input.status);
    const window = (input.createdAt ?? {}) as { before?: number; after?: number };
    const found = [...ctx.ecs.serviceDeployments.values()]
      .filter((sd) => sd.serviceArn === service.arn)
      .filter((sd) => statuses.length === 0 || statuses.includes(sd.status))
      .filter((sd) => window.after === undefined || sd.createdAt >= window.after * 1000)
      .filter((sd) => window.before === undefined || sd.createdAt <= window.before * 1000)
      // Newest first, as ECS lists them.
      .sort((a, b) => b.createdAt - a.createdAt)
      .map(renderServiceDeploymentBrief);
    return paginate(found, input, 'serviceDeployments', 100, 20);
  },

  DescribeServiceDeployments(ctx: Context, input: Json) {
    const arns = asArray<string>(input.serviceDeploymentArns);
    if (arns.length === 0 || arns.length > 20) throw invalidParameter('serviceDeploymentArns must contain between 1 and 20 ARNs.');
    const serviceDeployments: Json[] = [];
    const failures: Json[] = [];
    for (const arn of arns) {
      const sd = ctx.ecs.serviceDeployments.get(arn);
      if (sd) serviceDeployments.push(renderServiceDeployment(ctx, sd));
      else failures.push({ arn, reason: 'MISSING' });
    }
    return { serviceDeployments, failures };
  },

  DescribeServiceRevisions(ctx: Context, input: Json) {
    const arns = asArray<string>(input.serviceRevisionArns);
    if (arns.length === 0 || arns.length > 20) throw invalidParameter('serviceRevisionArns must contain between 1 and 20 ARNs.');
    const serviceRevisions: Json[] = [];
    const failures: Json[] = [];
    for (const arn of arns) {
      const revision = ctx.ecs.serviceRevisions.get(arn);
      if (revision) serviceRevisions.push(renderServiceRevision(revision));
      else failures.push({ arn, reason: 'MISSING' });
    }
    return { serviceRevisions, failures };
  },

  /**
   * The model's enum has ABORT and ROLLBACK, but "the valid values are ROLLBACK" (StopServiceDeployment, API
   * reference), the only stop type the developer guide lists; what ECS answers for ABORT is not documented.
   */
  StopServiceDeployment(ctx: Context, input: Json) {
    const stopType = (input.stopType as string | undefined) ?? 'ROLLBACK';
    if (stopType !== 'ROLLBACK') throw invalidParameter(`Invalid stopType: ${stopType}. The valid values are ROLLBACK.`);
    const sd = typeof input.serviceDeploymentArn === 'string' ? ctx.ecs.serviceDeployments.get(input.serviceDeploymentArn) : undefined;
    if (!sd) throw new AwsError('ServiceDeploymentNotFoundException', 'The service deployment does not exist.');
    // Already stopping or rolling back: that operation goes on, untouched, and the answer is the same ARN.
    if (CONTINUES.has(sd.status)) return { serviceDeploymentArn: sd.arn };
    if (!ROLLS_BACK.has(sd.status))
      throw new AwsError('ConflictException', `The service deployment is ${sd.status} and cannot be stopped.`);
    const service = ctx.ecs.services.find((s) => s.arn === sd.serviceArn && s.status === 'ACTIVE');
    const deployment = service?.deployments.find((d) => d.id === sd.deploymentIds[0]);
    // With no completed revision to return to (a service's first deployment), there is nothing to roll back to.
    // The documentation does not say what ECS answers then; it refuses here, rather than stop the deployment
    // and claim a rollback that cannot happen.
    if (!service || !deployment || !service.lastCompleted || service.lastCompleted.deploymentId === deployment.id) {
      throw new AwsError('ConflictException', 'There is no completed service revision to roll back to.');
    }
    if (rollsBackByTraffic(sd) || TRAFFIC_STRATEGIES.has(sd.deploymentConfiguration.strategy ?? '')) {
      // At CLEAN_UP the blue tasks are being stopped: nothing is left to shift back to (a rollback then is a new
      // deployment of the old revision). That ECS refuses rather than redeploys is *unconfirmed*.
      if (!rollsBackByTraffic(sd))
        throw new AwsError('ConflictException', 'The service deployment is in CLEAN_UP and can no longer be rolled back.');
      if (!rollbackByTraffic(ctx, service, sd, 'Rollback requested with StopServiceDeployment.'))
        throw new AwsError('ConflictException', 'There is no completed service revision to roll back to.');
      return { serviceDeploymentArn: sd.arn };
    }
    const now = ctx.clock.now();
    deployment.rolloutState = 'FAILED';
    deployment.rolloutStateReason = 'Service deployment rolled back because of a stop request.';
    deployment.updatedAt = now;
    startRollback(ctx, service, deployment, sd, 'Rollback requested with StopServiceDeployment.');
    return { serviceDeploymentArn: sd.arn };
  },

  /**
   * Answers a PAUSE hook (ContinueServiceDeployment, API reference): only while the hook is AWAITING_ACTION
   * and its service deployment IN_PROGRESS. Its error list has no ConflictException: a hook or deployment in
   * any other state is refused with InvalidParameterException here (the wording is the sandbox's).
   */
  ContinueServiceDeployment(ctx: Context, input: Json) {
    const action = (input.action as string | undefined) ?? 'CONTINUE';
    if (action !== 'CONTINUE' && action !== 'ROLLBACK')
      throw invalidParameter(`Invalid action: ${action}. The valid values are CONTINUE and ROLLBACK.`);
    if (typeof input.hookId !== 'string' || input.hookId === '') throw invalidParameter('hookId is required.');
    const sd = typeof input.serviceDeploymentArn === 'string' ? ctx.ecs.serviceDeployments.get(input.serviceDeploymentArn) : undefined;
    if (!sd) throw new AwsError('ServiceDeploymentNotFoundException', 'The service deployment does not exist.');
    if (sd.status !== 'IN_PROGRESS')
      throw invalidParameter(`The service deployment is ${sd.status}: only an IN_PROGRESS deployment can be continued or rolled back.`);
    const run = hookRun(sd, input.hookId);
    if (!run) throw invalidParameter(`The service deployment has no lifecycle hook ${input.hookId} at its current stage.`);
    if (run.status !== 'AWAITING_ACTION') throw invalidParameter(`The lifecycle hook ${run.hookId} is ${run.status}, not AWAITING_ACTION.`);
    const service = ctx.ecs.services.find((s) => s.arn === sd.serviceArn && s.status === 'ACTIVE');
    if (action === 'ROLLBACK') {
      if (!service || !blueOf(service, sd)) throw invalidParameter('There is no completed service revision to roll back to.');
      run.status = 'SUCCEEDED';
      rollbackByTraffic(ctx, service, sd, 'Rollback requested with ContinueServiceDeployment.');
    } else {
      run.status = 'SUCCEEDED';
      sd.updatedAt = ctx.clock.now();
      ctx.kick();
    }
    return { serviceDeploymentArn: sd.arn };
  },
};

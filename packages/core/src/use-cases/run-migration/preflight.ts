import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import { ConfigurationError, type ClientFactory, type Logger } from '../../common';
import { type LoadedDefinition } from '../../task-definition';
import { type TaskPlacement } from '../../ecs';
import {
  awsvpcSubnetsCheck,
  fileFieldsCheck,
  imagesExistCheck,
  logGroupsExistCheck,
  noConcurrentMigrationCheck,
  revisionActiveCheck,
  runPreflight,
  secretsExistCheck,
  rolesTrustEcsCheck,
  executionRoleReadsSecretsCheck,
  taskSizeCheck,
  type PreflightCheck,
} from '../../preflight';
import { runningMigrations } from './concurrency';
import { planDefinition, sourceOfRevision, type PlannedDefinition } from './definition';
import type { MigrationRequest } from './request';

export interface MigrationPreflight {
  plan: PlannedDefinition;
  placement: TaskPlacement;
  /** The table, for the job summary the migration writes at its end. */
  markdown: string;
}

/** The settings run-migration takes as inputs: a file that carries one is sent to the input. */
const SETTING_INPUTS = { networkConfiguration: 'subnets', launchType: 'launch-type' } as const;

/**
 * What the migration runs and where, checked before anything is registered or started, in one table: the
 * revision first (the file needs no look-up, only its fields judged), then, from it, the subnets of its placement and the family's
 * running migrations. Between the two the image is set and the container chosen, which refuses an unknown
 * container name as it always has.
 */
export async function migrationPreflight(
  ecs: ECSClient,
  request: MigrationRequest,
  service: Service | undefined,
  fromFile: LoadedDefinition | undefined,
  ports: { log: Logger; writeSummary(markdown: string): Promise<void> },
  aws?: ClientFactory,
): Promise<MigrationPreflight> {
  const revision = fromFile ? undefined : revisionCheck(ecs, request, service);
  const fields =
    fromFile && request.definition.kind === 'file'
      ? fileFieldsCheck({ path: request.definition.path, loaded: fromFile, settingInputs: SETTING_INPUTS })
      : undefined;
  let plan: PlannedDefinition | undefined;
  let placement: PreflightCheck<TaskPlacement> | undefined;
  const report = await runPreflight(revision ? [revision] : fields ? [fields] : [], {
    log: ports.log,
    mode: request.preflight,
    writeSummary: ports.writeSummary,
    then: [
      (valueOf) => {
        const described = revision && valueOf(revision);
        plan = planDefinition(described ? sourceOfRevision(described) : { base: fromFile as LoadedDefinition }, request);
        placement = awsvpcSubnetsCheck({ definition: plan.rendered, service, overrides: request });
        const family = plan.rendered.family as string;
        const concurrency = noConcurrentMigrationCheck({
          cluster: request.cluster,
          family,
          running: () => runningMigrations(ecs, request.cluster, family),
        });
        // What the task pulls, reads its secrets from (with its execution role) and writes to, and whether ECS can assume its roles, looked up beside the placement and the running migrations.
        const definition = plan.rendered;
        const pulled = aws
          ? [
              imagesExistCheck({ definition, aws, input: request.image ? 'image' : 'task-definition' }),
              logGroupsExistCheck({ definition, aws, region: request.region }),
              secretsExistCheck({ definition, aws, region: request.region }),
              rolesTrustEcsCheck({ definition, aws, region: request.region }),
              executionRoleReadsSecretsCheck({ definition, aws, region: request.region }),
            ]
          : [];
        // A workflow that knows its migrations may run side by side says so, and the check is left out.
        return request.allowConcurrent ? [placement, ...pulled] : [placement, concurrency, ...pulled];
      },
      // The cpu and memory inputs, once the placement says whether the task runs on Fargate.
      (valueOf) => {
        const placed = placement && valueOf(placement);
        const sized = request.overrides?.cpu !== undefined || request.overrides?.memory !== undefined;
        return placed && sized && plan
          ? [taskSizeCheck({ definition: plan.rendered, placement: placed, overrides: request.overrides ?? {} })]
          : [];
      },
    ],
  });
  return {
    plan: plan as PlannedDefinition,
    placement: report.valueOf(placement as PreflightCheck<TaskPlacement>) as TaskPlacement,
    markdown: report.markdown,
  };
}

/** The registered revision named by `task-definition`, else the one the service runs; ECS runs a one-off task of an INACTIVE one. */
function revisionCheck(ecs: ECSClient, request: MigrationRequest, service: Service | undefined) {
  const reference = request.definition.kind === 'reference' ? request.definition.reference : service?.taskDefinition;
  if (!reference)
    throw new ConfigurationError(`Service ${service?.serviceName} has no task definition to borrow; set 'task-definition'.`, 'service');
  return revisionActiveCheck({
    ecs,
    reference,
    region: request.region,
    requireActive: false,
    input: request.definition.kind === 'reference' ? 'task-definition' : 'service',
  });
}

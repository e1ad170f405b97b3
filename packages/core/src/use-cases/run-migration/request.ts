import type { AssignPublicIp, LaunchType, Tag } from '@aws-sdk/client-ecs';
import type { KeyValue } from '../../common';
import type { PreflightMode } from '../../preflight';
import type { TaskOverrides } from '../../ecs/task-overrides';

/** Where the task definition comes from: a registered revision, a JSON file, or the service's. */
export type DefinitionSource = { kind: 'reference'; reference: string } | { kind: 'file'; path: string } | { kind: 'service' };

/** What run-migration was asked to do: its inputs, read and validated. */
export interface MigrationRequest {
  region: string;
  cluster: string;
  service?: string;
  definition: DefinitionSource;
  container?: string;
  image?: string;
  command?: string[];
  environment: KeyValue[];
  /** The `tags` input: on the revision the migration registers (if it does) and on its task, beside the run's own. */
  tags?: Tag[];
  /** The cpu, memory and task-role-arn inputs: RunTask's task-level overrides for the one-off task. */
  overrides?: TaskOverrides;
  subnets: string[];
  securityGroups: string[];
  assignPublicIp?: AssignPublicIp;
  launchType?: LaunchType;
  timeoutMs: number;
  allowConcurrent: boolean;
  stopOnCancel: boolean;
  /** The `preflight` input: how a failing check that does not protect is taken; undefined: it stops the step. */
  preflight?: PreflightMode;
}

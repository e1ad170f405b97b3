import type { Tag } from '@aws-sdk/client-ecs';
import type { ContainerImage, ContainerKeyValue } from '../../common/inputs';
import type { ServiceReference } from '../../common/service-reference';
import type { CodeDeployInputs } from '../../deployment/codedeploy/settings';
import type { ServiceSettings } from '../../ecs/service-settings';
import type { WaitUntil } from '../../ecs/watch-loop';
import type { PreflightMode } from '../../preflight/check';
import type { ScheduledTaskReference } from '../../scheduled-tasks/lines';

/** deploy-ecs's inputs, read and validated. */
export interface DeployRequest {
  region: string;
  cluster: string;
  service: string;
  /** A task definition JSON file to render and register (with the step's changes). */
  taskDefinitionFile?: string;
  /**
   * Or a revision ECS already has (`family`, `family:revision`, an ARN), registered by Terraform, CDK or an earlier
   * job: deployed as it is, nothing registered (so no image, images, environment or secrets with it).
   */
  taskDefinitionRevision?: string;
  /** The default container: what image and the lines without a container prefix change. */
  container?: string;
  image?: string;
  /** Other containers' images, `container=image`. */
  images?: ContainerImage[];
  /** Plain-text variables, `[container:]NAME=VALUE`. */
  environment: ContainerKeyValue[];
  /** Secrets as references (valueFrom), `[container:]NAME=REFERENCE`; nothing of their values is read. */
  secrets?: ContainerKeyValue[];
  /** The `tags` input: set on the revision the step registers, beside the workflow run's own. */
  tags?: Tag[];
  desiredCount?: number;
  /** enable-execute-command, propagate-tags, enable-ecs-managed-tags, health-check-grace-period: only those given. */
  serviceSettings?: ServiceSettings;
  forceNewDeployment: boolean;
  wait: boolean;
  /** Where the watch may end before the deployment does; undefined: complete. */
  waitUntil?: WaitUntil;
  /** Follow this service deployment (started before, e.g. a gate continued it) instead of starting one. */
  serviceDeploymentArn?: string;
  /** For a CODE_DEPLOY service: the application, deployment group, deployment configuration and AppSpec file given. */
  codeDeploy?: CodeDeployInputs;
  /** Follow this CodeDeploy deployment (created before, e.g. a Ready gate continued it) instead of creating one. */
  codeDeployDeploymentId?: string;
  timeoutMs: number;
  /** Whether timeout was given: only then is it taken as it is, else the service's bake time is added to it. */
  timeoutGiven?: boolean;
  failedTasksThreshold: number;
  /** The `preflight` input: how a failing check that does not protect is taken; undefined: it stops the step. */
  preflight?: PreflightMode;
  /** The `compare-with` input: another environment's service whose revision the new one is compared with, by name only. */
  compareWith?: ServiceReference;
  /** The `scheduled-tasks` input: rules and schedules whose ECS targets move to the new revision after a successful deploy. */
  scheduledTasks?: ScheduledTaskReference[];
  /** The `keep-revisions` input: after a successful deploy, deregister ACTIVE revisions of the family beyond the newest N. */
  keepRevisions?: number;
}

/**
 * deploy-ecs without a service: the file rendered with the step's changes and registered (or an identical revision
 * reused), for scheduled and one-off tasks, then the scheduled tasks moved to it and old revisions cleaned up when
 * asked; no service is changed.
 */
export interface RegisterOnlyRequest {
  region: string;
  cluster: string;
  taskDefinitionFile: string;
  container?: string;
  image?: string;
  images?: ContainerImage[];
  environment: ContainerKeyValue[];
  secrets?: ContainerKeyValue[];
  tags?: Tag[];
  preflight?: PreflightMode;
  /**
   * Rules and schedules whose ECS targets move to the revision once it is registered (checked before, on the file's
   * family): the registration is synchronous, so there is nothing to wait for first.
   */
  scheduledTasks?: ScheduledTaskReference[];
  /** After the registration (and the moves), deregister ACTIVE revisions of the family beyond the newest N nothing uses. */
  keepRevisions?: number;
}

/**
 * `registered-only`: no service was given; the revision was registered (or an identical one reused) and nothing else
 * done.
 * `cancelled`: the workflow was cancelled before a verdict (the step still fails; ECS goes on with any deployment it
 * started). `baking` and `paused`: the step returned at the stage wait-until asked for, green; the deployment goes on.
 */
export type DeployStatus =
  'succeeded' | 'failed' | 'rolled-back' | 'timed-out' | 'baking' | 'paused' | 'registered' | 'registered-only' | 'cancelled';

export interface DeployOutputs {
  taskDefinitionArn: string;
  /** The revision that was serving when the step started (the newest COMPLETED deployment's); '' when none is known. */
  previousTaskDefinitionArn: string;
  /** The ECS deployment (ecs-svc/...); for a CODE_DEPLOY service the CodeDeploy deployment (d-...), as codeDeployDeploymentId. */
  deploymentId?: string;
  /** The CodeDeploy deployment created or followed, for a CODE_DEPLOY service. */
  codeDeployDeploymentId?: string;
  /** The service deployment followed (also for rolling updates, when known); empty for CODE_DEPLOY. */
  serviceDeploymentArn?: string;
  /** Its lifecycle stage when the step ended. */
  lifecycleStage?: string;
  /** The PAUSE hook awaiting action, when the step ended paused. */
  hookId?: string;
  status?: DeployStatus;
  durationSeconds?: number;
}

/**
 * ServiceDeployment.lifecycleStage in the order ECS reports them (ECS developer guide, blue/green deployments).
 * LINEAR and CANARY repeat PRE_PRODUCTION_TRAFFIC_SHIFT and PRODUCTION_TRAFFIC_SHIFT per traffic step; RECONCILE_SERVICE
 * shows only when more than one revision is ACTIVE. A poll can miss a short stage, so stages are compared by position,
 * never by "the stage after the one seen last".
 */
export const LIFECYCLE_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
] as const;

/** The stage's position in LIFECYCLE_STAGES; -1 for a stage this suite does not know (shown as it is, never fatal). */
export function stagePosition(stage: string | undefined): number {
  return LIFECYCLE_STAGES.indexOf(stage as (typeof LIFECYCLE_STAGES)[number]);
}

/** Whether `stage` is `wanted` or later; an unknown stage has reached nothing. */
export function stageReached(stage: string | undefined, wanted: (typeof LIFECYCLE_STAGES)[number]): boolean {
  const position = stagePosition(stage);
  return position >= 0 && position >= stagePosition(wanted);
}

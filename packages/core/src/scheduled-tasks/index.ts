// The scheduled-tasks layer: EventBridge rules' and EventBridge Scheduler schedules' ECS targets, read and moved.
export * from './lines';
export * from './targets';
export * from './move';

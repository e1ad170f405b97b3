/** The lifecycle events of an ECS deployment, in the order they run (CodeDeploy user guide, "AppSpec 'hooks' section"). */
export const LIFECYCLE_EVENTS = [
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'AllowTestTraffic',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AllowTraffic',
  'AfterAllowTraffic',
];

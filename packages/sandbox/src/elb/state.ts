/**
 * Elastic Load Balancing v2 target groups and their targets as plain records. Target states and reason
 * codes are those of the ALB user guide ("Target health status" and "Health check reason codes").
 */

export interface HealthCheckSettings {
  enabled: boolean;
  protocol: string;
  /** 'traffic-port' (the target's own port) or a port number. */
  port: string;
  path: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  /** Matcher.HttpCode: `200`, `200,202` or `200-299`. */
  matcher: string;
}

export type TargetState = 'initial' | 'healthy' | 'unhealthy' | 'draining' | 'unavailable';

export interface TargetRecord {
  id: string;
  port: number;
  availabilityZone?: string;
  state: TargetState;
  reason?: string;
  description?: string;
  registeredAt: number;
  /** Consecutive passed and failed health checks. */
  successes: number;
  failures: number;
  /** Requests the load balancer is proxying to this target now. */
  inFlight: number;
  /** When a draining target is removed. */
  drainingUntil?: number;
}

export interface TargetGroupRecord {
  arn: string;
  name: string;
  protocol: string;
  port: number;
  vpcId?: string;
  targetType: string;
  protocolVersion: string;
  ipAddressType: string;
  healthCheck: HealthCheckSettings;
  attributes: Record<string, string>;
  /** The sandbox gives every target group a load balancer of its own, with one listener forwarding to it. */
  loadBalancerArn: string;
  targets: Map<string, TargetRecord>;
  createdAt: number;
}

/** An Application Load Balancer: a name and its listeners (elb/listeners). */
export interface LoadBalancerRecord {
  arn: string;
  name: string;
  createdAt: number;
  /** The target group whose own load balancer this is (created with it, deleted with it). */
  implicitFor?: string;
}

/** Action.ForwardConfig.TargetGroups: where a forward action sends requests, and in what proportion. */
export interface WeightedTargetGroup {
  targetGroupArn: string;
  /** 0 to 999 (TargetGroupTuple, API reference); a group of weight 0 gets nothing. */
  weight: number;
}

/** A `forward` action, the one action type the sandbox routes. `shorthand`: given as the single TargetGroupArn. */
export interface ForwardAction {
  type: 'forward';
  targetGroups: WeightedTargetGroup[];
  shorthand: boolean;
}

/** RuleCondition: `path-pattern` or `host-header`, each matching when any of its values matches. */
export interface RuleConditionRecord {
  field: 'path-pattern' | 'host-header';
  values: string[];
}

export interface RuleRecord {
  arn: string;
  /** '1'..'50000', or 'default' for the listener's default rule, which has no conditions. */
  priority: string;
  conditions: RuleConditionRecord[];
  actions: ForwardAction[];
}

export interface ListenerRecord {
  arn: string;
  loadBalancerArn: string;
  /** The port the API names; the real socket is an ephemeral loopback port (Listeners.url). */
  port: number;
  protocol: string;
  /** The default rule first, then the others in the order they were created. */
  rules: RuleRecord[];
}

export const targetKey = (id: string, port: number) => `${id}:${port}`;

/** Reason codes and their descriptions as DescribeTargetHealth gives them. */
export const REASONS = {
  registering: { reason: 'Elb.RegistrationInProgress', description: 'Target registration is in progress' },
  initialChecks: { reason: 'Elb.InitialHealthChecking', description: 'Initial health checks in progress' },
  deregistering: { reason: 'Target.DeregistrationInProgress', description: 'Target deregistration is in progress' },
  notRegistered: { reason: 'Target.NotRegistered', description: 'Target is not registered to the target group' },
  timeout: { reason: 'Target.Timeout', description: 'Request timed out' },
  failed: { reason: 'Target.FailedHealthChecks', description: 'Health checks failed' },
  disabled: { reason: 'Target.HealthCheckDisabled', description: 'Health checks are disabled' },
  codeMismatch: (code: number) => ({
    reason: 'Target.ResponseCodeMismatch',
    description: `Health checks failed with these codes: [${code}]`,
  }),
} as const;

/** The attributes of an ALB target group and their defaults (TargetGroupAttribute, API reference). */
export const DEFAULT_ATTRIBUTES: Record<string, string> = {
  'deregistration_delay.timeout_seconds': '300',
  'stickiness.enabled': 'false',
  'stickiness.type': 'lb_cookie',
  'stickiness.lb_cookie.duration_seconds': '86400',
  'load_balancing.algorithm.type': 'round_robin',
  'load_balancing.cross_zone.enabled': 'use_load_balancer_configuration',
  'slow_start.duration_seconds': '0',
  'target_group_health.dns_failover.minimum_healthy_targets.count': '1',
  'target_group_health.dns_failover.minimum_healthy_targets.percentage': 'off',
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.count': '1',
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage': 'off',
};

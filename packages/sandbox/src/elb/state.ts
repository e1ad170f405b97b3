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
  /** The sandbox gives every target group a load balancer of its own (a local proxy). */
  loadBalancerArn: string;
  targets: Map<string, TargetRecord>;
  createdAt: number;
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
  codeMismatch: (code: number) => ({ reason: 'Target.ResponseCodeMismatch', description: `Health checks failed with these codes: [${code}]` }),
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

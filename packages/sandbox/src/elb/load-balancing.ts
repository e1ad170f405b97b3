/**
 * Elastic Load Balancing as the sandbox runs it: target groups, each with a load balancer of its own (one
 * listener forwarding to it), targets moving through their health states as real HTTP health checks decide,
 * and deregistration with draining; the listeners (elb/listeners) route requests to the groups' targets.
 * The API operations (elb/operations) and ECS (tasks/load-balancer) drive it.
 */
import type { Clock } from '../clock';
import { Listeners, listenerArn, ruleArn } from './listeners';
import { probe, type ProbeResult } from './probe';
import { REASONS, targetKey, type TargetGroupRecord, type TargetRecord } from './state';

/**
 * Registration takes a moment before the first health check (the target shows Elb.RegistrationInProgress).
 * AWS gives no figure; this one is scaled like every interval.
 */
const REGISTRATION_MS = 1_000;
/** Health-check timeouts are scaled too, but a real process on a busy machine needs this much at least. */
const MIN_PROBE_TIMEOUT_MS = 1_000;

export class LoadBalancing {
  readonly groups = new Map<string, TargetGroupRecord>();
  readonly listeners = new Listeners({ nextTarget: (arn) => this.nextTarget(arn), begin: (target, cut) => this.begin(target, cut) });
  /** The listener of each target group's own load balancer, by target group ARN. */
  private readonly ownListeners = new Map<string, string>();
  /** Where each group's round robin is: the index of its next routable target. */
  private readonly nextIndex = new Map<string, number>();
  /** Cancels the health-check loop or the drain timer of a target. */
  private readonly timers = new Map<TargetRecord, () => void>();
  private readonly inFlight = new Map<TargetRecord, Set<() => void>>();
  private readonly drained = new Map<TargetRecord, Array<() => void>>();

  constructor(
    private readonly clock: Clock,
    /** Told whenever a target changes state, so ECS can act on it at once. */
    private readonly changed: () => void,
    private readonly announce: (group: TargetGroupRecord, url: string) => void = () => {},
  ) {}

  /** Adds the group with its own load balancer: one HTTP:80 listener whose default rule forwards everything to it. */
  async add(group: TargetGroupRecord): Promise<void> {
    this.listeners.addLoadBalancer({
      arn: group.loadBalancerArn,
      name: `sandbox-${group.name}`.slice(0, 32),
      createdAt: group.createdAt,
      implicitFor: group.arn,
    });
    const arn = listenerArn(group.loadBalancerArn);
    const forward = { type: 'forward' as const, targetGroups: [{ targetGroupArn: group.arn, weight: 1 }], shorthand: true };
    try {
      await this.listeners.add({
        arn,
        loadBalancerArn: group.loadBalancerArn,
        port: 80,
        protocol: 'HTTP',
        rules: [{ arn: ruleArn(arn), priority: 'default', conditions: [], actions: [forward] }],
      });
    } catch (error) {
      await this.listeners.removeLoadBalancer(group.loadBalancerArn);
      throw error;
    }
    this.groups.set(group.arn, group);
    this.ownListeners.set(group.arn, arn);
    this.announce(group, this.listeners.url(arn) as string);
  }

  async remove(arn: string): Promise<void> {
    const group = this.groups.get(arn);
    if (!group) return;
    for (const target of group.targets.values()) this.forget(target);
    this.groups.delete(arn);
    this.ownListeners.delete(arn);
    this.nextIndex.delete(arn);
    await this.listeners.removeLoadBalancer(group.loadBalancerArn);
  }

  /** The URL of the listener of the group's own load balancer. */
  url(arn: string): string | undefined {
    const listener = this.ownListeners.get(arn);
    return listener ? this.listeners.url(listener) : undefined;
  }

  /** The group's next routable target, round robin over them in a stable order. */
  nextTarget(arn: string): TargetRecord | undefined {
    const group = this.groups.get(arn);
    const targets = group ? this.routable(group) : [];
    if (targets.length === 0) return undefined;
    const next = this.nextIndex.get(arn) ?? 0;
    this.nextIndex.set(arn, (next + 1) % 1_000_000);
    return targets[next % targets.length];
  }

  /**
   * Healthy targets get requests. "If a target group contains only unhealthy registered targets, the load
   * balancer routes requests to all those targets, regardless of their health status" (ALB user guide,
   * "Health checks for Application Load Balancer target groups"): it fails open. Targets still in `initial`
   * or `draining` never get new requests; with nothing else registered the load balancer answers 503.
   */
  routable(group: TargetGroupRecord): TargetRecord[] {
    const targets = [...group.targets.values()];
    const healthy = targets.filter((t) => t.state === 'healthy' || t.state === 'unavailable');
    if (healthy.length > 0) return healthy;
    return targets.filter((t) => t.state === 'unhealthy');
  }

  register(group: TargetGroupRecord, id: string, port: number, availabilityZone?: string): void {
    const key = targetKey(id, port);
    const existing = group.targets.get(key);
    if (existing && existing.state !== 'draining') return;
    if (existing) this.forget(existing);
    const target: TargetRecord = {
      id,
      port,
      availabilityZone,
      state: 'initial',
      ...REASONS.registering,
      registeredAt: this.clock.now(),
      successes: 0,
      failures: 0,
      inFlight: 0,
    };
    group.targets.set(key, target);
    this.timers.set(
      target,
      this.clock.after(REGISTRATION_MS, () => {
        if (group.targets.get(key) !== target) return;
        if (!group.healthCheck.enabled) {
          this.setState(target, 'unavailable', REASONS.disabled);
          return;
        }
        Object.assign(target, REASONS.initialChecks);
        this.check(group, target);
      }),
    );
    this.changed();
  }

  /**
   * Deregistration: the target stops getting new requests at once and shows `draining` for the
   * deregistration delay, while the requests it is serving finish; then it is removed, cutting what is
   * still in flight (ALB user guide, "Deregistration delay").
   */
  deregister(group: TargetGroupRecord, id: string, port: number): void {
    const key = targetKey(id, port);
    const target = group.targets.get(key);
    if (!target || target.state === 'draining') return;
    this.timers.get(target)?.();
    const delaySeconds = Number(group.attributes['deregistration_delay.timeout_seconds'] ?? 300);
    this.setState(target, 'draining', REASONS.deregistering);
    target.drainingUntil = this.clock.now() + this.clock.scaled(delaySeconds * 1000);
    this.timers.set(
      target,
      this.clock.after(delaySeconds * 1000, () => {
        if (group.targets.get(key) === target) group.targets.delete(key);
        this.forget(target);
        this.changed();
      }),
    );
  }

  /** Resolves once the target is no longer registered (at once when it is not). */
  whenGone(groupArn: string, id: string, port: number): Promise<void> {
    const target = this.groups.get(groupArn)?.targets.get(targetKey(id, port));
    if (!target) return Promise.resolve();
    return new Promise((resolve) => {
      const waiters = this.drained.get(target) ?? [];
      waiters.push(resolve);
      this.drained.set(target, waiters);
    });
  }

  /**
   * The targets of the group that `select` picks (all by default) fail their health checks now, as if
   * UnhealthyThresholdCount checks in a row had failed with `why`: an injected fault. Draining targets are left
   * alone. The checks go on, and decide from here as they always do. Returns how many targets turned.
   */
  turnUnhealthy(
    groupArn: string,
    why: { reason: string; description: string },
    select: (target: TargetRecord) => boolean = () => true,
  ): number {
    const group = this.groups.get(groupArn);
    if (!group) return 0;
    let turned = 0;
    for (const target of group.targets.values()) {
      if (target.state === 'draining' || !select(target)) continue;
      target.failures = group.healthCheck.unhealthyThreshold;
      target.successes = 0;
      this.setState(target, 'unhealthy', why);
      turned += 1;
    }
    return turned;
  }

  target(groupArn: string, id: string, port: number): TargetRecord | undefined {
    return this.groups.get(groupArn)?.targets.get(targetKey(id, port));
  }

  async close(): Promise<void> {
    for (const group of this.groups.values()) for (const target of group.targets.values()) this.forget(target);
    await this.listeners.close();
  }

  private begin(target: TargetRecord, cut: () => void): () => void {
    target.inFlight += 1;
    const cuts = this.inFlight.get(target) ?? new Set();
    cuts.add(cut);
    this.inFlight.set(target, cuts);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      target.inFlight -= 1;
      cuts.delete(cut);
    };
  }

  /** Stops everything about a target that leaves: its timers, its requests in flight, its waiters. */
  private forget(target: TargetRecord): void {
    this.timers.get(target)?.();
    this.timers.delete(target);
    for (const cut of this.inFlight.get(target) ?? []) cut();
    this.inFlight.delete(target);
    for (const resolve of this.drained.get(target) ?? []) resolve();
    this.drained.delete(target);
  }

  /** Each check is independent and the next starts an interval after this one started (ALB user guide). */
  private check(group: TargetGroupRecord, target: TargetRecord): void {
    const startedAt = Date.now();
    const settings = group.healthCheck;
    const port = settings.port === 'traffic-port' ? target.port : Number(settings.port);
    const timeout = Math.max(MIN_PROBE_TIMEOUT_MS, this.clock.scaled(settings.timeoutSeconds * 1000));
    void probe(target.id, port, settings, timeout).then((result) => {
      if (group.targets.get(targetKey(target.id, target.port)) !== target || target.state === 'draining') return;
      this.apply(group, target, result);
      const wait = this.clock.scaled(settings.intervalSeconds * 1000) - (Date.now() - startedAt);
      this.timers.set(
        target,
        this.clock.afterReal(wait, () => this.check(group, target)),
      );
    });
  }

  /**
   * "After your target is registered, it must pass one health check to be considered healthy"; after that,
   * UnhealthyThresholdCount consecutive failures take it out of service and HealthyThresholdCount
   * consecutive successes put it back (ALB user guide, "Health check settings").
   */
  private apply(group: TargetGroupRecord, target: TargetRecord, result: ProbeResult): void {
    const { healthyThreshold, unhealthyThreshold } = group.healthCheck;
    if (result.ok) {
      target.successes += 1;
      target.failures = 0;
      if (target.state === 'initial' || (target.state === 'unhealthy' && target.successes >= healthyThreshold))
        this.setState(target, 'healthy');
      return;
    }
    target.failures += 1;
    target.successes = 0;
    if (target.state === 'unhealthy') {
      target.reason = result.reason;
      target.description = result.description;
    } else if (target.failures >= unhealthyThreshold) {
      this.setState(target, 'unhealthy', result);
    }
  }

  private setState(target: TargetRecord, state: TargetRecord['state'], why?: { reason: string; description: string }): void {
    target.state = state;
    target.reason = why?.reason;
    target.description = why?.description;
    this.changed();
  }
}

/**
 * Load balancers, their listeners and the listeners' rules, as the sandbox runs them: every listener is a
 * real socket (elb/listener-proxy) that sends each request by its rules to one of the rule's weighted target
 * groups, and from there to that group's next routable target (elb/load-balancing decides which).
 * A production and a test listener in front of a blue and a green target group, with the weights moving
 * between them, is what an ECS blue/green deployment drives.
 */
import type { IncomingMessage } from 'node:http';
import { elbId } from '../ids';
import { ListenerProxy } from './listener-proxy';
import { matchRule, routedRequest, WeightedPicker } from './routing';
import type { ForwardAction, ListenerRecord, LoadBalancerRecord, RuleRecord, TargetRecord } from './state';

/** What a listener needs from the target groups behind it. */
export interface TargetRouting {
  /** The next target of the group a request goes to, or undefined when the group has none to route to. */
  nextTarget(targetGroupArn: string): TargetRecord | undefined;
  /** Called when a request to the target starts; returns a function the drain timeout may call to cut it. */
  begin(target: TargetRecord, cut: () => void): () => void;
}

/** `...:loadbalancer/app/NAME/ID` becomes `...:listener/app/NAME/ID/LISTENER-ID`, as ELBv2 names them. */
export const listenerArn = (loadBalancerArn: string) => `${loadBalancerArn.replace(':loadbalancer/', ':listener/')}/${elbId()}`;
export const ruleArn = (listener: string) => `${listener.replace(':listener/', ':listener-rule/')}/${elbId()}`;

export class Listeners {
  readonly loadBalancers = new Map<string, LoadBalancerRecord>();
  /** Every listener by ARN, in the order they were created. */
  readonly byArn = new Map<string, ListenerRecord>();
  private readonly proxies = new Map<string, ListenerProxy>();
  /** One picker per forward action, so a changed action (ModifyListener, ModifyRule) starts a fresh rotation. */
  private readonly pickers = new WeakMap<ForwardAction, WeightedPicker>();

  constructor(private readonly targets: TargetRouting) {}

  addLoadBalancer(loadBalancer: LoadBalancerRecord): void {
    this.loadBalancers.set(loadBalancer.arn, loadBalancer);
  }

  async removeLoadBalancer(arn: string): Promise<void> {
    for (const listener of this.of(arn)) await this.remove(listener.arn);
    this.loadBalancers.delete(arn);
  }

  /** Opens the listener's socket, then records it. */
  async add(listener: ListenerRecord): Promise<void> {
    const proxy = new ListenerProxy(
      { route: (req) => this.route(listener, req), begin: (target, cut) => this.targets.begin(target, cut) },
      () => listener.port,
    );
    await proxy.listen();
    this.byArn.set(listener.arn, listener);
    this.proxies.set(listener.arn, proxy);
  }

  async remove(arn: string): Promise<void> {
    this.byArn.delete(arn);
    const proxy = this.proxies.get(arn);
    this.proxies.delete(arn);
    await proxy?.close();
  }

  /** The listener's local address, `http://127.0.0.1:PORT`. */
  url(arn: string): string | undefined {
    return this.proxies.get(arn)?.url;
  }

  /** The load balancer's listeners, in the order they were created. */
  of(loadBalancerArn: string): ListenerRecord[] {
    return [...this.byArn.values()].filter((l) => l.loadBalancerArn === loadBalancerArn);
  }

  rule(arn: string): { listener: ListenerRecord; rule: RuleRecord } | undefined {
    for (const listener of this.byArn.values()) {
      const rule = listener.rules.find((r) => r.arn === arn);
      if (rule) return { listener, rule };
    }
    return undefined;
  }

  /** The load balancers with a listener rule that forwards to the group (TargetGroup.LoadBalancerArns). */
  forwardingTo(targetGroupArn: string): string[] {
    const arns = [...this.byArn.values()].filter((l) =>
      l.rules.some((r) => r.actions.some((a) => a.targetGroups.some((g) => g.targetGroupArn === targetGroupArn))),
    );
    return [...new Set(arns.map((l) => l.loadBalancerArn))];
  }

  async close(): Promise<void> {
    await Promise.all([...this.proxies.values()].map((proxy) => proxy.close()));
    this.proxies.clear();
  }

  private route(listener: ListenerRecord, req: IncomingMessage): TargetRecord | undefined {
    const rule = matchRule(listener.rules, routedRequest(req.url, req.headers.host));
    const action = rule?.actions[0];
    if (!action) return undefined;
    let picker = this.pickers.get(action);
    if (!picker) this.pickers.set(action, (picker = new WeightedPicker(action.targetGroups)));
    const group = picker.next();
    return group === undefined ? undefined : this.targets.nextTarget(group);
  }
}

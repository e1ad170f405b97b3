/**
 * How a listener picks where a request goes: the first rule by priority whose conditions all match, else the
 * default rule (ALB user guide, "Listener rules"); then, among the rule's weighted target groups, one chosen
 * by smooth weighted round robin, so a 50/50 split alternates and 90/10 sends one in ten, the same way every
 * run (a real ALB draws at random; tests here need to be repeatable).
 */
import type { RuleConditionRecord, RuleRecord, WeightedTargetGroup } from './state';

export interface RoutedRequest {
  /** The path without the query string. */
  path: string;
  /** The Host header without its port. */
  host: string;
}

/** `*` matches any run of characters, `?` exactly one (path-pattern and host-header, API reference). */
function wildcard(pattern: string, flags: string): RegExp {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, flags);
}

/** Path patterns are case-sensitive, host names are not (ALB user guide, "Path conditions", "Host conditions"). */
export function conditionMatches(condition: RuleConditionRecord, request: RoutedRequest): boolean {
  if (condition.field === 'path-pattern') return condition.values.some((value) => wildcard(value, '').test(request.path));
  return condition.values.some((value) => wildcard(value, 'i').test(request.host));
}

const order = (rule: RuleRecord) => (rule.priority === 'default' ? Number.POSITIVE_INFINITY : Number(rule.priority));

/** The rule a request falls under: the lowest priority number whose conditions all match, the default rule last. */
export function matchRule(rules: RuleRecord[], request: RoutedRequest): RuleRecord | undefined {
  return [...rules].sort((a, b) => order(a) - order(b)).find((rule) => rule.conditions.every((c) => conditionMatches(c, request)));
}

/** The request's path and host as rule conditions see them. */
export function routedRequest(url: string | undefined, host: string | undefined): RoutedRequest {
  const path = (url ?? '/').split('?')[0] || '/';
  return { path, host: (host ?? '').replace(/:\d+$/, '') };
}

/**
 * Smooth weighted round robin (as nginx does it): each pick adds every group's weight to its credit, takes
 * the group with the most credit and charges it the total. Groups of weight 0 are never picked.
 */
export class WeightedPicker {
  private readonly credit: number[];

  constructor(private readonly groups: WeightedTargetGroup[]) {
    this.credit = groups.map(() => 0);
  }

  next(): string | undefined {
    const total = this.groups.reduce((sum, g) => sum + g.weight, 0);
    if (total === 0) return undefined;
    let best = -1;
    this.groups.forEach((group, i) => {
      if (group.weight === 0) return;
      this.credit[i] += group.weight;
      if (best < 0 || this.credit[i] > this.credit[best]) best = i;
    });
    this.credit[best] -= total;
    return this.groups[best].targetGroupArn;
  }
}

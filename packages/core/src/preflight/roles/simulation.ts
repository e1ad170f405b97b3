import type { EvaluationResult } from '@aws-sdk/client-iam';

/**
 * What SimulatePrincipalPolicy answered for one action on one resource (IAM API reference, EvaluationResult and
 * ResourceSpecificResult: EvalDecision `allowed`, `explicitDeny` or `implicitDeny`; MissingContextValues, the
 * condition keys the request did not supply, whose conditions the decision therefore did not honour).
 */
export interface Simulated {
  decision?: string;
  missingContextValues: string[];
}

export const simulationKey = (action: string, resource: string) => `${action}\n${resource}`;

/**
 * The decision for each action and resource: from ResourceSpecificResults when IAM breaks the result down per
 * resource, else from the result itself, whose EvalResourceName is the resource (or `*` when one was asked for).
 */
export function simulatedDecisions(results: EvaluationResult[], asked: { action: string; resources: string[] }): Map<string, Simulated> {
  const decisions = new Map<string, Simulated>();
  for (const result of results) {
    const action = result.EvalActionName ?? asked.action;
    const specific = result.ResourceSpecificResults ?? [];
    if (specific.length > 0) {
      for (const each of specific)
        decisions.set(simulationKey(action, each.EvalResourceName ?? '*'), {
          decision: each.EvalResourceDecision,
          missingContextValues: [...new Set([...(each.MissingContextValues ?? []), ...(result.MissingContextValues ?? [])])],
        });
      continue;
    }
    const named = result.EvalResourceName;
    const resources = named && named !== '*' ? [named] : asked.resources.length === 1 ? asked.resources : [];
    for (const resource of resources)
      decisions.set(simulationKey(action, resource), {
        decision: result.EvalDecision,
        missingContextValues: result.MissingContextValues ?? [],
      });
  }
  return decisions;
}

import type { ApiCall } from '@ecs-deploy/sandbox';
import { isMutating } from '../e2e/bad-input/case';

/**
 * The calls of `operation` (DescribeServices by default) a run made before its first change in AWS (its first
 * RegisterTaskDefinition, UpdateService or other mutating call), from its slice of the sandbox's call log: what a
 * step reads before it changes anything.
 */
export function callsBeforeFirstChange(calls: ApiCall[], operation = 'DescribeServices'): number {
  const firstChange = calls.findIndex((call) => isMutating(call.operation));
  return (firstChange === -1 ? calls : calls.slice(0, firstChange)).filter((call) => call.operation === operation).length;
}

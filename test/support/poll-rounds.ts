import type { ApiCall } from '@ecs-deploy/sandbox';

/**
 * The calls of `operation` (DescribeServices by default) in each poll round once the first service was updated
 * (after the first UpdateService), from the sandbox's call log: the calls of one round are sent together and rounds
 * are about a second apart, so calls less than 300 ms apart are one round.
 */
export function describeCallsPerRound(calls: ApiCall[], operation = 'DescribeServices'): number[] {
  const firstUpdate = calls.findIndex((call) => call.operation === 'UpdateService');
  const describes = calls.slice(firstUpdate + 1).filter((call) => call.operation === operation);
  const rounds: number[][] = [];
  for (const call of describes) {
    const round = rounds.at(-1);
    if (round && call.at - (round.at(-1) as number) < 300) round.push(call.at);
    else rounds.push([call.at]);
  }
  return rounds.map((round) => round.length);
}

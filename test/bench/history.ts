import type { Sandbox } from '@ecs-deploy/sandbox';

/** When the sandbox recorded the `nth` event of `kind` that `match` accepts (its history is in the order things happened). */
export function historyAt(sandbox: Sandbox, kind: string, match: (event: Record<string, unknown>) => boolean, nth = 1): number {
  const events = sandbox.history.filter((event) => event.kind === kind && match(event as unknown as Record<string, unknown>));
  const event = events[nth - 1];
  if (!event) throw new Error(`the sandbox recorded no ${kind} #${nth}`);
  return event.at;
}

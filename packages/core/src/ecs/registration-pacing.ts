import { RegisterTaskDefinitionCommand, type ECSClient, type RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import type { CancellationSignal } from '../common/cancellation';
import type { Clock } from '../common/poll';
import { TokenBucket } from '../common/token-bucket';

/**
 * ECS's bucket for RegisterTaskDefinition (a "task definition modify" action in "Request throttling for the Amazon
 * ECS API"): 20 at once, refilled at 1 a second, per account and Region.
 */
export const REGISTER_TASK_DEFINITION_RATE = { burst: 20, perSecond: 1 } as const;

/**
 * The ECS client for a step that registers many revisions at once (deploy-ecs with many services): each
 * RegisterTaskDefinition waits for a token of ECS's own rate instead of being throttled, and two registrations of the
 * same definition (same family, same content; tags aside, as reuse compares them) are sent once, both getting its
 * revision. Every other call goes through as it is.
 */
export function pacedRegistrations(
  ecs: ECSClient,
  options: { clock: Clock; signal?: CancellationSignal; rate?: { burst: number; perSecond: number } },
): ECSClient {
  const bucket = new TokenBucket(options.rate ?? REGISTER_TASK_DEFINITION_RATE, options.clock);
  const sent = new Map<string, Promise<unknown>>();
  return new Proxy(ecs, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return (command: object, ...rest: never[]) => {
        if (!(command instanceof RegisterTaskDefinitionCommand)) return target.send(command as never, ...rest);
        const key = definitionKey(command.input);
        const earlier = sent.get(key);
        if (earlier) return earlier;
        const registering = bucket.take(options.signal).then(async (answered) => {
          try {
            return await target.send(command, ...rest);
          } finally {
            answered();
          }
        });
        sent.set(key, registering);
        // A registration that failed may be tried again (its retry), and is then sent again.
        registering.catch(() => sent.delete(key));
        return registering;
      };
    },
  });
}

function definitionKey(input: RegisterTaskDefinitionCommandInput): string {
  const { tags: _tags, ...definition } = input;
  return JSON.stringify(definition);
}

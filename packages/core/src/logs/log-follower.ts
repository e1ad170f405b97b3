import { GetLogEventsCommand, type CloudWatchLogsClient, type OutputLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import type { LogLocation } from './log-tail';

/** GetLogEvents' largest page; a chatty migration is read in few calls. */
const PAGE_LIMIT = 10_000;

/**
 * Reads one log stream as it grows, each event exactly once: the first read starts from the head, each next
 * one from the last `nextForwardToken`. GetLogEvents answers the same token when nothing new arrived, which
 * is how the end of what is there now is recognised (GetLogEvents, CloudWatch Logs API reference). A stream
 * that does not exist yet (the container has not written) reads as empty.
 *
 * A read that fails part-way (a throttled or dropped second page) returns the pages it got, with the token of the
 * last of them, so the next read goes on from there: no event is lost with the failed page, none is read twice.
 * Only a read that got nothing throws, for the caller's poll loop to skip the round.
 */
export class LogFollower {
  private token: string | undefined;

  constructor(
    private readonly logs: CloudWatchLogsClient,
    readonly location: LogLocation,
  ) {}

  async readNew(): Promise<OutputLogEvent[]> {
    const events: OutputLogEvent[] = [];
    for (;;) {
      let answer;
      try {
        answer = await this.logs.send(
          new GetLogEventsCommand({
            logGroupName: this.location.group,
            logStreamName: this.location.stream,
            startFromHead: this.token === undefined ? true : undefined,
            nextToken: this.token,
            limit: PAGE_LIMIT,
          }),
        );
      } catch (error) {
        if ((error as Error).name === 'ResourceNotFoundException' || events.length > 0) return events;
        throw error;
      }
      events.push(...(answer.events ?? []));
      const next = answer.nextForwardToken;
      const reachedEnd = !next || next === this.token || (answer.events ?? []).length === 0;
      if (next) this.token = next;
      if (reachedEnd) return events;
    }
  }
}

import type { Context } from '../context';
import { AwsError } from '../errors';
import { compileFilterPattern } from './filter-pattern';
import type { LogEventRecord, LogGroupRecord, LogStreamRecord } from './store';
import { decodeToken, encodeToken } from './tokens';

type Json = Record<string, unknown>;
const invalid = (message: string) => new AwsError('InvalidParameterException', message);
const GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const MAX_EVENTS = 10_000;
const DAY_MS = 24 * 60 * 60_000;

function requireGroup(ctx: Context, input: Json): LogGroupRecord {
  const identifier = (input.logGroupIdentifier ?? input.logGroupName) as string | undefined;
  if (typeof identifier !== 'string') throw invalid('Either logGroupName or logGroupIdentifier must be specified.');
  const name = identifier.startsWith('arn:') ? identifier.replace(/^arn:[^:]*:logs:[^:]*:[^:]*:log-group:/, '').replace(/:\*$/, '') : identifier;
  const group = ctx.logs.groups.get(name);
  if (!group) throw new AwsError('ResourceNotFoundException', 'The specified log group does not exist.');
  return group;
}

function requireStream(group: LogGroupRecord, name: unknown): LogStreamRecord {
  const stream = typeof name === 'string' ? group.streams.get(name) : undefined;
  if (!stream) throw new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.');
  return stream;
}

function limitOf(input: Json, max: number): number {
  const limit = (input.limit as number | undefined) ?? max;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) throw invalid(`limit must be between 1 and ${max}.`);
  return limit;
}

function inWindow(input: Json): (event: LogEventRecord) => boolean {
  const start = input.startTime as number | undefined;
  const end = input.endTime as number | undefined;
  // startTime is inclusive, endTime exclusive.
  return (event) => (start === undefined || event.timestamp >= start) && (end === undefined || event.timestamp < end);
}

const renderEvent = (e: LogEventRecord) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime });

export const logsOperations: Record<string, (ctx: Context, input: Json) => Json> = {
  CreateLogGroup(ctx, input) {
    const name = input.logGroupName;
    if (typeof name !== 'string' || !GROUP_NAME.test(name)) throw invalid('Invalid log group name.');
    if (ctx.logs.groups.has(name)) throw new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists');
    ctx.logs.createGroup(name, ctx.clock.now());
    return {};
  },

  DeleteLogGroup(ctx, input) {
    const group = requireGroup(ctx, input);
    ctx.logs.groups.delete(group.name);
    return {};
  },

  DescribeLogGroups(ctx, input) {
    const prefix = (input.logGroupNamePrefix as string | undefined) ?? '';
    const limit = limitOf(input, 50);
    const all = [...ctx.logs.groups.values()].filter((g) => g.name.startsWith(prefix)).sort((a, b) => a.name.localeCompare(b.name));
    const start = Number(input.nextToken ?? 0) || 0;
    const page = all.slice(start, start + limit).map((g) => ({
      logGroupName: g.name,
      creationTime: g.creationTime,
      metricFilterCount: 0,
      arn: `${g.arn}:*`,
      logGroupArn: g.arn,
      storedBytes: 0,
      logGroupClass: 'STANDARD',
    }));
    return { logGroups: page, ...(start + limit < all.length ? { nextToken: String(start + limit) } : {}) };
  },

  CreateLogStream(ctx, input) {
    const group = requireGroup(ctx, input);
    const name = input.logStreamName;
    if (typeof name !== 'string' || name === '' || name.includes(':') || name.includes('*')) throw invalid('Invalid log stream name.');
    if (group.streams.has(name)) throw new AwsError('ResourceAlreadyExistsException', 'The specified log stream already exists');
    ctx.logs.createStream(group, name, ctx.clock.now());
    return {};
  },

  DescribeLogStreams(ctx, input) {
    const group = requireGroup(ctx, input);
    const prefix = input.logStreamNamePrefix as string | undefined;
    const orderBy = (input.orderBy as string | undefined) ?? 'LogStreamName';
    if (orderBy === 'LastEventTime' && prefix !== undefined) throw invalid('Cannot order by LastEventTime with a logStreamNamePrefix.');
    const limit = limitOf(input, 50);
    const lastEvent = (s: LogStreamRecord) => s.events[s.events.length - 1]?.timestamp ?? 0;
    const streams = [...group.streams.values()]
      .filter((s) => prefix === undefined || s.name.startsWith(prefix))
      .sort((a, b) => (orderBy === 'LastEventTime' ? lastEvent(a) - lastEvent(b) : a.name.localeCompare(b.name)));
    if (input.descending === true) streams.reverse();
    const start = Number(input.nextToken ?? 0) || 0;
    const page = streams.slice(start, start + limit).map((s) => ({
      logStreamName: s.name,
      creationTime: s.creationTime,
      ...(s.events.length
        ? {
            firstEventTimestamp: Math.min(...s.events.map((e) => e.timestamp)),
            lastEventTimestamp: Math.max(...s.events.map((e) => e.timestamp)),
            lastIngestionTime: s.lastIngestionTime,
          }
        : {}),
      arn: s.arn,
      storedBytes: 0,
    }));
    return { logStreams: page, ...(start + limit < streams.length ? { nextToken: String(start + limit) } : {}) };
  },

  PutLogEvents(ctx, input) {
    const group = requireGroup(ctx, input);
    const stream = requireStream(group, input.logStreamName);
    const events = Array.isArray(input.logEvents) ? (input.logEvents as Array<{ timestamp: number; message: string }>) : [];
    if (events.length === 0 || events.length > 10_000) throw invalid('logEvents must contain between 1 and 10000 events.');
    for (let i = 1; i < events.length; i++) {
      if (events[i].timestamp < events[i - 1].timestamp) throw invalid('Log events in a single PutLogEvents request must be in chronological order.');
    }
    const now = ctx.clock.now();
    // Events more than 14 days old or 2 hours ahead are rejected, not stored (PutLogEvents, API reference).
    const tooOld = events.findLastIndex((e) => e.timestamp < now - 14 * DAY_MS);
    const tooNew = events.findIndex((e) => e.timestamp > now + 2 * 60 * 60_000);
    const accepted = events.filter((_event, i) => i > tooOld && (tooNew === -1 || i < tooNew));
    ctx.logs.append(stream, accepted.map((e) => ({ timestamp: e.timestamp, message: String(e.message) })), now);
    const rejected = { ...(tooOld >= 0 ? { tooOldLogEventEndIndex: tooOld } : {}), ...(tooNew >= 0 ? { tooNewLogEventStartIndex: tooNew } : {}) };
    return Object.keys(rejected).length ? { rejectedLogEventsInfo: rejected } : {};
  },

  GetLogEvents(ctx, input) {
    const stream = requireStream(requireGroup(ctx, input), input.logStreamName);
    const limit = limitOf(input, MAX_EVENTS);
    const fits = inWindow(input);
    const all = stream.events;
    let direction: 'f' | 'b';
    let position: number;
    if (typeof input.nextToken === 'string') {
      const token = decodeToken(input.nextToken);
      if (!token || token.position > all.length) throw invalid('The specified nextToken is invalid.');
      ({ direction, position } = token);
    } else if (input.startFromHead === true) {
      direction = 'f';
      position = 0;
    } else {
      // Without a token and startFromHead, the newest events come back (GetLogEvents, API reference).
      direction = 'b';
      position = all.length;
    }
    const picked: number[] = [];
    if (direction === 'f') {
      for (let i = position; i < all.length && picked.length < limit; i++) if (fits(all[i])) picked.push(i);
    } else {
      for (let i = position - 1; i >= 0 && picked.length < limit; i--) if (fits(all[i])) picked.unshift(i);
    }
    const first = picked[0];
    const last = picked[picked.length - 1];
    const forward = last === undefined ? position : last + 1;
    const backward = first === undefined ? position : first;
    return {
      events: picked.map((i) => renderEvent(all[i])),
      nextForwardToken: encodeToken('f', direction === 'b' && typeof input.nextToken !== 'string' ? all.length : forward),
      nextBackwardToken: encodeToken('b', backward),
    };
  },

  FilterLogEvents(ctx, input) {
    const group = requireGroup(ctx, input);
    const names = Array.isArray(input.logStreamNames) ? (input.logStreamNames as string[]) : undefined;
    const prefix = input.logStreamNamePrefix as string | undefined;
    if (names && prefix !== undefined) throw invalid('You cannot specify both logStreamNames and logStreamNamePrefix.');
    const limit = limitOf(input, MAX_EVENTS);
    const fits = inWindow(input);
    const matches = compileFilterPattern(input.filterPattern as string | undefined);
    const streams = [...group.streams.values()].filter((s) => (names ? names.includes(s.name) : prefix === undefined || s.name.startsWith(prefix)));
    const found = streams
      .flatMap((s) => s.events.filter((e) => fits(e) && matches(e.message)).map((e) => ({ stream: s.name, event: e })))
      .sort((a, b) => a.event.timestamp - b.event.timestamp || a.event.eventId.localeCompare(b.event.eventId));
    const start = typeof input.nextToken === 'string' ? Number(Buffer.from(input.nextToken, 'base64').toString()) || 0 : 0;
    const page = found.slice(start, start + limit);
    return {
      events: page.map(({ stream, event }) => ({ logStreamName: stream, ...renderEvent(event), eventId: event.eventId })),
      searchedLogStreams: streams.map((s) => ({ logStreamName: s.name, searchedCompletely: true })),
      ...(start + limit < found.length ? { nextToken: Buffer.from(String(start + limit)).toString('base64') } : {}),
    };
  },
};

import type { Context } from '../context';
import { groupExists, groupNotFound, invalidParameter as invalid, streamExists, streamNotFound } from './errors';
import { compileFilterPattern } from './filter-pattern';
import { optional, optionalList, optionalString, requireString } from './params';
import type { LogEventRecord, LogGroupRecord, LogStreamRecord } from './state';
import { decodeToken, encodeToken } from './tokens';

type Json = Record<string, unknown>;
const GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const MAX_EVENTS = 10_000;
const DAY_MS = 24 * 60 * 60_000;

function requireGroup(ctx: Context, input: Json): LogGroupRecord {
  const identifier = requireString(
    input,
    input.logGroupIdentifier !== undefined && input.logGroupIdentifier !== null ? 'logGroupIdentifier' : 'logGroupName',
    () => invalid('Either logGroupName or logGroupIdentifier must be specified.'),
  );
  const name = identifier.startsWith('arn:')
    ? identifier.replace(/^arn:[^:]*:logs:[^:]*:[^:]*:log-group:/, '').replace(/:\*$/, '')
    : identifier;
  const group = ctx.logs.groups.get(name);
  if (!group) throw groupNotFound();
  return group;
}

function requireStream(group: LogGroupRecord, name: unknown): LogStreamRecord {
  const stream = typeof name === 'string' ? group.streams.get(name) : undefined;
  if (!stream) throw streamNotFound();
  return stream;
}

function limitOf(input: Json, max: number): number {
  const limit = optional<number>(input, 'limit') ?? max;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) throw invalid(`limit must be between 1 and ${max}.`);
  return limit;
}

function inWindow(input: Json): (event: LogEventRecord) => boolean {
  const start = optional<number>(input, 'startTime');
  const end = optional<number>(input, 'endTime');
  // startTime is inclusive, endTime exclusive.
  return (event) => (start === undefined || event.timestamp >= start) && (end === undefined || event.timestamp < end);
}

const renderEvent = (e: LogEventRecord) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime });

export const logsOperations: Record<string, (ctx: Context, input: Json) => Json> = {
  CreateLogGroup(ctx, input) {
    const name = requireString(input, 'logGroupName', () => invalid('Invalid log group name.'));
    if (!GROUP_NAME.test(name)) throw invalid('Invalid log group name.');
    if (ctx.logs.groups.has(name)) throw groupExists();
    ctx.logs.createGroup(name, ctx.clock.now());
    return {};
  },

  DeleteLogGroup(ctx, input) {
    const group = requireGroup(ctx, input);
    ctx.logs.groups.delete(group.name);
    return {};
  },

  DescribeLogGroups(ctx, input) {
    const prefix = optional<string>(input, 'logGroupNamePrefix') ?? '';
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
    const name = requireString(input, 'logStreamName', () => invalid('Invalid log stream name.'));
    if (name === '' || name.includes(':') || name.includes('*')) throw invalid('Invalid log stream name.');
    if (group.streams.has(name)) throw streamExists();
    ctx.logs.createStream(group, name, ctx.clock.now());
    return {};
  },

  DescribeLogStreams(ctx, input) {
    const group = requireGroup(ctx, input);
    const prefix = optional<string>(input, 'logStreamNamePrefix');
    const orderBy = optional<string>(input, 'orderBy') ?? 'LogStreamName';
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
    const events = optionalList<{ timestamp: number; message: string }>(input, 'logEvents') ?? [];
    if (events.length === 0 || events.length > 10_000) throw invalid('logEvents must contain between 1 and 10000 events.');
    for (let i = 1; i < events.length; i++) {
      if (events[i].timestamp < events[i - 1].timestamp)
        throw invalid('Log events in a single PutLogEvents request must be in chronological order.');
    }
    const now = ctx.clock.now();
    // Events more than 14 days old or 2 hours ahead are rejected, not stored (PutLogEvents, API reference).
    const tooOld = events.findLastIndex((e) => e.timestamp < now - 14 * DAY_MS);
    const tooNew = events.findIndex((e) => e.timestamp > now + 2 * 60 * 60_000);
    const accepted = events.filter((_event, i) => i > tooOld && (tooNew === -1 || i < tooNew));
    ctx.logs.append(
      stream,
      accepted.map((e) => ({ timestamp: e.timestamp, message: String(e.message) })),
      now,
    );
    const rejected = {
      ...(tooOld >= 0 ? { tooOldLogEventEndIndex: tooOld } : {}),
      ...(tooNew >= 0 ? { tooNewLogEventStartIndex: tooNew } : {}),
    };
    return Object.keys(rejected).length ? { rejectedLogEventsInfo: rejected } : {};
  },

  GetLogEvents(ctx, input) {
    const stream = requireStream(requireGroup(ctx, input), input.logStreamName);
    const limit = limitOf(input, MAX_EVENTS);
    const fits = inWindow(input);
    const all = stream.events;
    let direction: 'f' | 'b';
    let position: number;
    const nextToken = optionalString(input, 'nextToken');
    if (nextToken !== undefined) {
      const token = decodeToken(nextToken);
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
      nextForwardToken: encodeToken('f', direction === 'b' && nextToken === undefined ? all.length : forward),
      nextBackwardToken: encodeToken('b', backward),
    };
  },

  FilterLogEvents(ctx, input) {
    const group = requireGroup(ctx, input);
    const names = optionalList<string>(input, 'logStreamNames');
    const prefix = optional<string>(input, 'logStreamNamePrefix');
    if (names && prefix !== undefined) throw invalid('You cannot specify both logStreamNames and logStreamNamePrefix.');
    const limit = limitOf(input, MAX_EVENTS);
    const fits = inWindow(input);
    const matches = compileFilterPattern(optional<string>(input, 'filterPattern'));
    const streams = [...group.streams.values()].filter((s) =>
      names ? names.includes(s.name) : prefix === undefined || s.name.startsWith(prefix),
    );
    const found = streams
      .flatMap((s) => s.events.filter((e) => fits(e) && matches(e.message)).map((e) => ({ stream: s.name, event: e })))
      .sort((a, b) => a.event.timestamp - b.event.timestamp || a.event.eventId.localeCompare(b.event.eventId));
    const nextToken = optionalString(input, 'nextToken');
    const start = nextToken !== undefined ? Number(Buffer.from(nextToken, 'base64').toString()) || 0 : 0;
    const page = found.slice(start, start + limit);
    return {
      events: page.map(({ stream, event }) => ({ logStreamName: stream, ...renderEvent(event), eventId: event.eventId })),
      searchedLogStreams: streams.map((s) => ({ logStreamName: s.name, searchedCompletely: true })),
      ...(start + limit < found.length ? { nextToken: Buffer.from(String(start + limit)).toString('base64') } : {}),
    };
  },
};

/** CloudWatch Logs state: groups of streams of events, in the order they were put. */

export interface LogEventRecord {
  timestamp: number;
  message: string;
  ingestionTime: number;
  eventId: string;
}

export interface LogStreamRecord {
  name: string;
  arn: string;
  creationTime: number;
  events: LogEventRecord[];
  lastIngestionTime?: number;
}

export interface LogGroupRecord {
  name: string;
  arn: string;
  creationTime: number;
  retentionInDays?: number;
  streams: Map<string, LogStreamRecord>;
}

export class LogStore {
  readonly groups = new Map<string, LogGroupRecord>();
  private sequence = 0;

  constructor(private readonly arns: { logGroup(name: string): string; logStream(group: string, stream: string): string }) {}

  createGroup(name: string, now: number): LogGroupRecord {
    const group: LogGroupRecord = { name, arn: this.arns.logGroup(name), creationTime: now, streams: new Map() };
    this.groups.set(name, group);
    return group;
  }

  createStream(group: LogGroupRecord, name: string, now: number): LogStreamRecord {
    const stream: LogStreamRecord = { name, arn: this.arns.logStream(group.name, name), creationTime: now, events: [] };
    group.streams.set(name, stream);
    return stream;
  }

  append(stream: LogStreamRecord, events: Array<{ timestamp: number; message: string }>, now: number): void {
    for (const event of events) {
      this.sequence += 1;
      stream.events.push({ ...event, ingestionTime: now, eventId: String(this.sequence).padStart(56, '0') });
    }
    if (events.length > 0) stream.lastIngestionTime = now;
  }

  /** What the awslogs driver does for a container: create what is missing, then put the line. */
  write(groupName: string, streamName: string, message: string, now: number): void {
    const group = this.groups.get(groupName) ?? this.createGroup(groupName, now);
    const stream = group.streams.get(streamName) ?? this.createStream(group, streamName, now);
    this.append(stream, [{ timestamp: now, message }], now);
  }
}

/**
 * EventBridge Scheduler state: schedule groups (the `default` group always exists) and their schedules, each kept as
 * its last CreateSchedule or UpdateSchedule gave it. ARNs: `schedule-group/<group>` and `schedule/<group>/<name>`
 * (Service Authorization Reference, "Resource types defined by Amazon EventBridge Scheduler").
 */

export type Json = Record<string, unknown>;

export interface ScheduleRecord {
  arn: string;
  name: string;
  groupName: string;
  /** What the last CreateSchedule or UpdateSchedule set, as GetSchedule gives it back (without Name, GroupName, Arn). */
  fields: Json;
  creationDate: number;
  lastModificationDate: number;
}

export interface ScheduleGroupRecord {
  name: string;
  arn: string;
  creationDate: number;
  lastModificationDate: number;
}

export const DEFAULT_GROUP = 'default';

export class SchedulerState {
  readonly groups = new Map<string, ScheduleGroupRecord>();
  /** By `<group>/<name>`. */
  readonly schedules = new Map<string, ScheduleRecord>();

  constructor(
    private readonly region: string,
    private readonly accountId: string,
  ) {
    this.createGroup(DEFAULT_GROUP, 0);
  }

  groupArn(name: string): string {
    return `arn:aws:scheduler:${this.region}:${this.accountId}:schedule-group/${name}`;
  }

  scheduleArn(group: string, name: string): string {
    return `arn:aws:scheduler:${this.region}:${this.accountId}:schedule/${group}/${name}`;
  }

  createGroup(name: string, now: number): ScheduleGroupRecord {
    const group = { name, arn: this.groupArn(name), creationDate: now, lastModificationDate: now };
    this.groups.set(name, group);
    return group;
  }
}

export const scheduleKey = (group: string, name: string) => `${group}/${name}`;

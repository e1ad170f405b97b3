import type { Context } from '../context';
import { uuid } from '../ids';
import type { ServiceRecord } from './state';

/** ECS keeps the 100 most recent service events (developer guide, "Service event messages"). */
const MAX_EVENTS = 100;

/** Adds a service event, newest first. Messages follow the wording of ECS's own events. */
export function serviceEvent(ctx: Context, service: ServiceRecord, message: string): void {
  service.events.unshift({ id: uuid(), createdAt: ctx.clock.now(), message: `(service ${service.name}) ${message}` });
  if (service.events.length > MAX_EVENTS) service.events.length = MAX_EVENTS;
}

export const taskList = (ids: string[]) => ids.map((id) => `(task ${id})`).join(' ');

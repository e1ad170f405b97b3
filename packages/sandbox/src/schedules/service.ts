/** EventBridge Scheduler on the wire: restJson1, its operations by method and path, as @aws-sdk/client-scheduler sends them. */
import type { RestJsonService } from '../http/protocol';
import { schedulerOperations } from './operations';

/** Each list's query names (the model's httpQuery traits) and the members they stand for. */
const LIST = { NamePrefix: 'NamePrefix', NextToken: 'NextToken', MaxResults: 'MaxResults' };

export const schedulerService: RestJsonService = {
  service: 'scheduler',
  iamPrefix: 'scheduler',
  protocol: 'restJson',
  signingName: 'scheduler',
  serverError: 'InternalServerException',
  routes: [
    { method: 'POST', path: '/schedules/{Name}', operation: 'CreateSchedule' },
    { method: 'GET', path: '/schedules/{Name}', operation: 'GetSchedule', query: { groupName: 'GroupName' } },
    { method: 'PUT', path: '/schedules/{Name}', operation: 'UpdateSchedule' },
    {
      method: 'DELETE',
      path: '/schedules/{Name}',
      operation: 'DeleteSchedule',
      query: { groupName: 'GroupName', clientToken: 'ClientToken' },
    },
    { method: 'GET', path: '/schedules', operation: 'ListSchedules', query: { ScheduleGroup: 'GroupName', State: 'State', ...LIST } },
    { method: 'POST', path: '/schedule-groups/{Name}', operation: 'CreateScheduleGroup' },
    { method: 'GET', path: '/schedule-groups/{Name}', operation: 'GetScheduleGroup' },
    { method: 'GET', path: '/schedule-groups', operation: 'ListScheduleGroups', query: LIST },
  ],
  operations: schedulerOperations,
};

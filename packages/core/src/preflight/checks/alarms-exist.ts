import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { assertAlarmsExist } from '../../health/alarm-signals';
import type { PreflightCheck } from '../check';

export interface AlarmsExistOptions {
  cloudwatch: CloudWatchClient;
  names: string[];
  region: string;
}

/** Every named alarm exists: a misspelt name would never be in ALARM and would silently guard nothing. */
export function alarmsExistCheck(options: AlarmsExistOptions): PreflightCheck<undefined> {
  return {
    id: 'alarms-exist',
    title: 'Alarms exist',
    protects: false,
    permissions: ['cloudwatch:DescribeAlarms'],
    run: async () => {
      await assertAlarmsExist(options.cloudwatch, options.names, options.region);
      const count = options.names.length;
      return { status: 'pass', detail: `${count} alarm${count === 1 ? '' : 's'} found: ${options.names.join(', ')}` };
    },
  };
}

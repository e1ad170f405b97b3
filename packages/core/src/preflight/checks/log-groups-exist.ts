import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { ClientFactory } from '../../common/aws';
import { errorMessage, isAccessDenied } from '../../common/errors';
import type { RegistrableDefinition } from '../../task-definition/strip';
import { deniedAction } from '../check-errors';
import type { CheckResult, PreflightCheck } from '../check';

export interface LogGroupsExistOptions {
  definition: RegistrableDefinition | (() => Promise<RegistrableDefinition>);
  /** CloudWatch Logs clients in each group's region (awslogs-region, else the step's). */
  aws: ClientFactory;
  region: string;
  /** The input the revision comes from, for a missing group; `task-definition` by default. */
  input?: string;
}

interface GroupUse {
  container: string;
  group: string;
  region: string;
}

/**
 * Every awslogs log group the revision writes to exists, or its container sets `awslogs-create-group: "true"`:
 * without the group the awslogs driver cannot start and every task stops (developer guide, "Using the awslogs
 * log driver": "the log group must exist" unless awslogs-create-group is set). DescribeLogGroups by prefix,
 * matched by exact name, in the awslogs-region when one is set. AccessDenied is a warning naming
 * logs:DescribeLogGroups.
 */
export function logGroupsExistCheck(options: LogGroupsExistOptions): PreflightCheck<undefined> {
  return {
    id: 'log-groups-exist',
    title: 'Log groups exist',
    protects: false,
    permissions: ['logs:DescribeLogGroups'],
    run: async () => {
      const definition = typeof options.definition === 'function' ? await options.definition() : options.definition;
      const uses: GroupUse[] = [];
      let creating = 0;
      for (const container of definition.containerDefinitions ?? []) {
        const config = container.logConfiguration;
        const group = config?.options?.['awslogs-group'];
        if (config?.logDriver !== 'awslogs' || !group) continue;
        if (config.options?.['awslogs-create-group'] === 'true') creating++;
        else uses.push({ container: container.name ?? '(unnamed)', group, region: config.options?.['awslogs-region'] ?? options.region });
      }
      const created = creating
        ? `${creating} container${creating === 1 ? '' : 's'} create${creating === 1 ? 's' : ''} its group (awslogs-create-group)`
        : '';
      if (uses.length === 0) return { status: 'pass', detail: created || 'no container writes to an awslogs group' };
      const keys = [...new Set(uses.map((use) => `${use.region}\n${use.group}`))];
      const answers = new Map(
        await Promise.all(
          keys.map(async (key) => [key, await groupExists(options.aws, ...(key.split('\n') as [string, string]))] as const),
        ),
      );
      return verdict(uses, answers, created, options.input ?? 'task-definition');
    },
  };
}

type Answer = { exists: boolean } | { error: unknown };

async function groupExists(aws: ClientFactory, region: string, group: string): Promise<Answer> {
  const logs = aws(CloudWatchLogsClient, region);
  try {
    let nextToken: string | undefined;
    // Sorted by name, the exact name comes first among those it prefixes; pages only when many share the prefix.
    do {
      const page = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group, nextToken }));
      if (page.logGroups?.some((candidate) => candidate.logGroupName === group)) return { exists: true };
      nextToken = page.nextToken;
    } while (nextToken);
    return { exists: false };
  } catch (error) {
    return { error };
  }
}

function verdict(uses: GroupUse[], answers: Map<string, Answer>, created: string, input: string): CheckResult<undefined> {
  const answerOf = (use: GroupUse) => answers.get(`${use.region}\n${use.group}`) as Answer;
  const missing = uses.filter((use) => 'exists' in answerOf(use) && !(answerOf(use) as { exists: boolean }).exists);
  const unknown = uses.filter((use) => 'error' in answerOf(use));
  const warnings = unknown.map((use) => {
    const { error } = answerOf(use) as { error: unknown };
    const why = isAccessDenied(error)
      ? `the role may not call ${deniedAction(error) ?? 'logs:DescribeLogGroups'}`
      : `DescribeLogGroups answered ${(error as Error).name}: ${errorMessage(error)}`;
    return `log group ${use.group} (${use.region}) of container "${use.container}" was not checked: ${why}`;
  });
  if (missing.length)
    return {
      status: 'fail',
      input,
      detail: `${missing.map((use) => `Container "${use.container}" writes to log group ${use.group} (${use.region}), which does not exist`).join('; ')}${warnings.length ? `; ${warnings.join('; ')}` : ''}.`,
      fix:
        'Create it (aws logs create-log-group --log-group-name <name>), or set awslogs-create-group: "true" in its logConfiguration options ' +
        '(the task execution role then needs logs:CreateLogGroup). Nothing was changed.',
    };
  if (warnings.length) {
    const denied = unknown.some((use) => isAccessDenied((answerOf(use) as { error: unknown }).error));
    return {
      status: 'warn',
      detail: `${warnings.join('; ')}.`,
      fix: denied ? 'Grant logs:DescribeLogGroups to have it checked.' : undefined,
    };
  }
  const found = [...new Set(uses.map((use) => use.group))];
  const groups = found.length === 1 ? `log group ${found[0]} exists` : `log groups ${found.join(', ')} exist`;
  return { status: 'pass', detail: created ? `${groups}; ${created}` : groups };
}

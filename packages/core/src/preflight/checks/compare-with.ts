import { DescribeServicesCommand, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import { ConfigurationError } from '../../common/errors';
import { nameFromArn, shortTaskDefinition } from '../../common/identifiers';
import type { Logger } from '../../common/logger';
import type { ServiceReference } from '../../common/service-reference';
import type { ServingRevision } from '../../ecs/serving-revision';
import { codeBlock, heading, section } from '../../report/markdown';
import { describeDrift, type SetByStep } from '../../task-definition/drift';
import { describeTaskDefinition } from '../../task-definition/register';
import { stripTaskDefinition, type RegistrableDefinition } from '../../task-definition/strip';
import type { PreflightCheck } from '../check';

export interface CompareWithOptions {
  ecs: ECSClient;
  region: string;
  /** The service this step deploys, as described: its ARN says the account, and it is not compared with itself. */
  target: Service;
  compareWith: ServiceReference;
  /** The revision this step is about to register. */
  definition: RegistrableDefinition;
  /** What the step's inputs set (the environment input's names), left out of the report. */
  setByStep: SetByStep;
  /** The revision the other service serves, as its deployment mechanism reports it (the one way it is found). */
  servingRevision(service: Service): Promise<ServingRevision>;
}

/** What the check found, for the log's group and the job summary. */
export interface DriftReport {
  /** `production/web`: the service this step deploys. */
  ours: string;
  /** `staging/web`: the service compared with. */
  theirs: string;
  /** The other service's revision compared with. */
  theirArn: string;
  /** How that revision was found (its PRIMARY task set, its COMPLETED deployment...). */
  evidence: string;
  /** The differences, by name only (describeDrift). */
  lines: string[];
  /** What was left out because the step sets it. */
  setByStep: SetByStep;
}

const FIX = 'Give cluster/service of a service in the same account and region. Nothing was changed.';

/**
 * compare-with: the differences between the revision this step is about to register and the one another environment's
 * service serves, by name only, so staging's configuration drifting from production's is seen before production
 * changes. Information, never a verdict on its own: environments legitimately differ (a log level, a replica's
 * size), and only the reader knows which differences are meant. A compare-with that names no service in the step's
 * account and region is bad input and fails. DescribeServices and DescribeTaskDefinition only; a refused read is a
 * warning naming the permission.
 */
export function compareWithCheck(options: CompareWithOptions): PreflightCheck<DriftReport> {
  const { compareWith } = options;
  return {
    id: 'compare-with',
    title: `Compared with ${compareWith.label}`,
    protects: false,
    permissions: ['ecs:DescribeServices', 'ecs:DescribeTaskDefinition'],
    run: async () => {
      const ours = `${options.target.clusterArn ? nameFromArn(options.target.clusterArn) : '?'}/${options.target.serviceName}`;
      const account = accountOf(options.target.serviceArn);
      if (compareWith.account && account && compareWith.account !== account) {
        throw new ConfigurationError(
          `Input 'compare-with' names a service in account ${compareWith.account}, but ${ours} is in account ${account}: ` +
            `this step reads only its own account. ${FIX}`,
          'compare-with',
        );
      }
      const other = await describeOther(options.ecs, compareWith, options.region);
      if (other.serviceArn && other.serviceArn === options.target.serviceArn) {
        throw new ConfigurationError(
          `Input 'compare-with' names ${compareWith.label}, the service this step deploys: comparing it with itself says nothing. Give another environment's service. Nothing was changed.`,
          'compare-with',
        );
      }
      const serving = await options.servingRevision(other);
      const theirArn = serving.taskDefinitionArn ?? other.taskDefinition;
      if (!theirArn) throw new Error(`Service ${compareWith.label} has no task definition.`);
      const evidence = serving.taskDefinitionArn ? serving.evidence : `its service's taskDefinition, since ${serving.evidence}`;
      const theirs = stripTaskDefinition((await describeTaskDefinition(options.ecs, theirArn)).definition);
      const lines = describeDrift(options.definition, theirs, { ours, theirs: compareWith.label }, options.setByStep);
      const count = lines.length === 0 ? 'no differences' : `${lines.length} difference${lines.length === 1 ? '' : 's'}`;
      return {
        status: 'pass',
        input: 'compare-with',
        detail: `${count} from ${shortTaskDefinition(theirArn)}, which ${compareWith.label} runs${lines.length ? ' (by name in the log and the job summary)' : ''}`,
        value: { ours, theirs: compareWith.label, theirArn, evidence, lines, setByStep: options.setByStep },
      };
    },
  };
}

/** The other service, or bad input naming compare-with: DescribeServices answers a missing one with a failure, not an error. */
async function describeOther(ecs: ECSClient, reference: ServiceReference, region: string): Promise<Service> {
  let answer;
  try {
    answer = await ecs.send(new DescribeServicesCommand({ cluster: reference.cluster, services: [reference.service] }));
  } catch (error) {
    if ((error as Error).name === 'ClusterNotFoundException') {
      throw new ConfigurationError(`Input 'compare-with': there is no cluster "${reference.cluster}" in ${region}. ${FIX}`, 'compare-with');
    }
    throw error;
  }
  const found = answer.services?.find((service) => service.status !== 'INACTIVE');
  if (!found) {
    const why = answer.failures?.[0]?.reason ?? 'MISSING';
    throw new ConfigurationError(
      `Input 'compare-with': there is no active service "${reference.service}" in cluster "${reference.cluster}" (${region}): ${why}. ${FIX}`,
      'compare-with',
    );
  }
  return found;
}

function accountOf(arn: string | undefined): string | undefined {
  return arn?.split(':')[4] || undefined;
}

/** What was compared and what was left out, the first line of the report in the log and the summary. */
function comparedSentence(report: DriftReport): string {
  const names = [...new Set(report.setByStep.flatMap((setting) => (setting.field === 'image' ? [] : [setting.name])))];
  const environment = names.length ? `, and the environment variables and secrets this step sets (${names.join(', ')})` : '';
  return (
    `The revision this step registers for ${report.ours}, against ${shortTaskDefinition(report.theirArn)}, which ${report.theirs} runs (${report.evidence}). ` +
    `Not compared: the images (the build being promoted) and the family${environment}. Names only: no value is shown.`
  );
}

/** The report in the job log: one collapsible group, since a drifted pair may differ in many names. */
export async function logDriftReport(report: DriftReport, log: Logger): Promise<void> {
  const count = report.lines.length === 0 ? 'no differences' : `${report.lines.length} difference${report.lines.length === 1 ? '' : 's'}`;
  await log.group(`Compared with ${report.theirs}: ${count}`, async () => {
    log.info(comparedSentence(report));
    log.info(report.lines.length ? report.lines.map((line) => `  ${line}`).join('\n') : '  no differences');
  });
}

/** The report in the job summary, after the pre-flight table. */
export function driftReportMarkdown(report: DriftReport): string {
  return section(
    heading(`Compared with ${report.theirs}`, 3),
    comparedSentence(report),
    report.lines.length ? codeBlock(report.lines) : 'No differences.',
  );
}

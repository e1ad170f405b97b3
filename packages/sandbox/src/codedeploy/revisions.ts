/**
 * Application revisions of an ECS application: RegisterApplicationRevision, GetApplicationRevision and
 * ListApplicationRevisions (API reference). An ECS revision is an AppSpecContent, "the same as the AppSpec file"
 * (AppSpecContent), known by its sha256: GetDeployment gives a deployment's revision without its content ("The
 * content property of the appSpecContent object in the returned revision is always null. Use GetApplicationRevision
 * and the sha256 property of the returned appSpecContent object to get the content", GetDeployment), so every
 * deployment registers the revision it deploys. *Unconfirmed*: that CodeDeploy computes the sha256 when
 * CreateDeployment gives none, that ListApplicationRevisions lists AppSpecContent revisions (its filters are
 * S3's), and the wording of RevisionDoesNotExistException.
 */
import { createHash } from 'node:crypto';
import type { Context } from '../context';
import { AwsError } from '../errors';
import type { Json } from '../ecs/state';
import { revisionContent } from './appspec';
import { invalidRevision, revisionRequired } from './errors';
import { applicationName, requireApplication } from './names';
import { page } from './pages';
import type { DeploymentRecord, RevisionRecord } from './state';

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);
const key = (application: string, sha256: string) => `${application}/${sha256}`;
const sha256Of = (content: string) => createHash('sha256').update(content).digest('hex');

/** The messages are the model's descriptions of the exceptions. */
const revisionDoesNotExist = () =>
  new AwsError('RevisionDoesNotExistException', 'The named revision does not exist with the user or Amazon Web Services account.');

/** The AppSpecContent revision as CodeDeploy keeps it: its content and its sha256. */
type Revision = NonNullable<DeploymentRecord['revision']>;

export function normalizeRevision(revision: unknown): Revision {
  const content = revisionContent(revision);
  return { revisionType: 'AppSpecContent', appSpecContent: { content, sha256: sha256Of(content) } };
}

/** A revision as GetDeployment and ListApplicationRevisions give it: no content, only its sha256. */
export function renderRevisionLocation(revision: DeploymentRecord['revision']): Json | undefined {
  if (!revision) return undefined;
  return { revisionType: 'AppSpecContent', appSpecContent: { sha256: revision.appSpecContent.sha256 } };
}

function register(ctx: Context, application: string, revision: Revision, description?: string): RevisionRecord {
  const { content, sha256 } = revision.appSpecContent;
  const known = ctx.codedeploy.revisions.get(key(application, sha256));
  if (known) {
    if (description !== undefined) known.description = description;
    return known;
  }
  const record: RevisionRecord = {
    applicationName: application,
    content,
    sha256,
    description,
    registerTime: ctx.clock.now(),
    deploymentGroups: [],
  };
  ctx.codedeploy.revisions.set(key(application, sha256), record);
  return record;
}

/** A deployment uses its revision: registered if it was not, its first and last use and its group noted. */
export function useRevision(ctx: Context, deployment: DeploymentRecord): void {
  if (!deployment.revision) return;
  const record = register(ctx, deployment.applicationName, deployment.revision);
  const now = ctx.clock.now();
  record.firstUsedTime ??= now;
  record.lastUsedTime = now;
  if (!record.deploymentGroups.includes(deployment.deploymentGroupName)) record.deploymentGroups.push(deployment.deploymentGroupName);
}

/** Which revision a GetApplicationRevision names: its sha256 (the content's, when only content is given). */
function requestedSha256(revision: unknown): string {
  const given = revision as Json | undefined;
  if (!given || typeof given !== 'object') throw revisionRequired();
  if (given.revisionType !== 'AppSpecContent')
    throw invalidRevision(`The sandbox keeps ECS revisions as revisionType AppSpecContent, got ${JSON.stringify(given.revisionType)}.`);
  const spec = (given.appSpecContent ?? {}) as Json;
  if (typeof spec.sha256 === 'string' && spec.sha256 !== '') return spec.sha256;
  if (typeof spec.content === 'string' && spec.content !== '') return sha256Of(spec.content);
  throw invalidRevision('appSpecContent needs its sha256 or its content.');
}

const SORT_BY = ['registerTime', 'firstUsedTime', 'lastUsedTime'];

export const revisionOperations = {
  RegisterApplicationRevision(ctx: Context, input: Json) {
    const application = applicationName(input);
    requireApplication(ctx, application);
    if (input.revision === undefined) throw revisionRequired();
    register(ctx, application, normalizeRevision(input.revision), typeof input.description === 'string' ? input.description : undefined);
    return {};
  },

  GetApplicationRevision(ctx: Context, input: Json) {
    const application = applicationName(input);
    requireApplication(ctx, application);
    const sha256 = requestedSha256(input.revision);
    const record = ctx.codedeploy.revisions.get(key(application, sha256));
    if (!record) throw revisionDoesNotExist();
    const revisionInfo: Json = {
      description: record.description,
      deploymentGroups: record.deploymentGroups,
      firstUsedTime: seconds(record.firstUsedTime),
      lastUsedTime: seconds(record.lastUsedTime),
      registerTime: seconds(record.registerTime),
    };
    for (const field of Object.keys(revisionInfo)) if (revisionInfo[field] === undefined) delete revisionInfo[field];
    return {
      applicationName: application,
      revision: { revisionType: 'AppSpecContent', appSpecContent: { content: record.content, sha256: record.sha256 } },
      revisionInfo,
    };
  },

  /** sortBy registerTime (the default here, *unconfirmed*), firstUsedTime or lastUsedTime; deployed include, exclude or ignore. */
  ListApplicationRevisions(ctx: Context, input: Json) {
    const application = applicationName(input);
    requireApplication(ctx, application);
    const sortBy = (input.sortBy as string | undefined) ?? 'registerTime';
    if (!SORT_BY.includes(sortBy))
      throw new AwsError(
        'InvalidSortByException',
        'The column name to sort by is either not present or was specified in an invalid format.',
      );
    const order = (input.sortOrder as string | undefined) ?? 'ascending';
    if (order !== 'ascending' && order !== 'descending')
      throw new AwsError('InvalidSortOrderException', 'The sort order was specified in an invalid format.');
    const deployed = (input.deployed as string | undefined) ?? 'ignore';
    if (!['include', 'exclude', 'ignore'].includes(deployed))
      throw new AwsError('InvalidDeployedStateFilterException', 'The deployed state filter was specified in an invalid format.');
    const when = (r: RevisionRecord) =>
      (sortBy === 'registerTime' ? r.registerTime : sortBy === 'firstUsedTime' ? r.firstUsedTime : r.lastUsedTime) ?? 0;
    const revisions = [...ctx.codedeploy.revisions.values()]
      .filter((r) => r.applicationName === application)
      .filter((r) => deployed === 'ignore' || (deployed === 'include') === (r.firstUsedTime !== undefined))
      .sort((a, b) => (order === 'ascending' ? when(a) - when(b) : when(b) - when(a)))
      .map((r) => ({ revisionType: 'AppSpecContent', appSpecContent: { sha256: r.sha256 } }));
    return page(revisions, input, 'revisions');
  },
};

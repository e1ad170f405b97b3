import { GetApplicationRevisionCommand, type CodeDeployClient, type DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { errorMessage, isAccessDenied } from '../../common/errors';
import { isTransientAwsError } from '../../common/retry';
import { appSpecTaskDefinition } from './appspec';

/** The task definition a CodeDeploy deployment deploys, or why it could not be read. */
export interface DeployedRevision {
  /** Its AppSpec's TaskDefinition; undefined when the deployment names no revision or its AppSpec cannot be read. */
  taskDefinitionArn?: string;
  /** Set when GetApplicationRevision failed: the error, naming codedeploy:GetApplicationRevision when it was refused. */
  unreadable?: string;
  /** GetApplicationRevision answered AccessDenied: granting codedeploy:GetApplicationRevision is the fix. */
  refused?: boolean;
}

// The revisions read in this run, by application and sha256: a sha256 names one content, so a read never goes stale.
// Kept per client, one a run, so that each run (and each unit test's client) starts empty.
const readByClient = new WeakMap<CodeDeployClient, Map<string, Promise<Read>>>();

// GetApplicationRevision calls at a time when several revisions are read: in parallel, not a burst that throttles.
const PARALLEL_READS = 10;

/**
 * The task definition a deployment deploys. An ECS deployment's revision is a RevisionLocation of revisionType
 * AppSpecContent, whose AppSpecContent has the AppSpec `content` and its `sha256` (API reference, RevisionLocation
 * and AppSpecContent). GetDeployment's page says that in the revision it returns "the content property of the
 * appSpecContent object ... is always null" and to use GetApplicationRevision with its sha256 for the content
 * (API reference, GetDeployment, Note); BatchGetDeployments' page says nothing either way. Which one AWS really
 * answers is *unconfirmed* (no answer of AWS's was seen), so both work: the content when the deployment carries it,
 * else GetApplicationRevision {applicationName, revision: {revisionType: AppSpecContent, appSpecContent: {sha256}}},
 * once per application and sha256 in a run. Never throws: a refused or failed read is said in `unreadable`, and
 * the caller falls back (the replacement task set's revision for a deployment in flight) or says it cannot tell.
 */
export async function deployedRevision(codedeploy: CodeDeployClient, deployment: DeploymentInfo): Promise<DeployedRevision> {
  const spec = deployment.revision?.appSpecContent;
  if (spec?.content) return { taskDefinitionArn: appSpecTaskDefinition(spec.content) };
  const application = deployment.applicationName;
  if (!spec?.sha256 || !application) return {};
  let reads = readByClient.get(codedeploy);
  if (!reads) readByClient.set(codedeploy, (reads = new Map()));
  const key = `${application}/${spec.sha256}`;
  const known = reads.get(key);
  if (known) return strip(await known);
  const read = readApplicationRevision(codedeploy, application, spec.sha256);
  reads.set(key, read);
  const answer = await read;
  // A throttle or a 5xx that outlasted the SDK's retries may pass: the next caller tries again.
  if (answer.transient) reads.delete(key);
  return strip(answer);
}

/**
 * The task definitions of several deployments, by deployment: one GetApplicationRevision per distinct revision
 * (deployments of the same AppSpec share it), up to PARALLEL_READS at a time.
 */
export async function deployedRevisions(
  codedeploy: CodeDeployClient,
  deployments: readonly DeploymentInfo[],
): Promise<Map<DeploymentInfo, DeployedRevision>> {
  const unique = [...new Set(deployments)];
  const found = new Map<DeploymentInfo, DeployedRevision>();
  // The first of each revision is read; the others then find it read.
  const firsts = new Map<string, DeploymentInfo>();
  for (const deployment of unique) {
    const spec = deployment.revision?.appSpecContent;
    const key = spec?.content ? undefined : `${deployment.applicationName}/${spec?.sha256}`;
    if (key && !firsts.has(key)) firsts.set(key, deployment);
  }
  const toRead = [...firsts.values()];
  for (let at = 0; at < toRead.length; at += PARALLEL_READS) {
    await Promise.all(toRead.slice(at, at + PARALLEL_READS).map((deployment) => deployedRevision(codedeploy, deployment)));
  }
  for (const deployment of unique) found.set(deployment, await deployedRevision(codedeploy, deployment));
  return found;
}

/** The task definition alone, for callers whose fallback or message needs no reason. */
export async function deployedTaskDefinition(codedeploy: CodeDeployClient, deployment: DeploymentInfo): Promise<string | undefined> {
  return (await deployedRevision(codedeploy, deployment)).taskDefinitionArn;
}

type Read = DeployedRevision & { transient?: boolean };

async function readApplicationRevision(codedeploy: CodeDeployClient, applicationName: string, sha256: string): Promise<Read> {
  try {
    const answer = await codedeploy.send(
      new GetApplicationRevisionCommand({ applicationName, revision: { revisionType: 'AppSpecContent', appSpecContent: { sha256 } } }),
    );
    return { taskDefinitionArn: appSpecTaskDefinition(answer.revision?.appSpecContent?.content) };
  } catch (error) {
    const said = `${(error as Error).name}: ${errorMessage(error)}`;
    if (isAccessDenied(error)) {
      return {
        refused: true,
        unreadable: `GetApplicationRevision of application ${applicationName} was refused (${said}): grant codedeploy:GetApplicationRevision on the application`,
      };
    }
    return {
      unreadable: `GetApplicationRevision of application ${applicationName} failed (${said})`,
      transient: isTransientAwsError(error),
    };
  }
}

function strip({ transient: _transient, ...revision }: Read): DeployedRevision {
  return revision;
}

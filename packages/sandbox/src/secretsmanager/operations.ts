/**
 * Secrets Manager's operations, as far as this suite and its tests use them (AWS Secrets Manager API reference):
 * CreateSecret, PutSecretValue and UpdateSecretVersionStage to make secrets and versions, DescribeSecret for
 * metadata (with VersionIdsToStages, never a value: what the pre-flight asks), GetSecretValue for a value (what
 * the ECS agent asks when a task starts; the product never calls it).
 */
import type { Context } from '../context';
import { exists, invalidParameter, invalidRequest, notFound, otherAccountDenied, valueNotFound } from './errors';
import type { SecretRecord } from './state';

type Json = Record<string, unknown>;
/** CreateSecret's Name: 1 to 512 of letters, digits and /_+=.@- (API reference). */
const NAME = /^[\w/+=.@-]{1,512}$/;

const seconds = (ms: number) => ms / 1000;
const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

function requireSecret(ctx: Context, input: Json, action: string): SecretRecord {
  const id = text(input.SecretId);
  if (!id)
    throw invalidParameter('Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!');
  const found = ctx.secretsManager.find(id);
  if ('otherAccount' in found)
    throw otherAccountDenied(`arn:${ctx.arns.partition}:iam::${ctx.accountId}:root`, `secretsmanager:${action}`, id);
  if ('missing' in found) throw notFound();
  return found.secret;
}

function valueOf(input: Json): { string?: string; binary?: string } {
  const string = typeof input.SecretString === 'string' ? input.SecretString : undefined;
  const binary = typeof input.SecretBinary === 'string' ? input.SecretBinary : undefined;
  if (string !== undefined && binary !== undefined)
    throw invalidParameter('You can only specify one of SecretString or SecretBinary in a single call.');
  return { ...(string !== undefined ? { string } : {}), ...(binary !== undefined ? { binary } : {}) };
}

/** Only versions with a staging label are listed: "Versions that don't have staging labels are considered deprecated". */
const versionIdsToStages = (secret: SecretRecord) =>
  Object.fromEntries(secret.versions.filter((version) => version.stages.length > 0).map((version) => [version.id, [...version.stages]]));

export const secretsManagerOperations: Record<string, (ctx: Context, input: Json) => Json> = {
  CreateSecret(ctx, input) {
    const name = text(input.Name);
    if (!name || !NAME.test(name))
      throw invalidParameter('Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!');
    if (ctx.secretsManager.secrets.has(name)) throw exists(name);
    const value = valueOf(input);
    const now = ctx.clock.now();
    const secret = ctx.secretsManager.create(name, now);
    if (text(input.Description)) secret.description = input.Description as string;
    const hasValue = value.string !== undefined || value.binary !== undefined;
    // The SDK fills ClientRequestToken (an idempotency token), which becomes the first version's id.
    const version = hasValue ? ctx.secretsManager.putVersion(secret, value, now, text(input.ClientRequestToken)) : undefined;
    return { ARN: secret.arn, Name: secret.name, ...(version ? { VersionId: version.id } : {}) };
  },

  DescribeSecret(ctx, input) {
    const secret = requireSecret(ctx, input, 'DescribeSecret');
    return {
      ARN: secret.arn,
      Name: secret.name,
      ...(secret.description !== undefined ? { Description: secret.description } : {}),
      CreatedDate: seconds(secret.createdDate),
      LastChangedDate: seconds(secret.lastChangedDate),
      VersionIdsToStages: versionIdsToStages(secret),
    };
  },

  PutSecretValue(ctx, input) {
    const secret = requireSecret(ctx, input, 'PutSecretValue');
    const value = valueOf(input);
    if (value.string === undefined && value.binary === undefined)
      throw invalidRequest('You must provide either SecretString or SecretBinary.');
    const stages = Array.isArray(input.VersionStages) ? (input.VersionStages as unknown[]).map(String) : undefined;
    const version = ctx.secretsManager.putVersion(secret, value, ctx.clock.now(), text(input.ClientRequestToken), stages);
    return { ARN: secret.arn, Name: secret.name, VersionId: version.id, VersionStages: [...version.stages] };
  },

  UpdateSecretVersionStage(ctx, input) {
    const secret = requireSecret(ctx, input, 'UpdateSecretVersionStage');
    const stage = text(input.VersionStage);
    if (!stage) throw invalidParameter('VersionStage must be specified.');
    const moveTo = text(input.MoveToVersionId);
    const removeFrom = text(input.RemoveFromVersionId);
    const holder = secret.versions.find((version) => version.stages.includes(stage));
    const target = moveTo ? secret.versions.find((version) => version.id === moveTo) : undefined;
    if (moveTo && !target) throw notFound();
    // "If the staging label is already attached to a different version of the secret, then you must also specify
    // the RemoveFromVersionId parameter" (API reference).
    if (target && holder && holder !== target && removeFrom !== holder.id)
      throw invalidParameter(
        `The parameter RemoveFromVersionId can't be empty. Staging label ${stage} is currently attached to version ${holder.id}, so you must explicitly reference that version in RemoveFromVersionId.`,
      );
    if (removeFrom && holder?.id !== removeFrom)
      throw invalidParameter(`The staging label ${stage} is not attached to version ${removeFrom}.`);
    ctx.secretsManager.moveStage(secret, stage, target);
    secret.lastChangedDate = ctx.clock.now();
    return { ARN: secret.arn, Name: secret.name };
  },

  GetSecretValue(ctx, input) {
    const secret = requireSecret(ctx, input, 'GetSecretValue');
    const versionId = text(input.VersionId);
    const versionStage = text(input.VersionStage);
    const version = ctx.secretsManager.version(secret, { versionId, versionStage });
    if (!version) throw valueNotFound(versionId ? `VersionId: ${versionId}` : `staging label: ${versionStage ?? 'AWSCURRENT'}`);
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: version.id,
      ...(version.value !== undefined ? { SecretString: version.value } : {}),
      ...(version.binary !== undefined ? { SecretBinary: version.binary } : {}),
      VersionStages: [...version.stages],
      CreatedDate: seconds(version.createdDate),
    };
  },
};

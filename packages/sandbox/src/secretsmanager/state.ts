/**
 * Secrets Manager state: the secrets of the sandbox's account and region, each with its versions and the staging
 * labels on them (Secrets Manager user guide, "What's in a Secrets Manager secret?": a label is on at most one
 * version of a secret; AWSCURRENT is the one a caller gets by default, AWSPREVIOUS the one before it).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { partitionOfRegion } from '../arns';

export interface SecretVersion {
  id: string;
  /** SecretString; a SecretBinary is kept base64-encoded, as the wire carries it. */
  value?: string;
  binary?: string;
  stages: string[];
  createdDate: number;
}

export interface SecretRecord {
  name: string;
  arn: string;
  description?: string;
  createdDate: number;
  lastChangedDate: number;
  /** In the order they were created. */
  versions: SecretVersion[];
}

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const ARN = /^arn:aws[a-z-]*:secretsmanager:([^:]*):([^:]*):secret:([^:]+)$/;

/** What a SecretId names: a secret here, nothing here, or a secret of another account (which this one may not read). */
export type SecretLookup = { secret: SecretRecord } | { missing: true } | { otherAccount: string };

export class SecretsManagerStore {
  readonly secrets = new Map<string, SecretRecord>();

  constructor(
    private readonly region: string,
    private readonly accountId: string,
  ) {}

  /**
   * Secrets Manager "adds a hyphen and six random characters" to the name in a secret's ARN (user guide,
   * "Finding a secret from a partial ARN"); a seed may give the complete ARN it wants.
   */
  create(name: string, now: number, arn?: string): SecretRecord {
    const suffix = Array.from(randomBytes(6), (b) => SUFFIX_ALPHABET[b % SUFFIX_ALPHABET.length]).join('');
    const record: SecretRecord = {
      name,
      arn: arn ?? `arn:${partitionOfRegion(this.region)}:secretsmanager:${this.region}:${this.accountId}:secret:${name}-${suffix}`,
      createdDate: now,
      lastChangedDate: now,
      versions: [],
    };
    this.secrets.set(name, record);
    return record;
  }

  /**
   * A SecretId as DescribeSecret takes it (API reference: "The ARN or name of the secret"): a complete ARN, a
   * partial ARN (without the six random characters), or a name. A name with the random suffix but no ARN names
   * nothing ("If you do include the random suffix ... you receive either a ResourceNotFoundException or an
   * AccessDeniedException", GetSecretValue). An ARN of another region names nothing here (the sandbox is one
   * region); of another account, a secret this account may not read.
   */
  find(secretId: string): SecretLookup {
    const arn = ARN.exec(secretId);
    if (!arn) {
      const secret = this.secrets.get(secretId);
      return secret ? { secret } : { missing: true };
    }
    const [, region, account, name] = arn;
    if (account !== this.accountId) return { otherAccount: account };
    if (region !== this.region) return { missing: true };
    for (const secret of this.secrets.values()) if (secret.arn === secretId) return { secret };
    const partial = this.secrets.get(name);
    return partial ? { secret: partial } : { missing: true };
  }

  /**
   * A new version with `stages` (AWSCURRENT by default, PutSecretValue): each label moves to it from the version
   * that had it, and when AWSCURRENT moves, the version that had it gets AWSPREVIOUS ("Secrets Manager
   * automatically moves the staging label AWSPREVIOUS to the version that AWSCURRENT was removed from").
   */
  putVersion(
    secret: SecretRecord,
    value: { string?: string; binary?: string },
    now: number,
    versionId: string = randomUUID(),
    stages = ['AWSCURRENT'],
  ): SecretVersion {
    const existing = secret.versions.find((version) => version.id === versionId);
    if (existing) return existing;
    const version: SecretVersion = {
      id: versionId,
      ...(value.string !== undefined ? { value: value.string } : {}),
      ...(value.binary !== undefined ? { binary: value.binary } : {}),
      stages: [],
      createdDate: now,
    };
    secret.versions.push(version);
    for (const stage of stages) this.moveStage(secret, stage, version);
    secret.lastChangedDate = now;
    return version;
  }

  /** Puts `stage` on `to` (off the version that had it); AWSCURRENT leaves AWSPREVIOUS on the version it left. */
  moveStage(secret: SecretRecord, stage: string, to: SecretVersion | undefined): void {
    const from = secret.versions.find((version) => version.stages.includes(stage));
    if (from === to) return;
    if (from) from.stages = from.stages.filter((label) => label !== stage);
    if (to) to.stages.push(stage);
    if (stage === 'AWSCURRENT' && from && to) this.moveStage(secret, 'AWSPREVIOUS', from);
  }

  /** The version a reference selects: by id, by staging label, else AWSCURRENT. */
  version(secret: SecretRecord, select: { versionId?: string; versionStage?: string }): SecretVersion | undefined {
    if (select.versionId) {
      const byId = secret.versions.find((version) => version.id === select.versionId);
      return byId && (!select.versionStage || byId.stages.includes(select.versionStage)) ? byId : undefined;
    }
    const stage = select.versionStage ?? 'AWSCURRENT';
    return secret.versions.find((version) => version.stages.includes(stage));
  }
}

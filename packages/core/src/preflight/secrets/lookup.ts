/** What the look-up of one secret reference found: it exists, it does not, or the look-up had no answer. */
export type SecretAnswer =
  | { kind: 'found'; secret?: SecretMetadata }
  | { kind: 'missing' }
  /** Found, but not as the reference needs it: the version stage or id it names, a secret scheduled for deletion. */
  | { kind: 'unusable'; why: string }
  | { kind: 'unknown'; error: unknown; action: string };

/** What DescribeSecret tells of a secret: metadata only, never a value. */
export interface SecretMetadata {
  arn?: string;
  versionIdsToStages: Record<string, string[]>;
  deletedDate?: Date;
}

/** What the sandbox's ECR Public keeps itself; images live in the same real registry as private ECR's. */

export interface PublicRepositoryRecord {
  repositoryName: string;
  repositoryArn: string;
  registryId: string;
  /** `<registry host>/<alias>/<name>`: where images are pushed and pulled. */
  repositoryUri: string;
  createdAt: number;
  /** CreateRepository's catalogData, kept as given (the sandbox has no gallery). */
  catalogData?: Record<string, unknown>;
}

export interface EcrPublicState {
  /**
   * The registry's default alias, which it is given with its first repository (ECR Public API reference,
   * RegistryAlias: "When the first public repository is created, your public registry is assigned a default registry
   * alias"); undefined before then.
   */
  alias?: string;
  repositories: Map<string, PublicRepositoryRecord>;
}

/**
 * The alias the sandbox gives: real default aliases are random (a letter then letters and digits); this one is the
 * account's, so a sandbox's images are found under the same path on every run (*unconfirmed* choice).
 */
export const defaultAliasOf = (accountId: string) => `sandbox${accountId.slice(-4)}`;

export const emptyEcrPublicState = (): EcrPublicState => ({ repositories: new Map() });

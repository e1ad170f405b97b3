/** What the sandbox's ECR keeps itself; images live in the real registry and are read from it on every call. */

export interface RegistryOptions {
  /** Where the registry answers HTTP API v2, e.g. `http://127.0.0.1:5055`. Its host is the repositories' URI host. */
  endpoint: string;
  username: string;
  password: string;
}

export interface ScanFinding {
  name: string;
  severity: 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL' | 'UNDEFINED';
  description?: string;
  uri?: string;
  attributes?: Array<{ key: string; value: string }>;
}

export interface RepositoryRecord {
  repositoryName: string;
  repositoryArn: string;
  repositoryUri: string;
  registryId: string;
  createdAt: number;
  imageTagMutability: string;
  imageTagMutabilityExclusionFilters?: Array<{ filterType: string; filter: string }>;
  scanOnPush: boolean;
  /** SetRepositoryPolicy's text: what the repository grants callers of other accounts (cross-account.ts). */
  policyText?: string;
  /** PutLifecyclePolicy's text, kept (the sandbox expires nothing). */
  lifecyclePolicyText?: string;
}

export interface EcrState {
  registry?: RegistryOptions;
  repositories: Map<string, RepositoryRecord>;
  /**
   * Repositories of other accounts' registries (a central registry), by registry id then name: made by their owner
   * (SeedState.otherAccountRepositories), with the repository policy that owner gave them. Their images live in the
   * same real registry, under the repository's name.
   */
  otherRegistries: Map<string, Map<string, RepositoryRecord>>;
  /** Findings a test injected, by repository then by digest or tag (a tag is resolved when asked). */
  findings: Map<string, Map<string, ScanFinding[]>>;
  /** When the sandbox first saw each `repository@digest`: the registry does not record push times. */
  firstSeen: Map<string, number>;
  /**
   * The image repositories of the task runtime's catalog (`<host>/<path>`), which other accounts' registries hold
   * (see other-accounts.ts); undefined without a catalog, when they hold every image.
   */
  catalogued?: string[];
  /** Whether a test scripted the image (sandbox.script): the scripted runtime plays it, so it is pulled. */
  scripted?: (image: string) => boolean;
}

export function emptyEcrState(registry?: RegistryOptions, catalogued?: string[], scripted?: (image: string) => boolean): EcrState {
  return { registry, repositories: new Map(), otherRegistries: new Map(), findings: new Map(), firstSeen: new Map(), catalogued, scripted };
}

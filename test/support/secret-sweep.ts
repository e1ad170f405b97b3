import type { RecordedRequest } from '../../packages/core/test/support/fake-github';

/**
 * Known secret values the e2e suite plants into the inputs that take credentials, so that every run of a bundled
 * action can be swept for them. Each is unique enough never to appear by chance.
 */
export const PLANTED = {
  /** A value under a credential-like name in `environment` (API_TOKEN=...). */
  environmentToken: 'planted-env-token-7c1e9a4f',
  /** The password of a DATABASE_URL in `environment`. */
  databasePassword: 'planted-db-pass-3d8b0e',
  /** An `Authorization` header value given to verify-health. */
  headerValue: 'Bearer planted-header-5b2d61c7',
} as const;

/** A DATABASE_URL carrying the planted password, as a workflow would pass it to a migration or a service. */
export const PLANTED_DATABASE_URL = `postgres://shop:${PLANTED.databasePassword}@db.internal:5432/shop`;

/**
 * `environment` lines carrying the planted credentials, to add to the environment an e2e test passes. A test whose
 * real process connects to DATABASE_URL names the planted URL otherwise.
 */
export function plantedEnvironment(urlName = 'DATABASE_URL'): string {
  return [`${urlName}=${PLANTED_DATABASE_URL}`, `API_TOKEN=${PLANTED.environmentToken}`].join('\n');
}

/** Secrets shorter than this are not swept: "1" or "true" would match everywhere, and no credential is that short. */
const MIN_LENGTH = 6;

const registered = new Set<string>(Object.values(PLANTED));

/** Adds a value every later run of a bundled action is swept for (the ECR password, a token a test hands out, ...). */
export function registerSecret(value: string): void {
  if (value.length >= MIN_LENGTH) registered.add(value);
}

const CREDENTIAL_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL/i;

/**
 * The secrets a run's own inputs carry, whatever the test: the github-token, every header value, the values of
 * credential-named `environment` entries and the password of any URL among them.
 */
export function secretsInInputs(inputs: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(inputs)) {
    if (name === 'github-token') found.push(value);
    for (const line of value.split(/\r?\n/)) {
      if (name === 'headers') {
        const colon = line.indexOf(':');
        if (colon > 0) found.push(line.slice(colon + 1).trim());
      }
      if (name === 'environment') {
        const equals = line.indexOf('=');
        if (equals > 0 && CREDENTIAL_NAME.test(line.slice(0, equals))) found.push(line.slice(equals + 1).trim());
      }
      const password = /[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:([^@\s]+)@/i.exec(line)?.[1];
      if (password) found.push(password);
    }
  }
  return found.filter((value) => value.length >= MIN_LENGTH);
}

export interface SweptRun {
  /** stdout and stderr lines, in arrival order. */
  lines: string[];
  /** The raw contents of the $GITHUB_OUTPUT file. */
  outputFile: string;
  /** The raw contents of the $GITHUB_STEP_SUMMARY file. */
  summaryFile: string;
  /** The requests the fake GitHub recorded while the run lasted (Deployments and their statuses). */
  githubRequests: RecordedRequest[];
}

export interface Leak {
  where: string;
  line: number;
  secret: string;
  text: string;
}

/**
 * Finds every secret of `secrets` that a run let out.
 *
 * The job log: the runner replaces a value with *** in every log line after the step's `::add-mask::<value>`
 * command (core.setSecret), so a value after its mask is safe, and the add-mask line itself is consumed. A value
 * printed before its mask, or never masked, reaches the log as it is: a leak.
 * Files and payloads: the step's output file, its job summary and the Deployment requests are not the log.
 * Outputs holding a secret are withheld from later jobs, a summary is shown to everyone who can read the run,
 * and GitHub stores a Deployment's payload and descriptions as they were sent: any occurrence there is a leak.
 */
export function findLeaks(run: SweptRun, secrets: Iterable<string>): Leak[] {
  const wanted = [...new Set(secrets)].filter((value) => value.length >= MIN_LENGTH);
  if (wanted.length === 0) return [];
  const leaks: Leak[] = [];
  const masked = new Set<string>();
  run.lines.forEach((text, index) => {
    const mask = /^::add-mask::(.*)$/.exec(text);
    if (mask) {
      masked.add(decodeCommandData(mask[1]));
      return;
    }
    for (const secret of wanted) {
      if (text.includes(secret) && maskLine(text, masked).includes(secret)) leaks.push({ where: 'the log', line: index + 1, secret, text });
    }
  });
  const inFile = (where: string, content: string) =>
    content.split('\n').forEach((text, index) => {
      for (const secret of wanted) if (text.includes(secret)) leaks.push({ where, line: index + 1, secret, text });
    });
  inFile('the $GITHUB_OUTPUT file', run.outputFile);
  inFile('the $GITHUB_STEP_SUMMARY file', run.summaryFile);
  for (const request of run.githubRequests) {
    inFile(`the body of ${request.method} ${request.path} to GitHub`, JSON.stringify(request.body, null, 1));
  }
  return leaks;
}

/** A message naming where each leak is, with the secret itself replaced: the test's failure must not leak it either. */
export function describeLeaks(leaks: Leak[]): string {
  return leaks
    .map((leak) => `secret ${maskedForm(leak.secret)} in ${leak.where}, line ${leak.line}: ${leak.text.split(leak.secret).join('***')}`)
    .join('\n');
}

/** The line as the runner shows it: each masked value, longest first, replaced by ***. */
function maskLine(text: string, masked: Set<string>): string {
  return [...masked]
    .filter(Boolean)
    .sort((a, b) => b.length - a.length)
    .reduce((line, value) => line.split(value).join('***'), text);
}

function maskedForm(secret: string): string {
  return `of ${secret.length} characters`;
}

function decodeCommandData(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

/** The secrets every run is swept for, besides those of its own inputs. */
export function registeredSecrets(): string[] {
  return [...registered];
}

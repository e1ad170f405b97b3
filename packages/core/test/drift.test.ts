import { describe, expect, test } from '@jest/globals';
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { describeDrift } from '../src/task-definition/drift';
import type { RegistrableDefinition } from '../src/task-definition/strip';
import { described, handWritten } from './support/task-definitions';

// Values that look like what a revision carries and must never reach a log line.
const DATABASE_URL = 'postgres://shop:pr0d-pa55w0rd-9f3e@db.internal:5432/shop';
const STAGING_DATABASE_URL = 'postgres://shop:stag1ng-pa55-1a2b@db.staging:5432/shop';
const API_KEY_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:staging/api-key-Qw3rTy';
const DB_PASSWORD_ARN = 'arn:aws:ssm:us-east-1:123456789012:parameter/production/db-password';
const STAGING_DB_PASSWORD_ARN = 'arn:aws:ssm:us-east-1:123456789012:parameter/staging/db-password';

const sides = { ours: 'production/web', theirs: 'staging/web' };

function app(overrides: Partial<ContainerDefinition> = {}): ContainerDefinition {
  return {
    name: 'app',
    image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v7',
    portMappings: [{ containerPort: 8080 }],
    environment: [
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'DATABASE_URL', value: DATABASE_URL },
    ],
    secrets: [{ name: 'DB_PASSWORD', valueFrom: DB_PASSWORD_ARN }],
    ...overrides,
  };
}

function revision(overrides: Partial<RegistrableDefinition> = {}, containers: ContainerDefinition[] = [app()]): RegistrableDefinition {
  return {
    family: 'web-production',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '512',
    memory: '1024',
    containerDefinitions: containers,
    ...overrides,
  };
}

/** The production revision against a staging one that drifted in each way the report names. */
function drifted(): RegistrableDefinition {
  return revision({ family: 'web-staging', cpu: '256', taskRoleArn: 'arn:aws:iam::123456789012:role/web-staging' }, [
    app({
      image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v8',
      environment: [
        { name: 'LOG_LEVEL', value: 'debug' },
        { name: 'DATABASE_URL', value: STAGING_DATABASE_URL },
        { name: 'FEATURE_FLAGS', value: 'new-checkout' },
      ],
      secrets: [
        { name: 'DB_PASSWORD', valueFrom: STAGING_DB_PASSWORD_ARN },
        { name: 'API_KEY', valueFrom: API_KEY_ARN },
      ],
      readonlyRootFilesystem: true,
    }),
    { name: 'xray', image: 'amazon/aws-xray-daemon:3.3', essential: false },
  ]);
}

describe('describeDrift', () => {
  test('each difference by name: task fields, container fields, variables and secrets, containers of one side', () => {
    expect(describeDrift(revision(), drifted(), sides)).toEqual([
      'cpu differs',
      'taskRoleArn only in staging/web',
      'containers[app].readonlyRootFilesystem only in staging/web',
      'containers[app].environment.DATABASE_URL differs',
      'containers[app].environment.FEATURE_FLAGS only in staging/web',
      'containers[app].environment.LOG_LEVEL differs',
      'containers[app].secrets.API_KEY only in staging/web',
      'containers[app].secrets.DB_PASSWORD differs',
      'containers[xray] only in staging/web',
    ]);
  });

  test('"only in" names the side that has it, both ways', () => {
    const withWorker = revision({}, [app(), { name: 'worker', image: 'w:1' }]);
    expect(describeDrift(withWorker, revision(), sides)).toEqual(['containers[worker] only in production/web']);
    expect(describeDrift(revision(), withWorker, sides)).toEqual(['containers[worker] only in staging/web']);
    const extra = revision({}, [app({ environment: [...(app().environment ?? []), { name: 'NEW', value: 'x' }] })]);
    expect(describeDrift(extra, revision(), sides)).toEqual(['containers[app].environment.NEW only in production/web']);
  });

  test('no value is ever in the report: not an environment value, a secret reference, a cpu, an image or a role', () => {
    const ours = revision();
    const theirs = drifted();
    const report = [...describeDrift(ours, theirs, sides), ...describeDrift(theirs, ours, sides)].join('\n');
    for (const value of [
      DATABASE_URL,
      STAGING_DATABASE_URL,
      'pr0d-pa55w0rd',
      'stag1ng-pa55',
      API_KEY_ARN,
      'api-key-Qw3rTy',
      DB_PASSWORD_ARN,
      STAGING_DB_PASSWORD_ARN,
      'db-password',
      'debug',
      'new-checkout',
      '256',
      '512',
      'web:v8',
      'xray-daemon',
      'role/web-staging',
    ]) {
      expect(report).not.toContain(value);
    }
  });

  test('the images and the family are not compared: the build promoted, and a family an environment', () => {
    const theirs = revision({ family: 'web-staging' }, [app({ image: 'example/web:v9' })]);
    expect(describeDrift(revision(), theirs, sides)).toEqual([]);
  });

  test('the environment the step sets is left out on its container only: it differs by design', () => {
    const theirs = revision({}, [
      app({
        environment: [
          { name: 'LOG_LEVEL', value: 'debug' },
          { name: 'DATABASE_URL', value: STAGING_DATABASE_URL },
        ],
      }),
      { name: 'sidecar', image: 's:1', environment: [{ name: 'LOG_LEVEL', value: 'debug' }] },
    ]);
    const ours = revision({}, [app(), { name: 'sidecar', image: 's:1', environment: [{ name: 'LOG_LEVEL', value: 'info' }] }]);
    expect(describeDrift(ours, theirs, sides, [{ container: 'app', field: 'environment', name: 'LOG_LEVEL' }])).toEqual([
      'containers[app].environment.DATABASE_URL differs',
      'containers[sidecar].environment.LOG_LEVEL differs',
    ]);
  });

  test('identical revisions have no differences, also against the described form with ECS’s echoed defaults', () => {
    expect(describeDrift(revision(), revision(), sides)).toEqual([]);
    expect(describeDrift(handWritten(), described() as RegistrableDefinition, sides)).toEqual([]);
  });
});

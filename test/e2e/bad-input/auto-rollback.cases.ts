import type { BadInput, SurprisingInput } from './case';

// The e2e file's sandbox holds cluster "prod" with service "api" on api:1, and api:2 registered then deregistered.
const base = { cluster: 'prod', service: 'api' };
const ACCOUNT = '000000000000';

export const autoRollbackBadInputs: BadInput[] = [
  {
    name: 'no cluster',
    inputs: { service: 'api', 'task-definition': 'api:1' },
    input: 'cluster',
    error: /^Input 'cluster' is required but was not given\.$/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'no service',
    inputs: { cluster: 'prod', 'task-definition': 'api:1' },
    input: 'service',
    error: /^Input 'service' is required but was not given\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a malformed timeout',
    inputs: { ...base, 'task-definition': 'api:1', timeout: 'ten minutes' },
    input: 'timeout',
    error: /^Input 'timeout' must be a duration such as 90s, 15m, 1h or a number of seconds; got "ten minutes"\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a timeout with two units run together wrongly',
    inputs: { ...base, 'task-definition': 'api:1', timeout: '5mm' },
    input: 'timeout',
    error: /^Input 'timeout' must be a duration .*got "5mm"\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a malformed wait',
    inputs: { ...base, wait: 'maybe' },
    input: 'wait',
    error: /^Input 'wait' must be true or false; got "maybe"\.$/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'a bare family',
    inputs: { ...base, 'task-definition': 'api' },
    input: 'task-definition',
    error:
      /^Input 'task-definition' must name one revision, as family:revision \(web:12\) or its ARN .*got "api"\. A family without a revision/,
    refusedBy: 'parser',
  },
  {
    name: 'a revision spelt latest',
    inputs: { ...base, 'task-definition': 'api:latest' },
    input: 'task-definition',
    error: /^Input 'task-definition' must name one revision.*got "api:latest"\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a revision zero',
    inputs: { ...base, 'task-definition': 'api:0' },
    input: 'task-definition',
    error: /^Input 'task-definition' must name one revision.*got "api:0"\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a task-definition file path',
    inputs: { ...base, 'task-definition': 'deploy/task-definition.json' },
    input: 'task-definition',
    error: /^Input 'task-definition' must name one revision.*got "deploy\/task-definition\.json"\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a task definition ARN without its revision',
    inputs: { ...base, 'task-definition': `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/api` },
    input: 'task-definition',
    error: /^Input 'task-definition' must name one revision/,
    refusedBy: 'parser',
  },
  {
    name: 'a task definition ARN in another region',
    inputs: { ...base, 'task-definition': `arn:aws:ecs:us-west-2:${ACCOUNT}:task-definition/api:1` },
    input: 'task-definition',
    error: /^Input 'task-definition' names a task definition in us-west-2, but this step works in us-east-1 .*set 'region' to us-west-2/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'a service ARN as the task definition',
    inputs: { ...base, 'task-definition': `arn:aws:ecs:us-east-1:${ACCOUNT}:service/prod/api` },
    input: 'task-definition',
    error: /^Input 'task-definition' is the ARN of an ECS service, not of a task definition/,
    refusedBy: 'parser',
  },
  {
    name: 'an ECR image ARN as the task definition',
    inputs: { ...base, 'task-definition': `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/api` },
    input: 'task-definition',
    error: /^Input 'task-definition' is an ARN of ecr, not of ECS/,
    refusedBy: 'parser',
  },
  {
    name: 'a service ARN of another cluster',
    inputs: { ...base, service: `arn:aws:ecs:us-east-1:${ACCOUNT}:service/staging/api` },
    input: 'service',
    error: /^Input 'service' is the ARN of a service in cluster "staging", but 'cluster' is "prod"/,
    refusedBy: 'parser',
  },
  {
    name: 'a region typo',
    inputs: { ...base, 'task-definition': 'api:1', region: 'us-wets-2' },
    input: 'region',
    error: /^Input 'region' is "us-wets-2", which is not an AWS region; did you mean us-west-2\?/,
    refusedBy: 'parser',
  },
  {
    name: 'an environment-url without a scheme',
    inputs: { ...base, 'environment-url': 'api.example.com' },
    input: 'environment-url',
    error: /^Input 'environment-url' must be an http\(s\) URL such as https:\/\/shop\.example\.com; got "api\.example\.com"\.$/,
    refusedBy: 'parser',
  },
  // what only AWS (the sandbox) can tell
  {
    name: 'an unknown revision',
    inputs: { ...base, 'task-definition': 'api:99' },
    input: 'task-definition',
    error: /^Input 'task-definition': there is no task definition "api:99" in us-east-1 .*Nothing was changed\.$/,
    refusedBy: 'sandbox',
  },
  {
    name: 'a deregistered revision',
    inputs: { ...base, 'task-definition': `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/api:2` },
    input: 'task-definition',
    error: /^Input 'task-definition': .*api:2 is INACTIVE, and ECS does not update a service to a revision that is not ACTIVE\./,
    refusedBy: 'sandbox',
  },
  {
    name: 'a service that does not exist',
    inputs: { ...base, service: 'ghost', 'task-definition': 'api:1' },
    input: 'service',
    error: /^Input 'service': there is no active service "ghost" in cluster "prod"/,
    refusedBy: 'sandbox',
  },
  {
    name: 'a cluster that does not exist',
    inputs: { ...base, cluster: 'nowhere', 'task-definition': 'api:1' },
    input: 'cluster',
    error: /^Input 'cluster': there is no cluster "nowhere"/,
    refusedBy: 'sandbox',
  },
  {
    name: 'no input and no history to find a target in',
    inputs: base,
    input: 'task-definition',
    error:
      /^Input 'task-definition' is needed: neither the service's deployment history \(ECS keeps 90 days of it, none from before 25 October 2024\) nor the deployments DescribeServices lists holds a revision that completed a deployment before the current one\./,
    refusedBy: 'sandbox',
  },
];

export const autoRollbackSurprisingInputs: SurprisingInput[] = [
  {
    name: 'a revision by ARN',
    inputs: { ...base, 'task-definition': `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/api:1` },
    parsed: { taskDefinition: `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/api:1` },
  },
  {
    name: 'a reason over CRLF lines',
    inputs: { ...base, reason: 'p95 above 2s\r\nsee the alarm' },
    parsed: { reason: 'p95 above 2s\nsee the alarm' },
  },
  { name: 'trailing spaces around the revision', inputs: { ...base, 'task-definition': ' api:1  ' }, parsed: { taskDefinition: 'api:1' } },
];

import { notTrueOrFalse, type BadInput, type SurprisingInput } from './case';

// The e2e file's sandbox holds cluster "prod" with service "api" on api:1, and api:2 registered then deregistered;
// beside it "cart" on cart:1 (neither has a revision that completed a deployment before its current one) and
// "legacy", a service under the CODE_DEPLOY controller.
const base = { cluster: 'prod', service: 'api' };
const ACCOUNT = '000000000000';
const several = { cluster: 'prod', service: 'api\ncart' };

/** An entry of deploy-ecs's services output. */
const entry = (service: string, previous: string, cluster = 'prod') => ({
  cluster,
  service,
  status: 'failed',
  'task-definition-arn': `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/${service}:2`,
  'previous-task-definition-arn': previous,
  'deployment-id': 'ecs-svc/1234567890123456789',
  'service-deployment-arn': '',
  'duration-seconds': 30,
  reason: 'verify-health failed',
});
const deployed = (...entries: object[]) => JSON.stringify(entries);

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
  notTrueOrFalse('a malformed wait', base, 'wait', 'maybe', { e2e: true }),
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
  // several services
  {
    name: 'one task-definition for several services',
    inputs: { ...several, 'task-definition': 'api:1' },
    input: 'task-definition',
    error:
      /^Input 'task-definition' cannot be given with several services \(2 'service' lines\): one revision for all would put each service on another's task definition: each service returns to its own target, from 'services'/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'a GitHub token with several services',
    inputs: { ...several, 'github-token': 'ghs_000000000000000000000000000000000000' },
    input: 'github-token',
    error: /^Input 'github-token' cannot be given with several services \(2 'service' lines\): it names one service's own resource/,
    refusedBy: 'parser',
  },
  {
    name: 'a CodeDeploy deployment group with several services',
    inputs: { ...several, 'codedeploy-deployment-group': 'shop' },
    input: 'codedeploy-deployment-group',
    error: /^Input 'codedeploy-deployment-group' cannot be given with several services/,
    refusedBy: 'parser',
  },
  {
    name: 'a service named twice',
    inputs: { cluster: 'prod', service: `api\narn:aws:ecs:us-east-1:${ACCOUNT}:service/prod/api` },
    input: 'service',
    error: /^Input 'service' names "api" twice: one service a line, each once\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'services that are not JSON',
    inputs: { ...several, services: '[{"service": "api"' },
    input: 'services',
    error:
      /^Input 'services' is not JSON \(.+\): give deploy-ecs's services output as it is \(services: \$\{\{ steps\.deploy\.outputs\.services \}\}\)\.$/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'services that are an object, not an array',
    inputs: { ...several, services: JSON.stringify(entry('api', 'api:1')) },
    input: 'services',
    error: /^Input 'services' must be a JSON array with one object per service; got a JSON object/,
    refusedBy: 'parser',
  },
  {
    name: 'a services entry without previous-task-definition-arn',
    inputs: { ...several, services: JSON.stringify([{ cluster: 'prod', service: 'api' }, entry('cart', 'cart:1')]) },
    input: 'services',
    error:
      /^Input 'services' entry 1 \(service "api"\) needs "previous-task-definition-arn" as a string \(empty when there is none\); got nothing/,
    refusedBy: 'parser',
  },
  {
    name: 'a services entry whose previous revision is a bare family',
    inputs: { ...several, services: deployed(entry('api', 'api'), entry('cart', 'cart:1')) },
    input: 'services',
    error: /^Input 'services' entry 1 \(service "api"\) has previous-task-definition-arn "api", which names no one revision/,
    refusedBy: 'parser',
  },
  {
    name: 'a services entry for a service not among the service lines',
    inputs: { ...several, services: deployed(entry('api', 'api:1'), entry('cart', 'cart:1'), entry('search', 'search:1')) },
    input: 'services',
    error:
      /^Input 'services' holds "search", not among the 'service' lines \("api", "cart"\): list every service the deploy released in 'service'/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'a service line without a services entry',
    inputs: { ...several, services: deployed(entry('api', 'api:1')) },
    input: 'service',
    error: /^Input 'service' names "cart", which input 'services' holds no entry for \(it holds "api"\)/,
    refusedBy: 'parser',
  },
  {
    name: 'a services entry of another cluster',
    inputs: { ...several, services: deployed(entry('api', 'api:1'), entry('cart', 'cart:1', 'staging')) },
    input: 'services',
    error: /^Input 'services' gives service "cart" cluster "staging", not the 'cluster' input's "prod"\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'services and task-definition for one service',
    inputs: { ...base, 'task-definition': 'api:1', services: deployed(entry('api', 'api:1')) },
    input: 'task-definition',
    error: /^Inputs 'task-definition' and 'services' both name the target: give one/,
    refusedBy: 'parser',
  },
  {
    name: 'a CODE_DEPLOY service among several',
    inputs: { cluster: 'prod', service: 'api\nlegacy' },
    input: 'service',
    error:
      /^Input 'service' names "legacy", a service under the CODE_DEPLOY deployment controller: with several services, only services of the ECS controller .* Nothing was changed\.$/,
    refusedBy: 'sandbox',
  },
  {
    name: 'an unknown service among several',
    inputs: { cluster: 'prod', service: 'api\nghost' },
    input: 'service',
    error: /^Input 'service' names "ghost", which cluster prod does not have \(DescribeServices: MISSING\)/,
    refusedBy: 'sandbox',
  },
  {
    name: 'several services, one with an empty previous revision and no history to find its target in',
    inputs: { ...several, services: deployed(entry('api', ''), entry('cart', 'cart:1')) },
    input: 'services',
    error:
      /^Input 'services' gives service api an empty previous-task-definition-arn: neither the service's deployment history .* holds a revision that completed a deployment before the current one\. Roll api back in a step of its own with 'task-definition'\. Nothing was changed\.$/,
    refusedBy: 'sandbox',
  },
  {
    name: 'several services without services and no history to find a target in',
    inputs: several,
    input: 'services',
    error: /^Service api needs its target in input 'services': neither the service's deployment history .* Nothing was changed\.$/,
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

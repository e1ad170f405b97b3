import { notWholeNumberOfAtLeast, type BadInput, type SurprisingInput } from './case';

// The e2e file's sandbox holds cluster "prod" with service "web". No row gets as far as a request to `url`.
const url = 'http://127.0.0.1:9/health';
const ACCOUNT = '000000000000';
const aws = { url, cluster: 'prod', service: 'web' };

export const verifyHealthBadInputs: BadInput[] = [
  {
    name: 'no url, and no cluster and service to judge instead',
    inputs: {},
    input: 'url',
    error:
      /^Input 'url' is required unless 'cluster' and 'service' are given: with neither, nothing would be checked\. Give the URL\(s\) to probe .*, or, for a service with no HTTP endpoint such as a worker, 'cluster' and 'service': it is then judged on ECS alone/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'no url, with alarms only: alarms alone judge no release',
    inputs: { alarms: 'web-5xx' },
    env: { AWS_REGION: 'us-east-1' },
    input: 'url',
    error: /^Input 'url' is required unless 'cluster' and 'service' are given/,
    refusedBy: 'parser',
  },
  {
    name: 'body-contains with no url: nothing would be probed for it',
    inputs: { cluster: 'prod', service: 'web', 'body-contains': 'ok' },
    input: 'body-contains',
    error:
      /^Input 'body-contains' is given but 'url' is not: 'body-contains' shapes the HTTP probes, and without a URL nothing is probed\. Give the URL\(s\) in 'url', or leave 'body-contains' out\.$/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'max-latency-ms with no url',
    inputs: { cluster: 'prod', service: 'web', 'max-latency-ms': '500' },
    input: 'max-latency-ms',
    error: /^Input 'max-latency-ms' is given but 'url' is not/,
    refusedBy: 'parser',
  },
  {
    name: 'a URL without a scheme',
    inputs: { url: 'example.com/health' },
    input: 'url',
    error:
      /^Input 'url' must hold absolute URLs such as https:\/\/example\.com\/health, one a line; "example\.com\/health" is not a URL\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a URL of another scheme',
    inputs: { url: 'tcp://example.com:80' },
    input: 'url',
    error: /^Input 'url' must hold http:\/\/ or https:\/\/ URLs; "tcp:\/\/example\.com:80" uses tcp\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a second URL line that is not a URL',
    inputs: { url: `${url}\nlocalhost:8080` },
    input: 'url',
    error: /^Input 'url' must hold .*"localhost:8080"/,
    refusedBy: 'parser',
  },
  {
    name: 'two URLs on one line',
    inputs: { url: `${url} ${url}` },
    input: 'url',
    error:
      /^Input 'url' must hold absolute URLs such as https:\/\/example\.com\/health, one a line; ".*" holds a space: put each URL on its own line\.$/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'a malformed expected-status',
    inputs: { url, 'expected-status': '2xx' },
    input: 'expected-status',
    error:
      /^Input 'expected-status' must be status codes or ranges such as 200-299 or 200,204; got "2xx": "2xx" is neither a status code nor a range\.$/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'a status code out of range',
    inputs: { url, 'expected-status': '600' },
    input: 'expected-status',
    error: /^Input 'expected-status' must be status codes or ranges such as 200-299 or 200,204; got "600"/,
    refusedBy: 'parser',
  },
  {
    name: 'a status range backwards',
    inputs: { url, 'expected-status': '299-200' },
    input: 'expected-status',
    error: /^Input 'expected-status' must be status codes or ranges .*got "299-200"/,
    refusedBy: 'parser',
  },
  {
    name: 'a timeout the thresholds can never reach',
    inputs: { url, warmup: '10s', interval: '2s', timeout: '12s' },
    input: 'timeout',
    error:
      /^Input 'timeout' is 12s, shorter than the check can ever take to decide: warmup 10s \+ 3 rounds × interval 2s = 16s\. Set timeout to at least 16s/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'a zero interval',
    inputs: { url, interval: '0s' },
    input: 'interval',
    error: /^Input 'interval' must be longer than zero, such as 2s; got "0s"\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a zero request-timeout',
    inputs: { url, 'request-timeout': '0' },
    input: 'request-timeout',
    error: /^Input 'request-timeout' must be longer than zero, such as 5s; got "0"\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a malformed bake',
    inputs: { url, bake: 'a while' },
    input: 'bake',
    error: /^Input 'bake' must be a duration such as 90s, 15m, 1h or a number of seconds; got "a while"\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a warmup in seconds spelt out',
    inputs: { url, warmup: '5 sec' },
    input: 'warmup',
    error: /^Input 'warmup' must be a duration .*got "5 sec"\.$/,
    refusedBy: 'parser',
  },
  notWholeNumberOfAtLeast('a failure threshold of zero', { url }, 'failure-threshold', 1, '0'),
  notWholeNumberOfAtLeast('a negative success threshold', { url }, 'success-threshold', 1, '-1'),
  notWholeNumberOfAtLeast('a max latency with a unit', { url }, 'max-latency-ms', 1, '100ms'),
  {
    name: 'a header line without a name',
    inputs: { url, headers: 'Bearer s3cret-value' },
    input: 'headers',
    error: /^Input 'headers' must hold "Name: value" lines/,
    refusedBy: 'parser',
  },
  {
    name: 'a header with a space in its name',
    inputs: { url, headers: 'X Token: 1' },
    input: 'headers',
    error: /^Input 'headers' must hold "Name: value" lines/,
    refusedBy: 'parser',
  },
  {
    name: 'cluster without service',
    inputs: { url, cluster: 'prod' },
    input: 'service',
    error: /^Input 'service' is required when 'cluster' is given: the service check needs both\.$/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'service without cluster',
    inputs: { url, service: 'web' },
    input: 'cluster',
    error: /^Input 'cluster' is required when 'service' is given/,
    refusedBy: 'parser',
  },
  {
    name: 'a task-definition without cluster and service',
    inputs: { url, 'task-definition': 'web:3' },
    input: 'task-definition',
    error: /^Input 'task-definition' needs 'cluster' and 'service': it names the revision that service must be steady on\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a task-definition that names a family, not a revision',
    inputs: { ...aws, 'task-definition': 'web' },
    input: 'task-definition',
    error: /^Input 'task-definition' must name one revision, as family:revision \(web:12\) or its ARN/,
    refusedBy: 'parser',
  },
  {
    name: 'a task-definition ARN in another region',
    inputs: { ...aws, 'task-definition': `arn:aws:ecs:eu-west-1:${ACCOUNT}:task-definition/web:3` },
    input: 'task-definition',
    error: /^Input 'task-definition' names a task definition in eu-west-1, but this step works in us-east-1/,
    refusedBy: 'parser',
  },
  {
    name: 'a cluster ARN of another service',
    inputs: { ...aws, cluster: `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/prod/1` },
    input: 'cluster',
    error: /^Input 'cluster' is an ARN of elasticloadbalancing, not of ECS/,
    refusedBy: 'parser',
  },
  {
    name: 'a region typo beside cluster and service',
    inputs: { ...aws, region: 'eu-centrl-1' },
    input: 'region',
    error: /^Input 'region' is "eu-centrl-1", which is not an AWS region; did you mean eu-central-1\?/,
    refusedBy: 'parser',
  },
  {
    name: 'an environment-url without a scheme',
    inputs: { url, 'environment-url': 'shop.example.com' },
    input: 'environment-url',
    error: /^Input 'environment-url' must be an http\(s\) URL such as https:\/\/shop\.example\.com; got "shop\.example\.com"\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a continue-deployment that is the ARN of a service, not of a service deployment',
    inputs: { ...aws, 'continue-deployment': `arn:aws:ecs:us-east-1:${ACCOUNT}:service/prod/web` },
    input: 'continue-deployment',
    error:
      /^Input 'continue-deployment' is the ARN of an ECS service, not of a service deployment: give a service deployment ARN, arn:aws:ecs:<region>:<account>:service-deployment\/<cluster>\/<service>\/<id>, such as deploy-ecs's service-deployment-arn output/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: "a continue-deployment that is deploy-ecs's deployment-id",
    inputs: { url, 'continue-deployment': 'ecs-svc/1234567890123456789' },
    input: 'continue-deployment',
    error: /^Input 'continue-deployment' is an ECS deployment id \(deploy-ecs's deployment-id output\), not a service deployment ARN/,
    refusedBy: 'parser',
  },
  {
    name: 'a continue-deployment of another service than the one checked',
    inputs: { ...aws, 'continue-deployment': `arn:aws:ecs:us-east-1:${ACCOUNT}:service-deployment/prod/api/r6RIfNXqR4yVSvCS0ylGkl` },
    input: 'continue-deployment',
    error: /^Input 'continue-deployment' is a service deployment of service "api", but 'service' is "web"/,
    refusedBy: 'parser',
  },
  {
    name: 'a CodeDeploy deployment id with a letter missing',
    inputs: { ...aws, 'continue-deployment': 'd-A1B2C3D4' },
    input: 'continue-deployment',
    error: /^Input 'continue-deployment' is "d-A1B2C3D4", which is not a CodeDeploy deployment id: .*such as d-A1B2C3D4E/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'a CodeDeploy deployment id without the service it deploys',
    inputs: { url, 'continue-deployment': 'd-A1B2C3D4E' },
    input: 'continue-deployment',
    error: /^Input 'continue-deployment' is CodeDeploy deployment d-A1B2C3D4E, which names no service: give 'cluster' and 'service' too/,
    refusedBy: 'parser',
  },
  {
    name: 'end-termination-wait without a CodeDeploy deployment',
    inputs: { ...aws, 'end-termination-wait': 'true' },
    input: 'end-termination-wait',
    error: /^Input 'end-termination-wait' is true, but 'continue-deployment' is not a CodeDeploy deployment id/,
    refusedBy: 'parser',
  },
  // what only AWS (the sandbox) can tell
  {
    name: 'a service that does not exist',
    inputs: { ...aws, service: 'ghost' },
    input: 'service',
    error: /^Input 'service': there is no active service "ghost" in cluster "prod"/,
    refusedBy: 'sandbox',
  },
  {
    name: 'a continue-deployment ECS does not know',
    inputs: { ...aws, 'continue-deployment': `arn:aws:ecs:us-east-1:${ACCOUNT}:service-deployment/prod/web/r6RIfNXqR4yVSvCS0ylGkl` },
    input: 'continue-deployment',
    error: /^Input 'continue-deployment' names service deployment .*, which ECS does not know in us-east-1/,
    refusedBy: 'sandbox',
  },
  {
    name: 'a CodeDeploy deployment CodeDeploy does not know',
    inputs: { ...aws, 'continue-deployment': 'd-A1B2C3D4E' },
    input: 'continue-deployment',
    error: /^Input 'continue-deployment' names CodeDeploy deployment d-A1B2C3D4E, which CodeDeploy does not know in us-east-1/,
    refusedBy: 'sandbox',
  },
];

export const verifyHealthSurprisingInputs: SurprisingInput[] = [
  {
    name: 'URLs on CRLF lines with trailing spaces',
    inputs: { url: `${url}  \r\n${url}/2\r\n` },
    parsed: { plan: { urls: [url, `${url}/2`] } },
  },
  {
    name: 'expected-status with spaces after commas',
    inputs: { url, 'expected-status': '200, 204' },
    parsed: { plan: { expectedStatus: { text: '200,204' } } },
  },
  {
    name: 'a header value holding colons',
    inputs: { url, headers: 'X-Trace: a:b:c' },
    parsed: { headers: [{ name: 'X-Trace', value: 'a:b:c' }] },
  },
];

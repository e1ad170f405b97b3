import { notTrueOrFalse, type BadInput, type SurprisingInput } from './case';

// The e2e file's sandbox holds cluster "prod" with the awsvpc service "orders" (container orders).
const base = { cluster: 'prod', service: 'orders' };
const migrate = 'node migrate.mjs up';
const ACCOUNT = '000000000000';
// Another account's registry: the sandbox's ECR holds there what its tasks run (its own account holds only the
// repositories created in it), so a well-formed image passes the images-exist check.
const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';

export const runMigrationBadInputs: BadInput[] = [
  // task-level overrides
  {
    name: 'a cpu that is not a whole number of units',
    inputs: { ...base, cpu: '1 vCPU' },
    input: 'cpu',
    error: /^Input 'cpu' must be a whole number of CPU units \(1024 is 1 vCPU\), e\.g\. 512; got "1 vCPU"\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a Fargate pair Fargate does not offer, with launch-type FARGATE',
    inputs: { ...base, 'launch-type': 'FARGATE', cpu: '2048', memory: '2048' },
    input: 'cpu',
    error:
      /^Inputs 'cpu' and 'memory': Fargate offers no task of 2048 CPU units with 2048 MiB; with 2048 it takes 4096 to 16384 in steps of 1024 MiB\. Nothing was started\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a task-role-arn that is a role name',
    inputs: { ...base, 'task-role-arn': 'schema-migrator' },
    input: 'task-role-arn',
    error: /^Input 'task-role-arn' must be the ARN of an IAM role/,
    refusedBy: 'parser',
  },
  {
    name: 'a bad tags line',
    inputs: { ...base, tags: 'team' },
    input: 'tags',
    error: /^Input 'tags' line 1 must be KEY=VALUE/,
    refusedBy: 'parser',
  },
  {
    name: 'no cluster',
    inputs: { service: 'orders', command: migrate },
    input: 'cluster',
    error: /^Input 'cluster' is required but was not given\.$/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'neither task-definition nor service',
    inputs: { cluster: 'prod', command: migrate },
    input: 'task-definition',
    error: /^Input 'task-definition' or 'service' is required: give the task definition to run/,
    refusedBy: 'parser',
  },
  // commands
  {
    name: 'a command that is malformed JSON',
    inputs: { ...base, command: '["node", "migrate.mjs", "up"' },
    input: 'command',
    error: /^Input 'command' starts with "\[" but is not valid JSON.*JSON array of strings/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'a command JSON array holding a number',
    inputs: { ...base, command: '["node", 3]' },
    input: 'command',
    error: /^Input 'command' must be a JSON array of strings such as \["npm", "run", "migrate"\]; got \["node", 3\]\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a command JSON object',
    inputs: { ...base, command: '[{"cmd": "node"}]' },
    input: 'command',
    error: /^Input 'command' must be a JSON array of strings/,
    refusedBy: 'parser',
  },
  {
    name: 'an empty command JSON array',
    inputs: { ...base, command: '[]' },
    input: 'command',
    error: /^Input 'command' holds no command; give at least the program to run\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a command with an unclosed double quote',
    inputs: { ...base, command: 'node -e "console.log(1)' },
    input: 'command',
    error: /^Input 'command' has an unclosed double quote; close it or give a JSON array\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a command with an unclosed single quote',
    inputs: { ...base, command: "sh -c 'echo hi" },
    input: 'command',
    error: /^Input 'command' has an unclosed single quote/,
    refusedBy: 'parser',
  },
  // task definitions
  {
    name: 'a task definition that is no family, ARN or file',
    inputs: { cluster: 'prod', 'task-definition': 'orders:latest' },
    input: 'task-definition',
    error:
      /^Input 'task-definition' must be family\[:revision\] \(letters, digits, _ and -\), a task definition ARN or the path of a \.json file; got "orders:latest"\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a revision zero',
    inputs: { cluster: 'prod', 'task-definition': 'orders:0' },
    input: 'task-definition',
    error: /^Input 'task-definition' must be family\[:revision\]/,
    refusedBy: 'parser',
  },
  {
    name: 'a task definition ARN of another service',
    inputs: { cluster: 'prod', 'task-definition': `arn:aws:iam::${ACCOUNT}:role/orders` },
    input: 'task-definition',
    error: /^Input 'task-definition' is an ARN of iam, not of ECS: give the task definition's name or its ARN/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'a task definition ARN in another region',
    inputs: { cluster: 'prod', 'task-definition': `arn:aws:ecs:eu-west-1:${ACCOUNT}:task-definition/orders:1` },
    input: 'task-definition',
    error: /^Input 'task-definition' names a task definition in eu-west-1, but this step works in us-east-1/,
    refusedBy: 'parser',
  },
  {
    name: 'a cluster ARN as the task definition',
    inputs: { cluster: 'prod', 'task-definition': `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/prod` },
    input: 'task-definition',
    error: /^Input 'task-definition' is the ARN of an ECS cluster, not of a task definition/,
    refusedBy: 'parser',
  },
  {
    name: 'a task definition of another account than the cluster',
    inputs: {
      cluster: `arn:aws:ecs:us-east-1:111111111111:cluster/prod`,
      'task-definition': `arn:aws:ecs:us-east-1:222222222222:task-definition/orders:1`,
    },
    input: 'task-definition',
    error:
      /^Input 'task-definition' is in account 222222222222, but 'cluster' is in account 111111111111: ECS uses a task definition only in its own account/,
    refusedBy: 'parser',
  },
  // images, lists, choices, durations, booleans
  {
    name: 'two images in one input',
    inputs: { ...base, image: `${REGISTRY}/orders:v2 ${REGISTRY}/orders:v3` },
    input: 'image',
    error: /^Input 'image' must be one image reference.*it holds a space/,
    refusedBy: 'parser',
  },
  {
    name: 'an image with a short digest',
    inputs: { ...base, image: `${REGISTRY}/orders@sha256:1234` },
    input: 'image',
    error: /^Input 'image' must be one image reference.*a sha256 digest is 64 lower-case hex digits\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'two subnets on one line with a space',
    inputs: { ...base, subnets: 'subnet-a subnet-b' },
    input: 'subnets',
    error:
      /^Input 'subnets' must hold subnet IDs such as subnet-0a1b2c3d4e5f67890, one a line or separated by commas; "subnet-a subnet-b" is not one\.$/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'a CIDR as a subnet',
    inputs: { ...base, subnets: '10.0.0.0/24' },
    input: 'subnets',
    error: /^Input 'subnets' must hold subnet IDs .*"10\.0\.0\.0\/24" is not one\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a VPC as a subnet',
    inputs: { ...base, subnets: 'vpc-0a1b2c3d' },
    input: 'subnets',
    error: /^Input 'subnets' must hold subnet IDs .*"vpc-0a1b2c3d" is not one\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a security group by name',
    inputs: { ...base, 'security-groups': 'default' },
    input: 'security-groups',
    error: /^Input 'security-groups' must hold security group IDs such as sg-0a1b2c3d4e5f67890.*"default" is not one\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'an unknown assign-public-ip',
    inputs: { ...base, 'assign-public-ip': 'yes' },
    input: 'assign-public-ip',
    error: /^Input 'assign-public-ip' must be one of true, false, ENABLED, DISABLED; got "yes"\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'an unknown launch type',
    inputs: { ...base, 'launch-type': 'LAMBDA' },
    input: 'launch-type',
    error: /^Input 'launch-type' must be one of FARGATE, EC2, EXTERNAL, MANAGED_INSTANCES; got "LAMBDA"\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a preflight that is neither true, warn nor false',
    inputs: { ...base, preflight: 'skip' },
    input: 'preflight',
    error: /^Input 'preflight' must be one of true, warn, false; got "skip"\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a malformed timeout',
    inputs: { ...base, timeout: 'ten minutes' },
    input: 'timeout',
    error: /^Input 'timeout' must be a duration such as 90s, 15m, 1h or a number of seconds; got "ten minutes"\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a timeout with a space before its unit',
    inputs: { ...base, timeout: '15 m' },
    input: 'timeout',
    error: /^Input 'timeout' must be a duration .*got "15 m"\.$/,
    refusedBy: 'parser',
  },
  notTrueOrFalse('a malformed allow-concurrent', base, 'allow-concurrent', 'yes'),
  notTrueOrFalse('a malformed stop-on-cancel', base, 'stop-on-cancel', 'always'),
  {
    name: 'a bad environment line',
    inputs: { ...base, environment: 'not a pair' },
    input: 'environment',
    error: /^Input 'environment' must hold KEY=VALUE lines/,
    refusedBy: 'parser',
  },
  {
    name: 'a region typo',
    inputs: { ...base, region: 'ap-southest-2' },
    input: 'region',
    error: /^Input 'region' is "ap-southest-2", which is not an AWS region; did you mean ap-southeast-2\?/,
    refusedBy: 'parser',
  },
  // what only AWS (the sandbox) can tell
  {
    name: 'an awsvpc task definition without service or subnets',
    inputs: { cluster: 'prod', 'task-definition': 'orders', image: `${REGISTRY}/orders:v2`, command: migrate },
    input: 'subnets',
    error: /^Input 'subnets' is needed: .*awsvpc.*Nothing was started/,
    refusedBy: 'sandbox',
  },
  {
    name: 'a task-definition file that does not exist',
    inputs: { ...base, 'task-definition': 'deploy/nope.json' },
    input: 'task-definition',
    error: /^Input 'task-definition' names the file "deploy\/nope\.json", which does not exist/,
    refusedBy: 'sandbox',
  },
  {
    name: 'a task definition that does not exist',
    inputs: { cluster: 'prod', 'task-definition': 'ghost:7' },
    input: 'task-definition',
    error: /^Input 'task-definition': there is no task definition "ghost:7"/,
    refusedBy: 'sandbox',
  },
  {
    name: 'an unknown container',
    inputs: { ...base, container: 'migrator', image: `${REGISTRY}/orders:v2` },
    input: 'container',
    error: /^Input 'container' names "migrator".*"orders"/,
    refusedBy: 'sandbox',
  },
  {
    name: 'a service that does not exist',
    inputs: { ...base, service: 'ghost', command: migrate },
    input: 'service',
    error: /^Input 'service': there is no active service "ghost"/,
    refusedBy: 'sandbox',
  },
];

export const runMigrationSurprisingInputs: SurprisingInput[] = [
  {
    name: 'an image without a tag means :latest, with a warning',
    inputs: { ...base, image: `${REGISTRY}/orders` },
    parsed: { image: `${REGISTRY}/orders` },
    warning: /^Input 'image' is ".*\/orders" without a tag or digest, which means .*\/orders:latest/,
  },
  {
    name: 'subnets separated by commas',
    inputs: { ...base, subnets: 'subnet-a, subnet-b' },
    parsed: { subnets: ['subnet-a', 'subnet-b'] },
  },
  {
    name: 'subnets on CRLF lines with trailing spaces',
    inputs: { ...base, subnets: 'subnet-a  \r\nsubnet-b\r\n' },
    parsed: { subnets: ['subnet-a', 'subnet-b'] },
  },
  {
    name: 'a command continued over lines with backslashes',
    inputs: { ...base, command: 'node migrate.mjs \\\n  up \\\r\n  --to 42' },
    parsed: { command: ['node', 'migrate.mjs', 'up', '--to', '42'] },
  },
  {
    name: 'a JSON command over CRLF lines',
    inputs: { ...base, command: '[\r\n  "node",\r\n  "migrate.mjs"\r\n]' },
    parsed: { command: ['node', 'migrate.mjs'] },
  },
  { name: 'a launch type in lower case', inputs: { ...base, 'launch-type': 'fargate' }, parsed: { launchType: 'FARGATE' } },
  { name: 'assign-public-ip as ENABLED', inputs: { ...base, 'assign-public-ip': 'ENABLED' }, parsed: { assignPublicIp: 'ENABLED' } },
];

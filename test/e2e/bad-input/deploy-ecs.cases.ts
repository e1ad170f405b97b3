import { notTrueOrFalse, notWholeNumberOfAtLeast, type BadInput, type SurprisingInput } from './case';

// The e2e file's sandbox holds cluster "prod" with service "multi" (containers app and proxy); its workspace
// holds broken.json (not JSON), not-a-task-definition.json, array.json and no-containers.json.
const base = { cluster: 'prod', service: 'multi', container: 'app', image: 'x:1' };
const ACCOUNT = '000000000000';
const DIGEST = 'a'.repeat(64);
const SERVICE_DEPLOYMENT = `arn:aws:ecs:us-east-1:${ACCOUNT}:service-deployment/prod/multi/AbCdEf123`;

export const deployEcsBadInputs: BadInput[] = [
  // required inputs
  {
    name: 'no cluster',
    inputs: { service: 'multi', image: 'x:1' },
    input: 'cluster',
    error: /^Input 'cluster' is required but was not given\.$/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'no service and no task definition file to register',
    inputs: { cluster: 'prod', image: 'x:1' },
    input: 'service',
    error: /^Input 'service' is required unless 'task-definition' names a JSON file to register/,
    refusedBy: 'parser',
    e2e: true,
  },
  // task-definition as a registered revision, and no service
  {
    name: 'a registered revision with an image, which nothing would carry',
    inputs: { cluster: 'prod', service: 'multi', 'task-definition': 'multi:1', image: 'x:2' },
    input: 'image',
    error:
      /^Input 'task-definition' names the registered revision "multi:1", which is deployed as it is: nothing is registered to carry 'image'\. Remove it/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'a registered revision with environment and secrets',
    inputs: { cluster: 'prod', service: 'multi', 'task-definition': 'multi', environment: 'A=1', secrets: 'DB=/prod/db' },
    input: 'environment',
    error: /nothing is registered to carry 'environment', 'secrets'\. Remove them/,
    refusedBy: 'parser',
  },
  {
    name: 'a task-definition ARN that is not a task definition ARN',
    inputs: { cluster: 'prod', service: 'multi', 'task-definition': `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/multi:latest` },
    input: 'task-definition',
    error: /^Input 'task-definition' is an ARN but not a task definition ARN/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'a task-definition revision of 0',
    inputs: { cluster: 'prod', service: 'multi', 'task-definition': 'multi:0' },
    input: 'task-definition',
    error:
      /^Input 'task-definition' must be family\[:revision\] \(letters, digits, _ and -\), a task definition ARN or the path of a \.json file; got "multi:0"\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a registered revision without a service',
    inputs: { cluster: 'prod', 'task-definition': 'multi:1' },
    input: 'task-definition',
    error: /^Input 'task-definition' names the registered revision "multi:1" and 'service' is not given: there is nothing to register/,
    refusedBy: 'parser',
  },
  {
    name: 'a service input without a service',
    inputs: { cluster: 'prod', 'task-definition': 'td.json', 'desired-count': '2', 'force-new-deployment': 'true' },
    input: 'desired-count',
    error:
      /^Inputs 'desired-count', 'force-new-deployment' act on a service, but 'service' is not given: without one deploy-ecs only registers the task definition\. Remove them, or give the service\.$/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'the service settings without a service',
    inputs: {
      cluster: 'prod',
      'task-definition': 'td.json',
      'enable-execute-command': 'true',
      'propagate-tags': 'SERVICE',
      'enable-ecs-managed-tags': 'true',
      'health-check-grace-period': '90s',
    },
    input: 'enable-execute-command',
    error:
      /^Inputs 'enable-execute-command', 'propagate-tags', 'enable-ecs-managed-tags', 'health-check-grace-period' act on a service, but 'service' is not given/,
    refusedBy: 'parser',
  },
  {
    name: 'wait false without a service, where there is no rollout to watch',
    inputs: { cluster: 'prod', 'task-definition': 'td.json', wait: 'false' },
    input: 'wait',
    error: /^Input 'wait' acts on a service, but 'service' is not given/,
    refusedBy: 'parser',
  },
  {
    name: 'a failed-tasks-threshold without a service',
    inputs: { cluster: 'prod', 'task-definition': 'td.json', 'failed-tasks-threshold': '5' },
    input: 'failed-tasks-threshold',
    error: /^Input 'failed-tasks-threshold' acts on a service, but 'service' is not given/,
    refusedBy: 'parser',
  },
  {
    name: 'keep-revisions 1 without a service',
    inputs: { cluster: 'prod', 'task-definition': 'td.json', 'keep-revisions': '1' },
    input: 'keep-revisions',
    error: /^Input 'keep-revisions' must be a whole number of at least 2/,
    refusedBy: 'parser',
  },
  {
    name: 'a malformed scheduled-tasks line without a service',
    inputs: { cluster: 'prod', 'task-definition': 'td.json', 'scheduled-tasks': 'cron:nightly' },
    input: 'scheduled-tasks',
    error: /^Input 'scheduled-tasks' line 1 \("cron:nightly"\) does not start with rule: or schedule:/,
    refusedBy: 'parser',
  },
  {
    name: 'a cluster of only spaces',
    inputs: { ...base, cluster: '   ' },
    input: 'cluster',
    error: /^Input 'cluster' is required/,
    refusedBy: 'parser',
  },
  // image references
  {
    name: 'two images in one input',
    inputs: { ...base, image: 'web:1 web:2' },
    input: 'image',
    error: /^Input 'image' must be one image reference.*got "web:1 web:2": it holds a space/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'an image on two lines',
    inputs: { ...base, image: 'web:1\nweb:2' },
    input: 'image',
    error: /^Input 'image' must be one image reference.*a line break/s,
    refusedBy: 'parser',
  },
  {
    name: 'an image with an upper-case repository',
    inputs: { ...base, image: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/Web:1` },
    input: 'image',
    error: /^Input 'image' must be one image reference.*the repository part must be lower case\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'an image with an empty tag',
    inputs: { ...base, image: 'web:' },
    input: 'image',
    error: /^Input 'image' must be one image reference.*got "web:": the tag after ":" is empty\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'an image with a short sha256 digest',
    inputs: { ...base, image: 'web@sha256:abc' },
    input: 'image',
    error: /^Input 'image' must be one image reference.*a sha256 digest is 64 lower-case hex digits\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'an image with a digest missing its algorithm',
    inputs: { ...base, image: `web@${DIGEST}` },
    input: 'image',
    error: /^Input 'image' must be one image reference.*a digest follows @ as algorithm:hex/,
    refusedBy: 'parser',
  },
  {
    name: 'an image tag with a slash',
    inputs: { ...base, image: 'web:feature/x' },
    input: 'image',
    error: /^Input 'image' must be one image reference.*got "web:feature\/x"/,
    refusedBy: 'parser',
  },
  // CODE_DEPLOY services: a deployment to follow
  {
    name: 'a codedeploy-deployment-id too short to be one',
    inputs: { cluster: 'prod', service: 'multi', 'codedeploy-deployment-id': 'd-1234' },
    input: 'codedeploy-deployment-id',
    error:
      /^Input 'codedeploy-deployment-id' is "d-1234", which is not a CodeDeploy deployment id: .*"d-" and nine upper-case letters or digits/,
    refusedBy: 'parser',
  },
  {
    name: 'a codedeploy-deployment-id given with an image, which would start another deployment',
    inputs: { ...base, 'codedeploy-deployment-id': 'd-AAAAAAAAA' },
    input: 'codedeploy-deployment-id',
    error:
      /^Input 'codedeploy-deployment-id' follows a CodeDeploy deployment that already exists, so it starts none: 'image' was given too/,
    refusedBy: 'parser',
  },
  // durations, booleans, numbers
  {
    name: 'a timeout in words',
    inputs: { ...base, timeout: '10 minutes' },
    input: 'timeout',
    error: /^Input 'timeout' must be a duration such as 90s, 15m, 1h or a number of seconds; got "10 minutes"\.$/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'a timeout in days',
    inputs: { ...base, timeout: '1d' },
    input: 'timeout',
    error: /^Input 'timeout' must be a duration .*got "1d"\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a negative timeout',
    inputs: { ...base, timeout: '-5m' },
    input: 'timeout',
    error: /^Input 'timeout' must be a duration .*got "-5m"\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a timeout with a comma',
    inputs: { ...base, timeout: '1,5m' },
    input: 'timeout',
    error: /^Input 'timeout' must be a duration .*got "1,5m"\.$/,
    refusedBy: 'parser',
  },
  notTrueOrFalse('wait as yes', base, 'wait', 'yes'),
  notTrueOrFalse('force-new-deployment as 1', base, 'force-new-deployment', '1'),
  // service settings
  notTrueOrFalse('enable-execute-command as yes', base, 'enable-execute-command', 'yes'),
  {
    name: 'propagate-tags of an unknown source',
    inputs: { ...base, 'propagate-tags': 'TASK' },
    input: 'propagate-tags',
    error: /^Input 'propagate-tags' must be one of TASK_DEFINITION, SERVICE, NONE; got "TASK"\.$/,
    refusedBy: 'parser',
  },
  notTrueOrFalse('enable-ecs-managed-tags as 1', base, 'enable-ecs-managed-tags', '1'),
  {
    name: 'a negative health check grace period',
    inputs: { ...base, 'health-check-grace-period': '-1' },
    input: 'health-check-grace-period',
    error: /^Input 'health-check-grace-period' must be whole seconds from 0 to 2147483647, .*got "-1": it is not a duration\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a health check grace period of a fraction of a second',
    inputs: { ...base, 'health-check-grace-period': '500ms' },
    input: 'health-check-grace-period',
    error: /^Input 'health-check-grace-period' .*got "500ms": ECS takes whole seconds\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a health check grace period above ECS maximum',
    inputs: { ...base, 'health-check-grace-period': '1000000h' },
    input: 'health-check-grace-period',
    error: /^Input 'health-check-grace-period' .*got "1000000h": ECS takes at most 2147483647 seconds\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a service setting while following a service deployment',
    inputs: { cluster: 'prod', service: 'multi', 'service-deployment-arn': SERVICE_DEPLOYMENT, 'propagate-tags': 'SERVICE' },
    input: 'propagate-tags',
    error:
      /^Input 'propagate-tags' changes a service setting, but 'service-deployment-arn' follows a deployment that exists and changes nothing\./,
    refusedBy: 'parser',
  },
  notWholeNumberOfAtLeast('a negative desired count', base, 'desired-count', 0, '-1', { e2e: true }),
  notWholeNumberOfAtLeast('a fractional desired count', base, 'desired-count', 0, '1.5'),
  notWholeNumberOfAtLeast('a desired count in words', base, 'desired-count', 0, 'two'),
  notWholeNumberOfAtLeast('a failed-tasks threshold of zero', base, 'failed-tasks-threshold', 1, '0'),
  // environment lines
  {
    name: 'an environment line without =',
    inputs: { ...base, environment: 'just text' },
    input: 'environment',
    error: /^Input 'environment' must hold KEY=VALUE lines .*got a line starting "just text"\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'an environment line without a name',
    inputs: { ...base, environment: '=value' },
    input: 'environment',
    error: /^Input 'environment' must hold KEY=VALUE lines/,
    refusedBy: 'parser',
  },
  {
    name: 'an environment name starting with a digit',
    inputs: { ...base, environment: '1PORT=80' },
    input: 'environment',
    error: /^Input 'environment' must hold KEY=VALUE lines whose name starts with a letter or underscore/,
    refusedBy: 'parser',
  },
  {
    name: 'an environment name set twice',
    inputs: { ...base, environment: 'A=1\nA=2' },
    input: 'environment',
    error: /^Input 'environment' sets A more than once; give each name one line\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'an environment line for a container prefix that is no container name',
    inputs: { ...base, environment: 'my.proxy:LEVEL=debug' },
    input: 'environment',
    error: /^Input 'environment' line 1 starts with "my\.proxy:", which is not a container name/,
    refusedBy: 'parser',
  },
  {
    name: 'an environment name set twice for one container',
    inputs: { ...base, environment: 'proxy:A=1\nA=2\nproxy:A=3' },
    input: 'environment',
    error: /^Input 'environment' sets proxy:A more than once; give each name one line\.$/,
    refusedBy: 'parser',
  },
  // several containers: images
  {
    name: 'an images line without a container',
    inputs: { ...base, images: 'x:2' },
    input: 'images',
    error: /^Input 'images' must hold container=image lines.*line 1 is "x:2"\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'an images line whose image is not one',
    inputs: { ...base, images: 'proxy=proxy:1 proxy:2' },
    input: 'images',
    error: /^Input 'images' line 1 \(container "proxy"\) must be one image reference.*holds a space/,
    refusedBy: 'parser',
  },
  {
    name: 'a container given two images in images',
    inputs: { ...base, images: 'proxy=proxy:2\nproxy=proxy:3' },
    input: 'images',
    error: /^Input 'images' gives container "proxy" an image on lines 1 and 2; give each container one line\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'the same container in image (with container) and images',
    inputs: { ...base, images: 'proxy=proxy:2\napp=x:2' },
    input: 'images',
    error:
      /^Input 'images' sets the image of container "app" on line 2, which input 'image' sets too .*Give its image once: in image, or in images\.$/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'an images container the revision does not have',
    inputs: { cluster: 'prod', service: 'multi', images: 'app=x:2\nsidecar=envoy:2' },
    input: 'images',
    error: /^Input 'images' line 2 names the container "sidecar", but task definition family multi has the containers "app", "proxy"\.$/,
    refusedBy: 'sandbox',
  },
  {
    name: 'an environment container the revision does not have',
    inputs: { ...base, environment: 'A=1\nsidecar:LEVEL=debug' },
    input: 'environment',
    error:
      /^Input 'environment' line 2 \(sidecar:LEVEL\) names the container "sidecar", but task definition family multi has the containers "app", "proxy"\.$/,
    refusedBy: 'sandbox',
  },
  // secrets
  {
    name: 'a secret referenced by an ARN of neither store',
    inputs: { ...base, secrets: `DB_PASSWORD=arn:aws:s3:::${ACCOUNT}-secrets/db` },
    input: 'secrets',
    error:
      /^Input 'secrets' line 1 \(DB_PASSWORD\) must reference an SSM parameter by name or ARN, or a Secrets Manager secret by ARN; got ".*": it is an ARN of s3, neither/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'a Secrets Manager ARN without a secret name',
    inputs: { ...base, secrets: `DB_PASSWORD=arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:` },
    input: 'secrets',
    error: /^Input 'secrets' line 1 \(DB_PASSWORD\) .*it is a Secrets Manager ARN but not of a secret/,
    refusedBy: 'parser',
  },
  {
    name: 'a secret without a reference',
    inputs: { ...base, secrets: 'DB_PASSWORD=' },
    input: 'secrets',
    error: /^Input 'secrets' line 1 \(DB_PASSWORD\) .*got "": it is empty\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a secret container the revision does not have',
    inputs: { ...base, secrets: `sidecar:TOKEN=arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/token` },
    input: 'secrets',
    error:
      /^Input 'secrets' line 1 \(sidecar:TOKEN\) names the container "sidecar", but task definition family multi has the containers "app", "proxy"\.$/,
    refusedBy: 'sandbox',
  },
  {
    name: 'a name given both in environment and secrets',
    inputs: { ...base, environment: 'DB_PASSWORD=hunter2', secrets: 'DB_PASSWORD=/prod/db' },
    input: 'secrets',
    error: /^Inputs 'environment' and 'secrets' both set DB_PASSWORD on container "app"/,
    refusedBy: 'sandbox',
  },
  // regions
  {
    name: 'a region typo in the input',
    inputs: { ...base, region: 'eu-wset-1' },
    input: 'region',
    error:
      /^Input 'region' is "eu-wset-1", which is not an AWS region; did you mean eu-west-1\? Set 'region' to a region such as us-east-1/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'a region typo in AWS_REGION',
    inputs: base,
    env: { AWS_REGION: 'us-easst-1' },
    input: 'region',
    error: /^AWS_REGION is "us-easst-1", which is not an AWS region; did you mean us-east-1\? Set AWS_REGION \(or the 'region' input\)/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'an availability zone as region',
    inputs: { ...base, region: 'us-east-1a' },
    input: 'region',
    error: /^Input 'region' is "us-east-1a", which is not an AWS region; did you mean us-east-1\?/,
    refusedBy: 'parser',
  },
  {
    name: 'a region display name',
    inputs: { ...base, region: 'N. Virginia' },
    input: 'region',
    error: /^Input 'region' is "N\. Virginia", which is not an AWS region\. Set 'region'/,
    refusedBy: 'parser',
  },
  // ARNs
  {
    name: 'a cluster ARN of another service',
    inputs: { ...base, cluster: `arn:aws:iam::${ACCOUNT}:role/prod` },
    input: 'cluster',
    error:
      /^Input 'cluster' is an ARN of iam, not of ECS: give the cluster's name or its ARN, arn:aws:ecs:<region>:<account>:cluster\/<name>; got/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'a cluster ARN in another region',
    inputs: { ...base, cluster: `arn:aws:ecs:eu-west-1:${ACCOUNT}:cluster/prod` },
    input: 'cluster',
    error:
      /^Input 'cluster' names a cluster in eu-west-1, but this step works in us-east-1 .*set 'region' to eu-west-1, or give the one in us-east-1; got/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'a cluster ARN with a short account',
    inputs: { ...base, cluster: 'arn:aws:ecs:us-east-1:12345:cluster/prod' },
    input: 'cluster',
    error: /^Input 'cluster' names the account "12345", which is not 12 digits/,
    refusedBy: 'parser',
  },
  {
    name: 'a task definition ARN as the service',
    inputs: { ...base, service: `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/multi:1` },
    input: 'service',
    error: /^Input 'service' is the ARN of an ECS task-definition, not of a service/,
    refusedBy: 'parser',
  },
  {
    name: 'a service ARN of another cluster',
    inputs: { ...base, service: `arn:aws:ecs:us-east-1:${ACCOUNT}:service/staging/multi` },
    input: 'service',
    error:
      /^Input 'service' is the ARN of a service in cluster "staging", but 'cluster' is "prod": give the service of that cluster, or set 'cluster' to staging\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'cluster and service ARNs of two accounts',
    inputs: {
      ...base,
      cluster: `arn:aws:ecs:us-east-1:111111111111:cluster/prod`,
      service: `arn:aws:ecs:us-east-1:222222222222:service/prod/multi`,
    },
    input: 'service',
    error: /^Input 'service' is in account 222222222222, but 'cluster' is in account 111111111111/,
    refusedBy: 'parser',
  },
  {
    name: 'something that only starts like an ARN',
    inputs: { ...base, cluster: 'arn:prod' },
    input: 'cluster',
    error: /^Input 'cluster' starts with arn: but is not an ARN/,
    refusedBy: 'parser',
  },
  {
    name: 'a preflight that is neither true, warn nor false',
    inputs: { ...base, preflight: 'skip' },
    input: 'preflight',
    error: /^Input 'preflight' must be one of true, warn, false; got "skip"\.$/,
    refusedBy: 'parser',
  },
  // wait-until and service-deployment-arn
  {
    name: 'a wait-until that is not a stage to stop at',
    inputs: { ...base, 'wait-until': 'ready' },
    input: 'wait-until',
    error: /^Input 'wait-until' must be one of complete, bake, paused; got "ready"\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'wait-until with wait false',
    inputs: { ...base, wait: 'false', 'wait-until': 'bake' },
    input: 'wait-until',
    error:
      /^Input 'wait-until' \(bake\) says where to stop watching, but wait is false: nothing is watched\. Remove wait-until, or set wait to true\.$/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'a service-deployment-arn that is a deployment id',
    inputs: { cluster: 'prod', service: 'multi', 'service-deployment-arn': 'ecs-svc/123' },
    input: 'service-deployment-arn',
    error:
      /^Input 'service-deployment-arn' is an ECS deployment id \(deploy-ecs's deployment-id output\), not a service deployment ARN: give a service deployment ARN, arn:aws:ecs:<region>:<account>:service-deployment\/<cluster>\/<service>\/<id>/,
    refusedBy: 'parser',
  },
  {
    name: 'a service-deployment-arn with an image, which would start a deployment',
    inputs: { ...base, 'service-deployment-arn': SERVICE_DEPLOYMENT },
    input: 'service-deployment-arn',
    error:
      /^Input 'service-deployment-arn' follows a service deployment that already exists, so it starts none: 'image' was given too, which would start one\. Remove them/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'a service-deployment-arn with every input that starts a deployment',
    inputs: {
      cluster: 'prod',
      service: 'multi',
      'service-deployment-arn': SERVICE_DEPLOYMENT,
      image: 'x:1',
      images: 'proxy=proxy:2',
      environment: 'A=1',
      secrets: 'DB=/prod/db',
      'task-definition': 'td.json',
      'desired-count': '2',
      'force-new-deployment': 'true',
    },
    input: 'service-deployment-arn',
    error:
      /: 'image', 'images', 'environment', 'secrets', 'task-definition', 'desired-count', 'force-new-deployment' were given too, which would start one\./,
    refusedBy: 'parser',
  },
  {
    name: 'a service-deployment-arn with wait false',
    inputs: { cluster: 'prod', service: 'multi', 'service-deployment-arn': SERVICE_DEPLOYMENT, wait: 'false' },
    input: 'service-deployment-arn',
    error:
      /^Input 'service-deployment-arn' follows a service deployment, but wait is false: the step would do nothing\. Remove wait: false\.$/,
    refusedBy: 'parser',
  },
  // what only AWS (the sandbox) can tell
  {
    name: 'wait-until paused on a rolling service',
    inputs: { ...base, 'wait-until': 'paused' },
    input: 'wait-until',
    error:
      /^Input 'wait-until' is paused, but service "multi" is a rolling update \(strategy ROLLING\), which has no PAUSE lifecycle hook to stop at\. Use complete or bake\. Nothing was changed\.$/,
    refusedBy: 'sandbox',
  },
  {
    name: 'an unknown container',
    inputs: { ...base, container: 'web' },
    input: 'container',
    error: /^Input 'container' names "web".*"app", "proxy"/,
    refusedBy: 'sandbox',
  },
  {
    name: 'an ambiguous container',
    inputs: { cluster: 'prod', service: 'multi', image: 'x:1' },
    input: 'container',
    error: /^Input 'container' is required because .* "app", "proxy"/,
    refusedBy: 'sandbox',
  },
  {
    name: 'a missing task-definition file',
    inputs: { cluster: 'prod', service: 'multi', 'task-definition': 'nope.json' },
    input: 'task-definition',
    error: /^Input 'task-definition' names the file "nope\.json", which does not exist/,
    refusedBy: 'sandbox',
  },
  {
    name: 'a task-definition file that is not JSON',
    inputs: { cluster: 'prod', service: 'multi', 'task-definition': 'broken.json' },
    input: 'task-definition',
    error: /^Input 'task-definition': the file "broken\.json" is not valid JSON/,
    refusedBy: 'sandbox',
  },
  {
    name: 'a task-definition file holding JSON that is not a task definition',
    inputs: { cluster: 'prod', service: 'multi', 'task-definition': 'not-a-task-definition.json' },
    input: 'task-definition',
    error:
      /^Input 'task-definition': the file "not-a-task-definition\.json" is JSON but not a task definition; it needs at least "family" and "containerDefinitions"\.$/,
    refusedBy: 'sandbox',
  },
  {
    name: 'a task-definition file holding a JSON array',
    inputs: { cluster: 'prod', service: 'multi', 'task-definition': 'array.json' },
    input: 'task-definition',
    error: /^Input 'task-definition': the file "array\.json" is JSON but not a task definition/,
    refusedBy: 'sandbox',
  },
  {
    name: 'a task-definition file that is a directory',
    inputs: { cluster: 'prod', service: 'multi', 'task-definition': 'definitions' },
    input: 'task-definition',
    error: /^Input 'task-definition' names the file "definitions", which is a directory/,
    refusedBy: 'sandbox',
  },
  {
    name: 'a service that does not exist',
    inputs: { ...base, service: 'ghost' },
    input: 'service',
    error: /^Input 'service': there is no active service "ghost" in cluster "prod"/,
    refusedBy: 'sandbox',
  },
  {
    name: 'a cluster that does not exist',
    inputs: { ...base, cluster: 'nowhere' },
    input: 'cluster',
    error: /^Input 'cluster': there is no cluster "nowhere"/,
    refusedBy: 'sandbox',
  },
  // compare-with: a service of the same account and region, as cluster/service or its ARN
  {
    name: 'a compare-with that names no cluster',
    inputs: { ...base, 'compare-with': 'multi' },
    input: 'compare-with',
    error:
      /^Input 'compare-with' must name a service as cluster\/service \(e\.g\. staging\/web\) or the service ARN arn:aws:ecs:<region>:<account>:service\/<cluster>\/<name>; got "multi": it names no cluster\.$/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'a compare-with with a space in its service name',
    inputs: { ...base, 'compare-with': 'staging/my web' },
    input: 'compare-with',
    error:
      /^Input 'compare-with' must name a service .*; got "staging\/my web": the service name "my web" may hold only letters, digits, hyphens and underscores/,
    refusedBy: 'parser',
  },
  {
    name: 'a compare-with of three parts',
    inputs: { ...base, 'compare-with': 'staging/web/extra' },
    input: 'compare-with',
    error: /^Input 'compare-with' must name a service .*: cluster and service names hold no "\/"\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a compare-with ARN of another region',
    inputs: { ...base, 'compare-with': `arn:aws:ecs:eu-west-1:${ACCOUNT}:service/staging/web` },
    input: 'compare-with',
    error:
      /^Input 'compare-with' names a service in eu-west-1, but this step works in us-east-1 .*same account and region only\. Give a service in us-east-1\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a compare-with ARN of a task definition',
    inputs: { ...base, 'compare-with': `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/web:3` },
    input: 'compare-with',
    error: /^Input 'compare-with' must name a service .*: it is the ARN of an ECS task-definition, not of a service\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a compare-with service ARN of the old form, which names no cluster',
    inputs: { ...base, 'compare-with': `arn:aws:ecs:us-east-1:${ACCOUNT}:service/web` },
    input: 'compare-with',
    error:
      /^Input 'compare-with' must name a service .*: a service ARN of the old form \(service\/<name>\) does not name its cluster; give cluster\/service\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'compare-with with preflight false, under which it would not run',
    inputs: { ...base, 'compare-with': 'staging/web', preflight: 'false' },
    input: 'compare-with',
    error:
      /^Input 'compare-with' is reported by a pre-flight check, but preflight is false: it would not run\. Remove compare-with, or set preflight to true or warn\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'compare-with while following a deployment, which registers no revision',
    inputs: { cluster: 'prod', service: 'multi', 'service-deployment-arn': SERVICE_DEPLOYMENT, 'compare-with': 'staging/web' },
    input: 'compare-with',
    error:
      /^Input 'compare-with' compares the revision this step registers with another service's, but following a deployment registers none\./,
    refusedBy: 'parser',
  },
  {
    name: 'a compare-with service that does not exist',
    inputs: { ...base, 'compare-with': 'prod/ghost' },
    input: 'compare-with',
    error:
      /^Input 'compare-with': there is no active service "ghost" in cluster "prod" \(us-east-1\): MISSING\. Give cluster\/service of a service in the same account and region\. Nothing was changed\.$/,
    refusedBy: 'sandbox',
  },
  {
    name: 'a compare-with cluster that does not exist',
    inputs: { ...base, 'compare-with': 'nowhere/multi' },
    input: 'compare-with',
    error: /^Input 'compare-with': there is no cluster "nowhere" in us-east-1\. Give cluster\/service/,
    refusedBy: 'sandbox',
  },
  {
    name: 'a compare-with that names the service deployed',
    inputs: { ...base, 'compare-with': 'prod/multi' },
    input: 'compare-with',
    error: /^Input 'compare-with' names prod\/multi, the service this step deploys: comparing it with itself says nothing\./,
    refusedBy: 'sandbox',
  },
  // scheduled-tasks: rule:[bus/]name or schedule:[group/]name lines, acted on once the deploy completed
  {
    name: 'a scheduled-tasks line of neither rule: nor schedule:',
    inputs: { ...base, 'scheduled-tasks': 'rule:nightly\ncron:weekly' },
    input: 'scheduled-tasks',
    error: /^Input 'scheduled-tasks' line 2 \("cron:weekly"\) does not start with rule: or schedule:; each line is rule:\[bus\/\]name/,
    refusedBy: 'parser',
  },
  {
    name: 'a scheduled-tasks rule name with a space',
    inputs: { ...base, 'scheduled-tasks': 'rule:orders/nightly report' },
    input: 'scheduled-tasks',
    error: /^Input 'scheduled-tasks' line 1 \("rule:orders\/nightly report"\) has rule name "nightly report", not up to 64 letters/,
    refusedBy: 'parser',
  },
  {
    name: 'a scheduled-tasks line given twice',
    inputs: { ...base, 'scheduled-tasks': 'schedule:export\nschedule:default/export' },
    input: 'scheduled-tasks',
    error: /^Input 'scheduled-tasks' names schedule default\/export on lines 1 and 2; name each rule or schedule once\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'scheduled-tasks with wait-until bake',
    inputs: { ...base, 'scheduled-tasks': 'rule:nightly', 'wait-until': 'bake' },
    input: 'scheduled-tasks',
    error: /^Input 'scheduled-tasks' acts once the deploy has completed successfully, but wait-until is bake/,
    refusedBy: 'parser',
  },
  // keep-revisions: a whole number of at least 2
  ...['0', '1', '-3', 'ten', '2.5'].map((value): BadInput => ({
    name: `keep-revisions ${value}`,
    inputs: { ...base, 'keep-revisions': value },
    input: 'keep-revisions',
    error: new RegExp(`^Input 'keep-revisions' must be a whole number of at least 2 .*; got "${value.replace('.', '\\.')}"\\.$`),
    refusedBy: 'parser',
  })),
  {
    name: 'keep-revisions with wait false',
    inputs: { ...base, 'keep-revisions': '5', wait: 'false' },
    input: 'keep-revisions',
    error: /^Input 'keep-revisions' acts once the deploy has completed successfully, but wait is false/,
    refusedBy: 'parser',
  },
];

export const deployEcsSurprisingInputs: SurprisingInput[] = [
  {
    name: 'an image without a tag means :latest, with a warning',
    // Another account's registry, which holds what the sandbox's tasks run (see run-migration.cases.ts).
    inputs: { ...base, image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web' },
    parsed: { image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web' },
    warning:
      /^Input 'image' is ".*\/web" without a tag or digest, which means .*\/web:latest.*Give a tag, or better the digest build-push outputs/,
  },
  {
    name: 'an image pinned by digest alone',
    inputs: { ...base, image: `web@sha256:${DIGEST}` },
    parsed: { image: `web@sha256:${DIGEST}` },
  },
  {
    name: 'an image of a registry with a port',
    inputs: { ...base, image: 'localhost:5000/team/web:1.2.3' },
    parsed: { image: 'localhost:5000/team/web:1.2.3' },
  },
  {
    name: 'trailing spaces around names',
    inputs: { ...base, cluster: 'prod  ', service: '  multi\t' },
    parsed: { cluster: 'prod', service: 'multi' },
  },
  {
    name: 'CRLF line endings and blank lines in environment',
    inputs: { ...base, environment: 'A=1\r\n\r\nB=two words  \r\n' },
    parsed: {
      environment: [
        { name: 'A', value: '1' },
        { name: 'B', value: 'two words' },
      ],
    },
  },
  {
    name: 'a value holding = signs',
    inputs: { ...base, environment: 'URL=postgres://h/db?a=b' },
    parsed: { environment: [{ name: 'URL', value: 'postgres://h/db?a=b' }] },
  },
  {
    name: 'a prefixed line and a reference holding colons',
    inputs: {
      ...base,
      environment: 'proxy:UPSTREAM=http://localhost:8080/a=b',
      secrets: `TOKEN=arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:token-AbCdEf:key::`,
    },
    parsed: {
      environment: [{ container: 'proxy', name: 'UPSTREAM', value: 'http://localhost:8080/a=b' }],
      secrets: [{ name: 'TOKEN', value: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:token-AbCdEf:key::` }],
    },
  },
  { name: 'a boolean in capitals', inputs: { ...base, wait: 'FALSE' }, parsed: { wait: false } },
  { name: 'a compound duration', inputs: { ...base, timeout: '1h30m' }, parsed: { timeoutMs: 90 * 60_000 } },
  { name: 'a region newer than this SDK is left to AWS', inputs: { ...base, region: 'eu-west-9' }, parsed: { region: 'eu-west-9' } },
  {
    name: 'cluster and service as ARNs of the same cluster',
    inputs: {
      ...base,
      cluster: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/prod`,
      service: `arn:aws:ecs:us-east-1:${ACCOUNT}:service/prod/multi`,
    },
    parsed: { service: `arn:aws:ecs:us-east-1:${ACCOUNT}:service/prod/multi` },
  },
];

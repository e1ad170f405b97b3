import type { BadInput, SurprisingInput } from './case';

// Run in a workspace holding a Dockerfile and an app/ folder without one (test/support/build-push.ts makeContext).
const base = { repository: 'bad-input-web', 'create-repository': 'true' };

export const buildPushBadInputs: BadInput[] = [
  {
    name: 'no repository',
    inputs: { 'create-repository': 'true' },
    input: 'repository',
    error: /^Input 'repository' is required but was not given\.$/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'a repository name ECR would refuse',
    inputs: { ...base, repository: 'Team/Web' },
    input: 'repository',
    error: /^Input 'repository' must be lowercase letters and digits .*; got "Team\/Web"\.$/,
    refusedBy: 'parser',
    e2e: true,
  },
  {
    name: 'a repository URI instead of its name',
    inputs: { ...base, repository: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web' },
    input: 'repository',
    error: /^Input 'repository' must be the repository name, not its URI/,
    refusedBy: 'parser',
  },
  {
    name: 'a repository name with a tag',
    inputs: { ...base, repository: 'web:1' },
    input: 'repository',
    error: /^Input 'repository' must be lowercase letters and digits .*; got "web:1"\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a one-letter repository name',
    inputs: { ...base, repository: 'w' },
    input: 'repository',
    error: /^Input 'repository' must be 2 to 256 characters long; got "w"\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a missing Dockerfile',
    inputs: { ...base, dockerfile: 'docker/Nope.Dockerfile' },
    input: 'dockerfile',
    error: /^Input 'dockerfile' names "docker\/Nope\.Dockerfile", which does not exist/,
    refusedBy: 'parser',
  },
  {
    name: 'a context without a Dockerfile',
    inputs: { ...base, context: 'app' },
    input: 'dockerfile',
    error: /^Input 'dockerfile' is not set and the context has no Dockerfile/,
    refusedBy: 'parser',
  },
  {
    name: 'a context that is not there',
    inputs: { ...base, context: 'nowhere' },
    input: 'context',
    error: /^Input 'context' names "nowhere", which is not a directory/,
    refusedBy: 'parser',
  },
  {
    name: 'a context that is a file',
    inputs: { ...base, context: 'Dockerfile' },
    input: 'context',
    error: /^Input 'context' names "Dockerfile", which is not a directory/,
    refusedBy: 'parser',
  },
  {
    name: 'an unknown builder',
    inputs: { ...base, builder: 'kaniko' },
    input: 'builder',
    error: /^Input 'builder' must be one of docker, buildx, classic, buildah, podman; got "kaniko"\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a bad threshold',
    inputs: { ...base, 'scan-severity-threshold': 'severe' },
    input: 'scan-severity-threshold',
    error: /^Input 'scan-severity-threshold' must be one of none, informational, low, medium, high, critical; got "severe"\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a malformed scan-timeout',
    inputs: { ...base, 'scan-timeout': '10 min' },
    input: 'scan-timeout',
    error: /^Input 'scan-timeout' must be a duration such as 90s, 15m, 1h or a number of seconds; got "10 min"\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a bad extra tag',
    inputs: { ...base, tags: '-latest' },
    input: 'tags',
    error: /^Input 'tags' holds "-latest", which is not a valid tag/,
    refusedBy: 'parser',
  },
  {
    name: 'an extra tag with a slash',
    inputs: { ...base, tags: 'v1\nfeature/x' },
    input: 'tags',
    error: /^Input 'tags' holds "feature\/x", which is not a valid tag/,
    refusedBy: 'parser',
  },
  {
    name: 'a platform without an architecture',
    inputs: { ...base, platforms: 'linux' },
    input: 'platforms',
    error: /^Input 'platforms' holds "linux"; a platform is os\/arch or os\/arch\/variant, e\.g\. linux\/amd64 or linux\/arm64\/v8\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a bad build-args line',
    inputs: { ...base, 'build-args': 'no equals sign' },
    input: 'build-args',
    error: /^Input 'build-args' must hold KEY=VALUE lines/,
    refusedBy: 'parser',
  },
  {
    name: 'a build arg set twice',
    inputs: { ...base, 'build-args': 'NODE=22\nNODE=24' },
    input: 'build-args',
    error: /^Input 'build-args' sets NODE more than once/,
    refusedBy: 'parser',
  },
  {
    name: 'a malformed push',
    inputs: { ...base, push: 'on' },
    input: 'push',
    error: /^Input 'push' must be true or false; got "on"\.$/,
    refusedBy: 'parser',
  },
  {
    name: 'a registry-id that is not an account ID',
    inputs: { ...base, 'registry-id': '1234-5678-9012' },
    input: 'registry-id',
    error: /^Input 'registry-id' is "1234-5678-9012"; it is the 12-digit AWS account ID whose registry holds the repository/,
    refusedBy: 'parser',
    e2e: true,
  },
  // what only a run can tell (the builder installed on the runner)
  {
    name: 'several platforms without buildx',
    inputs: { ...base, builder: 'buildah', platforms: 'linux/amd64,linux/arm64' },
    input: 'platforms',
    error: /^Input 'platforms' lists 2 platforms; building several needs docker buildx/,
    refusedBy: 'sandbox',
  },
  {
    name: 'a region typo',
    inputs: { ...base, region: 'eu-wset-1' },
    input: 'region',
    error: /^Input 'region' is "eu-wset-1", which is not an AWS region; did you mean eu-west-1\?/,
    refusedBy: 'parser',
    e2e: true,
  },
];

export const buildPushSurprisingInputs: SurprisingInput[] = [
  {
    name: 'platforms separated by commas and lines',
    inputs: { ...base, platforms: 'linux/amd64, linux/arm64\r\nlinux/arm/v7' },
    parsed: { platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'] },
  },
  {
    name: 'extra tags on CRLF lines with trailing spaces',
    inputs: { ...base, tags: 'v1  \r\nstable\r\n' },
    parsed: { extraTags: ['v1', 'stable'] },
  },
  { name: 'a severity threshold in capitals', inputs: { ...base, 'scan-severity-threshold': 'HIGH' }, parsed: { scanThreshold: 'HIGH' } },
];

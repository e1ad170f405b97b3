/**
 * `npm run sandbox`: starts the sandbox and prints what to export so the AWS CLI, the SDK or the bundled
 * actions talk to it, and the URL of each target group's load balancer as it starts. Flags: --port N,
 * --time-scale X, --seed file.json (clusters, task definitions, log groups, target groups, services, alarms, SSM parameters, secrets, IAM roles, other accounts' ECR repositories),
 * --catalog file.json (image repositories to run as local processes, as `start({ catalog })` takes them),
 * --faults file.json (fault options as `setFaults()` takes them: rules and a seed). Faults can also be changed
 * while it runs, through /_sandbox/faults on the same port (http/control); --iam policy.json (an allow-list or a
 * policy document, as `start({ iam })` takes it), also /_sandbox/iam (http/iam-control). Lifecycle hooks'
 * Lambda functions are HTTP endpoints registered through /_sandbox/lambda-hooks (http/lambda-hook-control).
 */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { start, type CatalogEntry, type FaultOptions, type IamPolicy, type LoadBalancerInfo } from './index';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'time-scale': { type: 'string', default: '1' },
      seed: { type: 'string' },
      catalog: { type: 'string' },
      faults: { type: 'string' },
      iam: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(
      'Usage: npm run sandbox -- [--port 0] [--time-scale 1] [--seed state.json] [--catalog images.json] [--faults faults.json] [--iam policy.json]',
    );
    console.log('  --catalog: {"<image repository>": {"command": [...], "cwd": "...", "env": {...}}} runs those images as local processes');
    console.log('  --faults: fault rules from the start, e.g. {"seed": 7, "rules": [{"operation": "DescribeServices", "probability": 0.3,');
    console.log('            "effect": {"kind": "error", "code": "ThrottlingException"}}]}');
    console.log('Fault rules while it runs, on the same port (JSON bodies as --faults takes):');
    console.log('  curl -X POST   $AWS_ENDPOINT_URL/_sandbox/faults -d @faults.json   replaces the rules (and the seed)');
    console.log('  curl -X PATCH  $AWS_ENDPOINT_URL/_sandbox/faults -d @more.json     adds rules after those in force');
    console.log('  curl           $AWS_ENDPOINT_URL/_sandbox/faults                   shows them');
    console.log('  curl -X DELETE $AWS_ENDPOINT_URL/_sandbox/faults                   clears them');
    console.log('  curl           $AWS_ENDPOINT_URL/_sandbox/calls                    the call log, with the faults applied to each call');
    console.log(
      '  A rule: {"service"?: "ecs"|"logs"|"elbv2"|"cloudwatch"|"ecr"|"codedeploy", "operation"?: name or [names], "match"?: {partial input},',
    );
    console.log('           "probability"?: 0..1, "count"?: N, "after"?: N, "effect": {...}}; effects:');
    console.log(
      '    {"kind": "error", "code"?, "status"?, "message"?}   no code: the service\'s server error; "ThrottlingException": its throttle',
    );
    console.log('    {"kind": "refuse", "code"?: "AccessDeniedException"|"UnsupportedFeatureException"}');
    console.log('    {"kind": "latency", "ms": 2000}');
    console.log('    {"kind": "drop", "when": "before"|"after"}   the connection is reset before the call runs, or after it took effect');
    console.log('    {"kind": "task-fails-to-start", "family"?, "reason"?}   the call runs; the next task of that family fails to start');
    console.log(
      '    {"kind": "target-turns-unhealthy", "targetGroupArn"?, "reason"?}   the call runs; the targets of that group (or of the tasks or service the call names) turn unhealthy',
    );
    console.log(
      '    {"kind": "placement-fails", "cluster"?, "capacityProvider"?, "reason"?, "forMs"?}   the call runs; the cluster places no task (for forMs, or until the rules change)',
    );
    console.log('  --iam: the IAM actions allowed, {"allow": ["ecs:Describe*", ...]} or a policy document {"Statement": [...]};');
    console.log('         anything else is answered AccessDeniedException. Default: everything is allowed. While it runs:');
    console.log('  curl -X POST   $AWS_ENDPOINT_URL/_sandbox/iam -d @policy.json      replaces the policy');
    console.log('  curl           $AWS_ENDPOINT_URL/_sandbox/iam                      shows it');
    console.log('  curl -X DELETE $AWS_ENDPOINT_URL/_sandbox/iam                      allows everything again');
    console.log('  Lambda lifecycle hooks (deploymentConfiguration.lifecycleHooks, AWS_LAMBDA): the function of a hookTargetArn is an');
    console.log('  HTTP endpoint that gets the hook event as a JSON POST and answers {"hookStatus": "SUCCEEDED|FAILED|IN_PROGRESS", ...}:');
    console.log(
      '  curl -X POST   $AWS_ENDPOINT_URL/_sandbox/lambda-hooks -d \'{"functionArn": "arn:aws:lambda:...", "url": "http://127.0.0.1:9000/hook"}\'',
    );
    console.log('  curl -X DELETE "$AWS_ENDPOINT_URL/_sandbox/lambda-hooks?functionArn=arn:aws:lambda:..."');
    return;
  }
  const port = Number(values.port);
  const timeScale = Number(values['time-scale']);
  if (!Number.isInteger(port) || port < 0) throw new Error(`--port must be a port number, got ${values.port}`);
  if (!(timeScale > 0)) throw new Error(`--time-scale must be a positive number, got ${values['time-scale']}`);

  // Seeded target groups get their load balancers before the endpoint is known: print them after it.
  const early: LoadBalancerInfo[] = [];
  let started = false;
  const printLoadBalancer = (lb: LoadBalancerInfo) =>
    console.log(`load balancer of target group ${lb.targetGroupName}: ${lb.url}  (${lb.targetGroupArn})`);
  const faults = values.faults ? (JSON.parse(readFileSync(values.faults, 'utf8')) as FaultOptions) : undefined;
  const iam = values.iam ? (JSON.parse(readFileSync(values.iam, 'utf8')) as IamPolicy) : undefined;
  const catalog = values.catalog ? (JSON.parse(readFileSync(values.catalog, 'utf8')) as Record<string, CatalogEntry>) : undefined;
  const sandbox = await start({
    port,
    timeScale,
    seed: values.seed,
    catalog,
    faults,
    iam,
    onLoadBalancer: (lb) => (started ? printLoadBalancer(lb) : early.push(lb)),
  });
  started = true;
  console.log(`ECS sandbox listening on ${sandbox.endpoint} (region ${sandbox.region}, account ${sandbox.accountId}, time ×${timeScale})`);
  console.log('Export these to point the AWS SDK and CLI at it:');
  for (const [name, value] of Object.entries(sandbox.env())) console.log(`export ${name}=${value}`);
  console.log(`Fault rules: POST, PATCH, GET or DELETE ${sandbox.endpoint}/_sandbox/faults (see --help)`);
  console.log('Each target group gets a load balancer (an HTTP proxy to its healthy targets); its URL is printed here:');
  for (const lb of early) printLoadBalancer(lb);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the sandbox`);
    void sandbox.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

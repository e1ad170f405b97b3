/**
 * `npm run sandbox`: starts the sandbox and prints what to export so the AWS CLI, the SDK or the bundled
 * actions talk to it, and the URL of each target group's load balancer as it starts. Flags: --port N,
 * --time-scale X, --seed file.json (clusters, task definitions, log groups, target groups, services, alarms),
 * --catalog file.json (image repositories to run as local processes, as `start({ catalog })` takes them).
 */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { start, type CatalogEntry, type LoadBalancerInfo } from './index';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'time-scale': { type: 'string', default: '1' },
      seed: { type: 'string' },
      catalog: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log('Usage: npm run sandbox -- [--port 0] [--time-scale 1] [--seed state.json] [--catalog images.json]');
    console.log('  --catalog: {"<image repository>": {"command": [...], "cwd": "...", "env": {...}}} runs those images as local processes');
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
  const catalog = values.catalog ? (JSON.parse(readFileSync(values.catalog, 'utf8')) as Record<string, CatalogEntry>) : undefined;
  const sandbox = await start({
    port,
    timeScale,
    seed: values.seed,
    catalog,
    onLoadBalancer: (lb) => (started ? printLoadBalancer(lb) : early.push(lb)),
  });
  started = true;
  console.log(`ECS sandbox listening on ${sandbox.endpoint} (region ${sandbox.region}, account ${sandbox.accountId}, time ×${timeScale})`);
  console.log('Export these to point the AWS SDK and CLI at it:');
  for (const [name, value] of Object.entries(sandbox.env())) console.log(`export ${name}=${value}`);
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

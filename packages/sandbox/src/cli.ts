/**
 * `npm run sandbox`: starts the sandbox and prints what to export so the AWS CLI, the SDK or the bundled
 * actions talk to it. Flags: --port N, --time-scale X, --seed file.json.
 */
import { parseArgs } from 'node:util';
import { start } from './index';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'time-scale': { type: 'string', default: '1' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log('Usage: npm run sandbox -- [--port 0] [--time-scale 1] [--seed state.json]');
    return;
  }
  const port = Number(values.port);
  const timeScale = Number(values['time-scale']);
  if (!Number.isInteger(port) || port < 0) throw new Error(`--port must be a port number, got ${values.port}`);
  if (!(timeScale > 0)) throw new Error(`--time-scale must be a positive number, got ${values['time-scale']}`);

  const sandbox = await start({ port, timeScale, seed: values.seed });
  console.log(`ECS sandbox listening on ${sandbox.endpoint} (region ${sandbox.region}, account ${sandbox.accountId}, time ×${timeScale})`);
  console.log('Export these to point the AWS SDK and CLI at it:');
  for (const [name, value] of Object.entries(sandbox.env())) console.log(`export ${name}=${value}`);

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

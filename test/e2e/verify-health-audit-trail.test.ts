import { afterAll, describe as group, expect, test } from '@jest/globals';
import { createService, REGISTRY } from '../support/ecs-fixtures';
import { deploymentsIn, RUN_SHA, RUN_TOKEN, statusPosts, useAuditTrailWorld } from '../support/github-run';
import { startLocalServer, type RunningServer } from '../support/health-servers';
import { errorsOf, runBundledAction } from '../support/run-action';

// verify-health after deploy-ecs, as a workflow chains them: the verdict lands on the Deployment the deploy
// recorded, through a local stand-in for the GitHub API.
const world = useAuditTrailWorld();
const runner = () => world().runnerEnv();
const servers: RunningServer[] = [];
let probes = 0;

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});

/** A health endpoint answering `status` to every probe, counting them. */
async function endpoint(status: number): Promise<string> {
  const server = await startLocalServer((_req, res) => {
    probes++;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: status < 400 ? 'ok' : 'broken' }));
  });
  servers.push(server);
  return `${server.base}/health`;
}

const fast = { interval: '0.2s', timeout: '30s' };

group('verify-health adds its verdict to the GitHub Deployment of the release', () => {
  test('healthy: deploy-ecs records the Deployment, verify-health adds success under the service name by default', async () => {
    const { cluster, service } = await createService(world().sandbox, { service: 'catalog', image: `${REGISTRY}/catalog:v1` });
    world().sandbox.script(`${REGISTRY}/catalog:v2`, { kind: 'healthy', startMs: 300 });
    const deploy = await runBundledAction(
      'deploy-ecs',
      { cluster, service, image: `${REGISTRY}/catalog:v2`, 'github-token': RUN_TOKEN },
      { env: runner() },
    );
    expect(deploy.exitCode).toBe(0);

    const run = await runBundledAction(
      'verify-health',
      { ...fast, url: await endpoint(200), cluster, service, 'github-token': RUN_TOKEN, 'environment-url': 'https://catalog.example.com' },
      { env: runner() },
    );

    expect(run.exitCode).toBe(0);
    const [release] = deploymentsIn(world().github, 'catalog');
    expect(release.request.body).toMatchObject({ ref: RUN_SHA, task: 'deploy' });
    expect(release.states).toEqual(['in_progress', 'success', 'success']);
    const verdict = statusPosts(world().github, release.id).at(-1);
    expect(verdict?.authorization).toBe(`token ${RUN_TOKEN}`);
    expect(verdict?.body).toMatchObject({
      environment_url: 'https://catalog.example.com',
      log_url: 'https://github.example/acme/shop/actions/runs/901',
    });
    expect(String(verdict?.body.description)).toMatch(/^Healthy [\d.]+m?s in: 3 passing rounds in a row/);
    // The newest Deployment was looked up for this commit and environment before the first probe.
    const lookup = world().github.requests.find((r) => r.method === 'GET' && r.path.includes('environment=catalog'));
    expect(lookup?.path).toContain(`sha=${RUN_SHA}`);
    expect(run.log.split(`::add-mask::${RUN_TOKEN}`).join('')).not.toContain(RUN_TOKEN);
  });

  test('unhealthy: the newest Deployment of the commit to environment-name gets failure with the explanation', async () => {
    const older = world().github.record(RUN_SHA, 'staging-web');
    const newest = world().github.record(RUN_SHA, 'staging-web');
    const url = await endpoint(500);

    const run = await runBundledAction(
      'verify-health',
      { ...fast, url, 'github-token': RUN_TOKEN, 'environment-name': 'staging-web' },
      { env: runner() },
    );

    expect(run.exitCode).toBe(1);
    expect(world().github.statusesOf(newest)).toEqual(['failure']);
    expect(world().github.statusesOf(older)).toEqual([]);
    const explanation = errorsOf(run).slice(-1)[0];
    expect(explanation).toMatch(/^Unhealthy .*after 3 failing rounds in a row: .*status 500/);
    expect(statusPosts(world().github, newest)[0].body.description).toBe(
      explanation.length <= 140 ? explanation : `${explanation.slice(0, 139)}…`,
    );
  });

  test('a github-token without service or environment-name is refused, naming the input, before any probe', async () => {
    const before = { probes, requests: world().github.requests.length };
    const run = await runBundledAction(
      'verify-health',
      { ...fast, url: await endpoint(200), 'github-token': RUN_TOKEN },
      { env: runner() },
    );
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]).toContain("Input 'environment-name' is required with 'github-token'");
    expect({ probes, requests: world().github.requests.length }).toEqual(before);
  });

  test('a github-token outside a GitHub run is refused before any probe', async () => {
    const before = probes;
    const run = await runBundledAction(
      'verify-health',
      { ...fast, url: await endpoint(200), 'github-token': RUN_TOKEN, 'environment-name': 'staging-web' },
      { env: world().sandbox.env() },
    );
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]).toContain("Input 'github-token'");
    expect(probes).toBe(before);
  });
});

/**
 * run-migration's speeds, with the sample service's real migration process: from the task's stop (the
 * sandbox's history) to the action's report, and from a log line's write (its CloudWatch Logs timestamp) to
 * its appearance in the job log. Registered in run.ts; `tsx test/bench/run-migration.ts` runs it alone.
 */
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { createService } from '../support/ecs-fixtures';
import { runBundledAction } from '../support/run-action';
import { clientConfig, startSandbox } from '../support/sandbox-harness';
import { SAMPLE_REPOSITORY, SAMPLE_SERVICE_DIR, sampleServiceCatalog } from '../support/sample-service';
import { formatRow } from './stats';

const FIRST_LINE = '> Migrating files:';

export async function runMigrationBench(runs: number): Promise<string[]> {
  // The migrations under test are the ones the bench applies: the database starts empty.
  const sandbox = await startSandbox({ timeScale: 0.2, catalog: sampleServiceCatalog(), database: { migrations: 0 } });
  const { database } = sandbox;
  const stopToReport: number[] = [];
  const writeToJobLog: number[] = [];
  try {
    const { cluster, service } = await createService(sandbox, {
      service: 'bench-migrations',
      image: `${SAMPLE_REPOSITORY}:v1`,
      desiredCount: 1,
      containers: [
        {
          name: 'app',
          image: `${SAMPLE_REPOSITORY}:v1`,
          portMappings: [{ containerPort: 8080 }],
          environment: [{ name: 'DATABASE_URL', value: database.url }],
          logConfiguration: {
            logDriver: 'awslogs',
            options: { 'awslogs-group': '/ecs/bench-migrations', 'awslogs-region': sandbox.region, 'awslogs-stream-prefix': 'ecs' },
          },
        },
      ],
    });
    const logs = new CloudWatchLogsClient(clientConfig(sandbox));
    for (let i = 0; i < runs; i++) {
      // Up, then down again, so each run has two real migrations to apply, each taking a second.
      const direction = i % 2 === 0 ? 'up' : 'down';
      const run = await runBundledAction(
        'run-migration',
        { cluster, service, command: `node ${SAMPLE_SERVICE_DIR}/migrate.mjs ${direction} 2`, environment: 'MIGRATION_DELAY_MS=1000' },
        { env: sandbox.env() },
      );
      const taskArn = run.outputs['task-arn'];
      if (run.exitCode !== 0 || !taskArn) throw new Error(`migration ${direction} failed:\n${run.log}`);
      const stopped = sandbox.history.find((event) => event.kind === 'task-stopped' && event.taskArn === taskArn);
      if (!stopped) throw new Error(`the sandbox recorded no stop of ${taskArn}`);
      const report = run.lines.find((line) => line.text.startsWith('✅'));
      if (!report) throw new Error(`no report line in:\n${run.log}`);
      stopToReport.push(report.at - stopped.at);
      const events = await logs.send(
        new GetLogEventsCommand({
          logGroupName: '/ecs/bench-migrations',
          logStreamName: `ecs/app/${taskArn.split('/').pop()}`,
          startFromHead: true,
        }),
      );
      const written = events.events?.find((event) => event.message === FIRST_LINE)?.timestamp;
      const shown = run.lines.find((line) => line.text === `| ${FIRST_LINE}`)?.at;
      if (written === undefined || shown === undefined)
        throw new Error(`"${FIRST_LINE}" missing from the log stream or the job log:\n${run.log}`);
      writeToJobLog.push(shown - written);
    }
  } finally {
    await sandbox.stop();
  }
  return [
    formatRow('run-migration: task stopped → action reports', stopToReport, 'ms', 1500),
    formatRow('run-migration: log line written → in the job log', writeToJobLog, 'ms', 2000),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log((await runMigrationBench(Number(process.env.BENCH_RUNS ?? 5))).join('\n'));
}

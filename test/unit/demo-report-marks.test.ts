import { expect, test } from '@jest/globals';
import type { RecordedStep } from '../demo/record';
import { marksOf } from '../demo/report/marks';
import { perSecond } from '../demo/report/per-second';

const step = (title: string, action: string, fields: Partial<RecordedStep>): RecordedStep => ({
  title,
  action,
  inputs: {},
  startedAt: 0,
  finishedAt: 0,
  exitCode: 0,
  outputs: {},
  summary: '',
  lines: [],
  ...fields,
});

test('a deploy is marked when it starts, each stage and rollout state when first reported, a failed one with its verdict', () => {
  const crashed = step('Deploy 1.3.0', 'deploy-ecs', {
    startedAt: 1000,
    finishedAt: 9000,
    exitCode: 1,
    outputs: { status: 'rolled-back' },
    lines: [
      { at: 2000, text: 'ecs-svc/1: 0/3 running, 3 pending [IN_PROGRESS]' },
      { at: 3000, text: 'ecs-svc/1: 1/3 running, 2 pending [IN_PROGRESS]' },
      { at: 4000, text: 'ECS: (service storefront) rolling back to deployment ecs-svc/0.' },
      { at: 5000, text: 'Stage SCALE_UP (IN_PROGRESS): production 0%, test 0% on the new revision' },
    ],
  });
  expect(marksOf([crashed]).map(({ kind, at, label }) => ({ kind, at, label }))).toEqual([
    { kind: 'deploy', at: 1000, label: 'Deploy 1.3.0' },
    { kind: 'stage', at: 2000, label: 'IN_PROGRESS' },
    { kind: 'rollback', at: 4000, label: 'circuit breaker' },
    { kind: 'stage', at: 5000, label: 'SCALE_UP' },
    { kind: 'verdict', at: 9000, label: 'rolled-back' },
  ]);
});

test('deploy-ecs following a deployment already started is no new deploy', () => {
  const following = step('Complete 2.1.0', 'deploy-ecs', { inputs: { 'service-deployment-arn': 'arn:aws:ecs:…' } });
  expect(marksOf([following]).filter((mark) => mark.kind === 'deploy')).toEqual([]);
});

test("verify-health's verdict is marked when it ends; a gate that answered ROLLBACK is a rollback too", () => {
  const gate = step('Gate 2.2.0', 'verify-health', {
    finishedAt: 7000,
    exitCode: 1,
    outputs: { healthy: 'false', 'deployment-action': 'rolled-back' },
    lines: [{ at: 6500, text: '⏪ Rolled back service deployment X at its PAUSE hook' }],
  });
  expect(marksOf([gate]).map(({ kind, at, label, ok }) => ({ kind, at, label, ok }))).toEqual([
    { kind: 'rollback', at: 6500, label: 'gate rolls back', ok: undefined },
    { kind: 'verdict', at: 7000, label: 'unhealthy', ok: false },
  ]);
});

test('auto-rollback is marked for the span of its step when it rolled back, and not at all when there was nothing to do', () => {
  const rolledBack = step('Roll back 1.2.0', 'auto-rollback', { startedAt: 100, finishedAt: 4600, outputs: { 'rolled-back': 'true' } });
  const alreadyThere = step('Roll back 1.3.0', 'auto-rollback', { startedAt: 5000, finishedAt: 6000, outputs: { 'rolled-back': 'false' } });
  expect(marksOf([rolledBack, alreadyThere])).toEqual([
    { kind: 'rollback', at: 100, until: 4600, label: 'Roll back 1.2.0', step: 'Roll back 1.2.0' },
  ]);
});

test('traffic is counted per second since the origin, by the moment each request was sent, empty seconds kept', () => {
  const traffic = [{ url: 'http://127.0.0.1:1/', sentAt: [10_000, 10_500, 12_999], failedAt: [10_500] }];
  expect(perSecond(traffic, 10_000, 4)).toEqual([
    { second: 0, sent: 2, failed: 1 },
    { second: 1, sent: 0, failed: 0 },
    { second: 2, sent: 1, failed: 0 },
    { second: 3, sent: 0, failed: 0 },
  ]);
});

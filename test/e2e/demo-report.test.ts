/// <reference lib="dom" />
/**
 * `npm run demo`'s report page, opened in a real headless Chromium: the demo runs once (its steps are the bundled
 * actions, as `npm run demo` runs them once built), then the page is held against the record the demo wrote beside
 * it. A screenshot is kept under test-artifacts/ (ignored by git) for a person to look at.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import type { DemoRecord, RecordedLane, RecordedStep } from '../demo/record';
import { launchChromium, type Browser } from '../support/chromium';

const ARTIFACTS = resolve('test-artifacts', 'demo-report');

interface DrawnMark {
  kind: string;
  at: number;
  until?: number;
  label: string;
  step: string;
  /** Where the browser drew the mark's line, in the chart's own units (its viewBox). */
  drawnX: number;
  /** Where the chart's time axis puts `at`. */
  axisX: number;
}

interface DrawnSecond {
  second: number;
  sent: number;
  failed: number;
}

let demoOutput = '';
let reportPath: string | undefined;
let record: DemoRecord;
let browser: Browser;
let page: Page;
const requested: string[] = [];

/** The demo as `npm run demo` runs it after its build, with its report written into the artifacts folder. */
function runDemo(): Promise<number | null> {
  const child = spawn(process.execPath, [resolve('node_modules/tsx/dist/cli.mjs'), 'test/demo/demo.ts'], {
    env: { ...process.env, DEMO_REPORT_DIR: ARTIFACTS, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (demoOutput += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (demoOutput += chunk));
  return new Promise((done) => child.on('close', done));
}

beforeAll(async () => {
  // Before the demo's minute: without Chromium the file fails at once, saying how to install it.
  browser = await launchChromium();
  rmSync(ARTIFACTS, { recursive: true, force: true });
  const exitCode = await runDemo();
  reportPath = /^Report: (\S+)/m.exec(demoOutput)?.[1];
  if (!reportPath) throw new Error(`the demo (exit code ${exitCode}) printed no report path:\n${demoOutput.slice(-3000)}`);
  record = JSON.parse(readFileSync(join(ARTIFACTS, 'record.json'), 'utf8')) as DemoRecord;
  browser.context.on('request', (request) => requested.push(request.url()));
  page = await browser.context.newPage();
  await page.goto(pathToFileURL(reportPath).href);
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

const lane = (name: string) => record.lanes.find((candidate) => candidate.name === name) as RecordedLane;
const stepOf = (laneName: string, title: string) => lane(laneName).steps.find((step) => step.title === title) as RecordedStep;
const sinceStart = (at: number) => Number(((at - record.startedAt) / 1000).toFixed(3));

/** The marks Chromium drew on a lane's chart, with where it drew each one and where the axis says it belongs. */
function drawnMarks(laneName: string): Promise<DrawnMark[]> {
  return page.locator(`svg.chart[data-lane="${laneName}"]`).evaluate((svg) => {
    const data = (element: Element, name: string) => element.getAttribute(`data-${name}`) ?? '';
    const [start, end, left, right, width] = ['start', 'end', 'plot-left', 'plot-right', 'width'].map((name) => Number(data(svg, name)));
    const box = svg.getBoundingClientRect();
    return Array.from(svg.querySelectorAll('g.mark')).map((mark) => {
      const at = Number(data(mark, 'at'));
      const line = (mark.querySelector('line') as Element).getBoundingClientRect();
      return {
        kind: data(mark, 'kind'),
        at,
        until: mark.hasAttribute('data-until') ? Number(data(mark, 'until')) : undefined,
        label: data(mark, 'label'),
        step: data(mark, 'step'),
        drawnX: ((line.left + line.width / 2 - box.left) * width) / box.width,
        axisX: left + ((at - start) / (end - start)) * (right - left),
      };
    });
  });
}

function drawnSeconds(laneName: string): Promise<DrawnSecond[]> {
  return page
    .locator(`svg.chart[data-lane="${laneName}"] g.second`)
    .evaluateAll((bars) =>
      bars.map((bar) => ({ second: Number(bar.dataset.second), sent: Number(bar.dataset.sent), failed: Number(bar.dataset.failed) })),
    );
}

const ofKind = (marks: DrawnMark[], kind: string) =>
  marks.filter((mark) => mark.kind === kind).map(({ step, label, at }) => ({ step, label, at }));

test('the demo ends by printing the path of its report page, a file of its own', () => {
  const lastLine = demoOutput.trim().split('\n').pop();
  expect(lastLine).toMatch(/^Report: \S+\/report\.html /);
  expect(reportPath).toBe(join(ARTIFACTS, 'report.html'));
  console.log(`report page: ${reportPath} (${statSync(reportPath as string).size} bytes)`);
});

test('the page is self-contained: Chromium loads nothing but the file itself', () => {
  expect(requested).toEqual([pathToFileURL(reportPath as string).href]);
});

test("each step's job summary is on the page, its markdown tables rendered as tables and its code blocks as code", async () => {
  const steps = record.lanes.flatMap((recorded) => recorded.steps);
  expect(steps.length).toBeGreaterThanOrEqual(14);
  for (const step of steps) {
    const article = page.locator(`article.step[data-step="${step.title}"]`);
    const markdownTables = step.summary.split('\n').filter((line) => /^\|(\s*:?-{3,}:?\s*\|)+$/.test(line)).length;
    const fences = step.summary.split('\n').filter((line) => /^```/.test(line)).length / 2;
    expect({ step: step.title, tables: await article.locator('.markdown-body table').count() }).toEqual({
      step: step.title,
      tables: markdownTables,
    });
    expect({ step: step.title, code: await article.locator('.markdown-body pre > code').count() }).toEqual({
      step: step.title,
      code: fences,
    });
    expect(await article.locator('.markdown-body').innerText()).not.toMatch(/\|\s*---\s*\|/);
  }
  // The summaries of the demo's story: every step that wrote one has a table (its facts, its pre-flight checks).
  expect(await page.locator('article.step .markdown-body table').count()).toBeGreaterThanOrEqual(steps.length);
});

// What each mark must be is read from the recorded steps (their inputs, outputs, times), not from the demo's story
// going as planned: on a loaded machine ECS may roll a release back on its own, and the chart must show that too.
const LANES = ['storefront', 'checkout'];
const stepsOf = (laneName: string, action: string) => lane(laneName).steps.filter((step) => step.action === action);

test("each deploy is marked on its service's chart at the moment its step started, in order", async () => {
  for (const name of LANES) {
    const started = stepsOf(name, 'deploy-ecs').filter((step) => !step.inputs['service-deployment-arn']);
    expect(started.length).toBeGreaterThanOrEqual(2);
    expect(ofKind(await drawnMarks(name), 'deploy')).toEqual(
      started.map((step) => ({ step: step.title, label: step.title, at: sinceStart(step.startedAt) })),
    );
  }
  expect(ofKind(await drawnMarks('storefront'), 'deploy').map((mark) => mark.step)).toEqual([
    'Deploy 1.1.0',
    'Deploy 1.2.0',
    'Deploy 1.3.0',
  ]);
});

test("each verdict is marked when its step gave it: verify-health's healthy or unhealthy, a failed deploy's status", async () => {
  for (const name of LANES) {
    const verdicts = [
      ...stepsOf(name, 'verify-health').map((step) => ({ step, label: step.outputs.healthy === 'true' ? 'healthy' : 'unhealthy' })),
      ...stepsOf(name, 'deploy-ecs')
        .filter((step) => step.exitCode !== 0)
        .map((step) => ({ step, label: step.outputs.status || 'failed' })),
    ].sort((a, b) => a.step.finishedAt - b.step.finishedAt);
    expect(verdicts.length).toBeGreaterThanOrEqual(2);
    expect(ofKind(await drawnMarks(name), 'verdict')).toEqual(
      verdicts.map(({ step, label }) => ({ step: step.title, label, at: sinceStart(step.finishedAt) })),
    );
  }
});

test("each rollback is marked: auto-rollback's for its whole step, ECS's circuit breaker and the gate's within theirs", async () => {
  for (const name of LANES) {
    const drawn = (await drawnMarks(name)).filter((mark) => mark.kind === 'rollback');
    const expected = [
      ...stepsOf(name, 'auto-rollback')
        .filter((step) => step.outputs['rolled-back'] === 'true')
        .map((step) => ({ step, label: step.title, spans: true })),
      ...stepsOf(name, 'deploy-ecs')
        .filter((step) => step.outputs.status === 'rolled-back')
        .map((step) => ({ step, label: 'circuit breaker', spans: false })),
      ...stepsOf(name, 'verify-health')
        .filter((step) => step.outputs['deployment-action'] === 'rolled-back')
        .map((step) => ({ step, label: 'gate rolls back', spans: false })),
    ];
    expect(drawn.map(({ step, label }) => `${step}: ${label}`).sort()).toEqual(
      expected.map(({ step, label }) => `${step.title}: ${label}`).sort(),
    );
    for (const { step, label, spans } of expected) {
      const mark = drawn.find((candidate) => candidate.step === step.title && candidate.label === label) as DrawnMark;
      if (spans) expect({ at: mark.at, until: mark.until }).toEqual({ at: sinceStart(step.startedAt), until: sinceStart(step.finishedAt) });
      else expect(mark.at >= sinceStart(step.startedAt) && mark.at <= sinceStart(step.finishedAt) && mark.until === undefined).toBe(true);
    }
  }
  // However ECS treated the releases, the storefront was rolled back at least once (1.3.0 cannot start).
  expect((await drawnMarks('storefront')).filter((mark) => mark.kind === 'rollback').length).toBeGreaterThanOrEqual(1);
});

test('each lifecycle stage deploy-ecs reported on the blue/green service is marked when its log line arrived', async () => {
  const stages = ofKind(await drawnMarks('checkout'), 'stage');
  for (const stage of stages) {
    const logged = stepOf('checkout', stage.step)
      .lines.filter((line) => line.text.includes(stage.label))
      .map((line) => sinceStart(line.at));
    expect({ ...stage, logged: logged.includes(stage.at) }).toEqual({ ...stage, logged: true });
  }
  const stagesOf = (title: string) => stages.filter((stage) => stage.step === title).map((stage) => stage.label);
  expect(stagesOf('Deploy checkout 2.1.0')).toContain('POST_TEST_TRAFFIC_SHIFT');
  expect(stagesOf('Deploy checkout 2.2.0')).toContain('POST_TEST_TRAFFIC_SHIFT');
  // The last stage is always reported; a short one between polls may not be (ECS reports only the current stage).
  expect(stagesOf('Complete checkout 2.1.0')).toContain('CLEAN_UP');
});

test('every mark is drawn where the time axis puts its moment, so their order on screen is their order in time', async () => {
  const marks = [...(await drawnMarks('storefront')), ...(await drawnMarks('checkout'))];
  expect(marks.length).toBeGreaterThan(10);
  for (const mark of marks)
    expect({ mark: `${mark.step}: ${mark.label}`, off: Math.abs(mark.drawnX - mark.axisX) < 1.5 }).toEqual({
      mark: `${mark.step}: ${mark.label}`,
      off: true,
    });
});

test("the chart's bars are the traffic the demo recorded, second by second", async () => {
  for (const name of ['storefront', 'checkout']) {
    const bars = await drawnSeconds(name);
    const recorded = lane(name).traffic;
    const sent = recorded.flatMap((stretch) => stretch.sentAt);
    const failed = recorded.flatMap((stretch) => stretch.failedAt);
    expect({ name, sent: bars.reduce((sum, bar) => sum + bar.sent, 0), failed: bars.reduce((sum, bar) => sum + bar.failed, 0) }).toEqual({
      name,
      sent: sent.length,
      failed: failed.length,
    });
    const inSecond = (moments: number[], second: number) =>
      moments.filter((at) => Math.floor((at - record.startedAt) / 1000) === second).length;
    for (const bar of bars)
      expect(bar).toEqual({ second: bar.second, sent: inSecond(sent, bar.second), failed: inSecond(failed, bar.second) });
  }
});

test('no failed request is drawn before the first deploy, nor after the last rollback had ended', async () => {
  const marks = await drawnMarks('storefront');
  const firstDeploy = Math.min(...marks.filter((mark) => mark.kind === 'deploy').map((mark) => mark.at));
  const lastRollbackEnd = Math.max(...marks.filter((mark) => mark.kind === 'rollback').map((mark) => mark.until ?? mark.at));
  for (const bar of (await drawnSeconds('storefront')).filter((second) => second.failed > 0)) {
    expect(bar.second).toBeGreaterThanOrEqual(Math.floor(firstDeploy));
    expect(bar.second).toBeLessThanOrEqual(lastRollbackEnd);
  }
  // On blue/green, production is never answered by a release before its gate passed it.
  expect((await drawnSeconds('checkout')).filter((bar) => bar.failed > 0)).toEqual([]);
});

test("the page lists the demo's verdicts as the demo printed them", async () => {
  const listed = await page
    .locator('ul.verdicts li')
    .evaluateAll((items) => items.map((item) => ({ ok: !item.classList.contains('bad'), text: item.textContent ?? '' })));
  expect(listed).toEqual(record.verdicts.map(({ what, ok, detail }) => ({ ok, text: `${what}: ${detail}` })));
});

test('a screenshot of the charts is kept as an artifact', async () => {
  const path = join(ARTIFACTS, 'report.png');
  await page.screenshot({ path });
  const png = readFileSync(path);
  expect(png.subarray(1, 4).toString()).toBe('PNG');
  expect(png.readUInt32BE(16)).toBe(1100);
  expect(existsSync(path)).toBe(true);
  console.log(`screenshot of the report: ${path}`);
});

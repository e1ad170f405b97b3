/**
 * The bench's pictures: the first run of the zero-downtime and rollback cases, recorded as the demo records a service
 * (its steps and the traffic sent through the load balancer) and drawn as the demo's report draws it, into one
 * self-contained page, .bench/charts.html.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Lane } from '../demo/record';
import { chartsPage } from '../demo/report/charts-page';

const lanes: Lane[] = [];

/** A new chart on the page, to record one run into. */
export function chartLane(name: string, title: string): Lane {
  const lane = new Lane(name, title);
  lanes.push(lane);
  return lane;
}

/** Writes the page when some case recorded a run; its path, or undefined. */
export function writeBenchCharts(dir = '.bench'): string | undefined {
  if (lanes.length === 0) return undefined;
  mkdirSync(dir, { recursive: true });
  const page = resolve(join(dir, 'charts.html'));
  const description = `npm run bench, ${new Date().toISOString()}: the first run of each case, requests a second through the load balancer`;
  writeFileSync(page, chartsPage('ECS deploy suite bench: deploys under load', description, lanes));
  return page;
}

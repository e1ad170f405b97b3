/**
 * What the demo keeps for its report page: each part's steps as they ran and the traffic its audience sent through
 * the load balancer, on one clock (milliseconds since the epoch). The report is drawn from this alone, and
 * written beside it as JSON, so a test can hold the page against it.
 */
import type { LoadResult } from '../support/load';
import type { ActionRun, LoggedLine } from '../support/run-action';
import type { Verdict } from './verdicts';

export interface RecordedStep {
  title: string;
  action: string;
  inputs: Record<string, string>;
  startedAt: number;
  finishedAt: number;
  exitCode: number | null;
  outputs: Record<string, string>;
  /** The markdown the step wrote to GITHUB_STEP_SUMMARY. */
  summary: string;
  /** The step's log with the moment each line arrived: what the deployment reported, and when. */
  lines: LoggedLine[];
}

/** One stretch of steady traffic (the demo starts a new audience for each release). */
export interface RecordedTraffic {
  url: string;
  sentAt: number[];
  failedAt: number[];
}

/** One service of the demo, drawn as one chart: its steps and the traffic sent to it. */
export interface RecordedLane {
  name: string;
  title: string;
  steps: RecordedStep[];
  traffic: RecordedTraffic[];
}

export interface DemoRecord {
  startedAt: number;
  finishedAt: number;
  lanes: RecordedLane[];
  verdicts: Verdict[];
}

export class Lane implements RecordedLane {
  readonly steps: RecordedStep[] = [];
  readonly traffic: RecordedTraffic[] = [];

  constructor(
    readonly name: string,
    readonly title: string,
  ) {}

  step(title: string, action: string, inputs: Record<string, string>, run: ActionRun): void {
    const { startedAt, finishedAt, exitCode, outputs, summary, lines } = run;
    this.steps.push({ title, action, inputs, startedAt, finishedAt, exitCode, outputs, summary, lines });
  }

  load(url: string, result: LoadResult): void {
    this.traffic.push({ url, sentAt: [...result.sentAt], failedAt: result.failures.map((failure) => failure.at) });
  }

  toJSON(): RecordedLane {
    return { name: this.name, title: this.title, steps: this.steps, traffic: this.traffic };
  }
}

export class DemoRecorder {
  readonly startedAt = Date.now();
  private readonly lanes: Lane[] = [];

  lane(name: string, title: string): Lane {
    const lane = new Lane(name, title);
    this.lanes.push(lane);
    return lane;
  }

  finish(verdicts: readonly Verdict[]): DemoRecord {
    return { startedAt: this.startedAt, finishedAt: Date.now(), lanes: this.lanes.map((lane) => lane.toJSON()), verdicts: [...verdicts] };
  }
}

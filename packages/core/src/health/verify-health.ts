import { sleepUnlessCancelled, type CancellationSignal } from '../common/cancellation';
import { formatDuration } from '../common/duration';
import { silentLogger, type Logger } from '../common/logger';
import { poll, systemClock, type Clock } from '../common/poll';
import { SkippedReads } from '../common/skipped-reads';
import type { TimelineEntry } from '../report/timeline';
import { roundsToWin, type HealthPlan } from './health-plan';
import type { Probe } from './http-probe';
import { judgeAnswer, type JudgedAnswer } from './judge';
import { LatencyWindow, latencyWindowRounds, percentile } from './latency';
import type { SignalReader, SignalReading } from './signals';
import { emptyStats, recordAnswer, type UrlStats } from './url-stats';

export interface HealthDependencies {
  probe: Probe;
  signals?: SignalReader;
  clock?: Clock;
  log?: Logger;
  /** Aborted when the workflow is cancelled: probing stops at once with WorkflowCancelled, without a verdict. */
  signal?: CancellationSignal;
}

export type Phase = 'check' | 'bake';

export interface Round {
  number: number;
  at: number;
  phase: Phase;
  /** False during warm-up: a failing round then does not count towards failure-threshold. */
  counted: boolean;
  passed: boolean;
  /**
   * No problem seen, but a signal could not be read (throttled, a 5xx): the round cannot say whether that signal
   * holds. It carries a passing streak on (health is won only once every signal was read within the streak), and
   * it ends a failing streak only when what failed was read (or probed) again and passed.
   */
  undecided: boolean;
  /** What failed this round: the URLs, the signal sources, 'latency' for the window p95. */
  failedSources: string[];
  answers: JudgedAnswer[];
  signals: SignalReading[];
  /** The p95 of the latency window after this round, once it holds enough answers. */
  windowP95?: number;
  problems: string[];
}

export type HealthVerdict = 'healthy' | 'unhealthy' | 'timed-out';

export interface HealthReport {
  healthy: boolean;
  verdict: HealthVerdict;
  /** The one paragraph a person reads first. */
  explanation: string;
  startedAt: number;
  finishedAt: number;
  /** When health was won (success-threshold reached) and, if it then was, lost. */
  wonAt?: number;
  lostAt?: number;
  lostIn?: Phase;
  rounds: number;
  checks: number;
  failures: number;
  p95LatencyMs?: number;
  urls: UrlStats[];
  /**
   * The signals of the last round: the state of the service, targets and alarms when the check ended. A source that
   * round could not read shows its latest reading (unread only when it was never read).
   */
  lastSignals: SignalReading[];
  /** Rounds whose AWS signals could not all be read (throttled or failing), when there were any. */
  unreadRounds?: number;
  timeline: TimelineEntry[];
}

/**
 * Probes every URL once a round, with the extra signals, and decides:
 * - healthy after success-threshold passing rounds in a row (with max-latency-ms, once the p95 can be judged);
 * - unhealthy after failure-threshold failing rounds in a row, counting only rounds that start after warm-up;
 * - then, during bake, unhealthy again on a new run of failure-threshold failing rounds;
 * - at once on a fatal signal (an alarm in ALARM, a task of the service that crashed).
 */
export async function verifyHealth(plan: HealthPlan, deps: HealthDependencies): Promise<HealthReport> {
  const clock = deps.clock ?? systemClock;
  const log = deps.log ?? silentLogger();
  const startedAt = clock.now();
  const warmupEndsAt = startedAt + plan.warmupMs;
  const window = new LatencyWindow(latencyWindowRounds(plan.urls.length));
  const stats = plan.urls.map(emptyStats);
  const timeline: TimelineEntry[] = [];
  const streak = { passing: 0, failing: 0 };
  /** Every signal source seen so far, those read within the current passing streak, and what failed in the failing one. */
  const signalSources = new Set<string>();
  const readInStreak = new Set<string>();
  const failingSources = new Set<string>();
  /** Each source's latest reading that was read: what the summary shows for a source the last round could not read. */
  const latestRead = new Map<string, SignalReading>();
  let rounds = 0;
  let unreadRounds = 0;
  // A throttled signal read is routine; when they persist, one warning says the verdict may come late.
  const skipped = new SkippedReads(log, 'AWS (ECS, Elastic Load Balancing or CloudWatch)');
  let last: Round | undefined;
  /** The last round that was counted: an undecided round is no transition from it. */
  let lastDecided: Round | undefined;
  let bestPassing = 0;

  async function runRound(phase: Phase): Promise<Round> {
    const at = clock.now();
    const [raw, signals] = await Promise.all([Promise.all(plan.urls.map((url) => deps.probe(url))), deps.signals ? deps.signals() : []]);
    const answers = raw.map((answer) => judgeAnswer(answer, plan));
    answers.forEach((answer, index) => recordAnswer(stats[index], answer));
    window.add(answers.filter((a) => a.status !== undefined).map((a) => a.latencyMs));
    const windowP95 = window.p95();
    const problems = [
      ...answers.filter((a) => !a.passed).map((a) => `${a.url}: ${a.problem}`),
      ...signals.filter((s) => !s.passed && !s.unread).map((s) => `${s.source}: ${s.detail}`),
    ];
    for (const s of signals) if (!s.unread) latestRead.set(s.source, s);
    const unread = signals.find((s) => s.unread);
    if (unread) {
      unreadRounds += 1;
      skipped.skip(unread.error);
    } else if (signals.length) skipped.read();
    const failedSources = [
      ...answers.filter((a) => !a.passed).map((a) => a.url),
      ...signals.filter((s) => !s.passed && !s.unread).map((s) => s.source),
    ];
    if (plan.maxLatencyMs !== undefined && windowP95 !== undefined && windowP95 > plan.maxLatencyMs) {
      problems.push(
        `p95 latency ${windowP95}ms over the last ${window.samples().length} answers exceeds max-latency-ms ${plan.maxLatencyMs}`,
      );
      failedSources.push('latency');
    }
    rounds += 1;
    const round: Round = {
      number: rounds,
      at,
      phase,
      counted: at >= warmupEndsAt || phase === 'bake',
      passed: problems.length === 0 && unread === undefined,
      undecided: problems.length === 0 && unread !== undefined,
      failedSources,
      answers,
      signals,
      windowP95,
      problems,
    };
    noteTransition(round);
    log.info(describeRound(round, startedAt, last));
    last = round;
    if (!round.undecided) lastDecided = round;
    return round;
  }

  function noteTransition(round: Round): void {
    if (!round.undecided && (lastDecided === undefined || lastDecided.passed !== round.passed)) {
      timeline.push({
        at: round.at,
        text: round.passed ? `round ${round.number} passed` : `round ${round.number} failed: ${round.problems[0]}`,
      });
    }
    if (round.counted && last !== undefined && !last.counted)
      timeline.push({ at: warmupEndsAt, text: `warm-up of ${formatDuration(plan.warmupMs)} over: failures count from here` });
  }

  /**
   * Updates the streaks and says whether this round decided the phase. A signal that could not be read is unknown
   * this round, neither good nor bad: an undecided round carries the passing streak on, but health is won only once
   * every signal source was read (and passed) within the streak; it ends a failing streak only when none of what
   * failed is among what it could not read.
   */
  function decide(round: Round): 'won' | 'lost' | undefined {
    if (round.signals.some((s) => s.fatal && !s.passed)) return 'lost';
    for (const s of round.signals) signalSources.add(s.source);
    if (round.problems.length === 0) {
      streak.passing += 1;
      for (const s of round.signals) if (!s.unread) readInStreak.add(s.source);
      if (!round.signals.some((s) => s.unread && failingSources.has(s.source))) {
        streak.failing = 0;
        failingSources.clear();
      }
    } else {
      streak.passing = 0;
      readInStreak.clear();
      if (round.counted) {
        streak.failing += 1;
        for (const source of round.failedSources) failingSources.add(source);
      }
    }
    bestPassing = Math.max(bestPassing, streak.passing);
    if (streak.failing >= plan.failureThreshold) return 'lost';
    const latencyJudged = plan.maxLatencyMs === undefined || round.windowP95 !== undefined;
    const signalsRead = [...signalSources].every((source) => readInStreak.has(source));
    if (round.phase === 'check' && streak.passing >= plan.successThreshold && latencyJudged && signalsRead) return 'won';
    return undefined;
  }

  const overallP95 = () =>
    percentile(
      stats.flatMap((s) => s.latencies),
      95,
    );
  const finish = (verdict: HealthVerdict, explanation: string, extra: Partial<HealthReport> = {}): HealthReport => {
    return {
      healthy: verdict === 'healthy',
      verdict,
      explanation,
      startedAt,
      finishedAt: clock.now(),
      rounds,
      checks: stats.reduce((sum, s) => sum + s.checks, 0),
      failures: stats.reduce((sum, s) => sum + s.failures, 0),
      p95LatencyMs: overallP95(),
      urls: stats,
      lastSignals: (last?.signals ?? []).map((s) => (s.unread ? (latestRead.get(s.source) ?? s) : s)),
      ...(unreadRounds > 0 ? { unreadRounds } : {}),
      timeline,
      ...extra,
    };
  };

  // 1. Until health is won or lost, or the timeout passes.
  const checked = await poll({
    intervalMs: plan.intervalMs,
    timeoutMs: plan.timeoutMs,
    jitter: 0,
    clock,
    signal: deps.signal,
    check: async () => decide(await runRound('check')),
  });
  const after = (at: number) => formatDuration(at - startedAt);
  const unreadNote = () =>
    unreadRounds > 0
      ? ` The AWS signals could not all be read in ${unreadRounds} of ${rounds} rounds (throttled or failing); a passing streak wins health only once every signal was read within it.`
      : '';
  if (!checked.done) {
    const needed = roundsToWin(plan);
    const longest =
      bestPassing >= needed
        ? `${bestPassing} passing rounds, but not with every AWS signal read within them`
        : `${bestPassing} passing round(s) of the ${needed} needed`;
    return finish(
      'timed-out',
      `Not healthy within the timeout of ${formatDuration(plan.timeoutMs)}: the longest run was ${longest}. Last round: ${lastProblems(last)}.${unreadNote()}`,
    );
  }
  if (checked.value === 'lost') {
    const lostAt = (last as Round).at;
    timeline.push({ at: lostAt, text: 'health lost' });
    return finish('unhealthy', `Unhealthy ${after(lostAt)} in, ${lossReason(last as Round, plan)}: ${lastProblems(last)}.`, {
      lostAt,
      lostIn: 'check',
    });
  }
  const wonAt = (last as Round).at;
  const wonWith = streak.passing;
  timeline.push({ at: wonAt, text: `health won: ${wonWith} passing rounds in a row` });
  log.info(`✅ Healthy ${after(wonAt)} in: ${wonWith} passing rounds in a row.`);
  if (plan.bakeMs <= 0)
    return finish('healthy', `${healthyExplanation(after(wonAt), wonWith, plan, overallP95())}${unreadNote()}`, { wonAt });

  // 2. Bake: keep probing; a new run of failures (or an alarm) loses health again.
  streak.passing = 0;
  streak.failing = 0;
  readInStreak.clear();
  failingSources.clear();
  log.info(
    `Baking for ${formatDuration(plan.bakeMs)}: a run of ${plan.failureThreshold} failing rounds, an alarm in ALARM or a crashed task now fails the step.`,
  );
  await sleepUnlessCancelled(clock, Math.min(plan.intervalMs, plan.bakeMs), deps.signal);
  const bakeEndsAt = wonAt + plan.bakeMs;
  const baked = await poll({
    intervalMs: plan.intervalMs,
    timeoutMs: Math.max(0, bakeEndsAt - clock.now()),
    jitter: 0,
    clock,
    signal: deps.signal,
    check: async () => decide(await runRound('bake')),
  });
  if (baked.done) {
    const lostAt = (last as Round).at;
    timeline.push({ at: lostAt, text: 'health lost during bake' });
    return finish(
      'unhealthy',
      `Health was won ${after(wonAt)} in but lost ${after(lostAt)} in, during the ${formatDuration(plan.bakeMs)} bake, ${lossReason(last as Round, plan)}: ${lastProblems(last)}.`,
      { wonAt, lostAt, lostIn: 'bake' },
    );
  }
  timeline.push({ at: clock.now(), text: `bake of ${formatDuration(plan.bakeMs)} passed` });
  return finish(
    'healthy',
    `${healthyExplanation(after(wonAt), wonWith, plan, overallP95())} It stayed healthy through the ${formatDuration(plan.bakeMs)} bake.${unreadNote()}`,
    { wonAt },
  );
}

function healthyExplanation(after: string, passing: number, plan: HealthPlan, p95: number | undefined): string {
  // With no URL (a worker), only the AWS signals judged: the service, its tasks, its targets, the alarms.
  const urls =
    plan.urls.length === 0 ? 'the AWS signals alone (no URL)' : plan.urls.length === 1 ? plan.urls[0] : `${plan.urls.length} URLs`;
  return `Healthy ${after} in: ${passing} passing rounds in a row on ${urls}${p95 === undefined ? '' : `, p95 latency ${p95}ms`}.`;
}

function lossReason(round: Round, plan: HealthPlan): string {
  const fatal = round.signals.find((s) => s.fatal && !s.passed);
  if (fatal) return fatal.source.startsWith('alarm ') ? `because ${fatal.source} is in ALARM` : `because a task crashed`;
  return `after ${plan.failureThreshold} failing rounds in a row`;
}

/** The round's problems, and the signals it could not read: a verdict reached without one of them says so. */
function lastProblems(round: Round | undefined): string {
  if (!round) return 'no round ran';
  const unread = unreadSignals(round);
  if (round.problems.length === 0 && unread.length === 0) return 'it passed';
  return [...round.problems, ...unread].join('; ');
}

function unreadSignals(round: Round): string[] {
  return round.signals.filter((s) => s.unread).map((s) => `${s.source}: ${s.detail}`);
}

/** One line a round; problems repeated from the round before are not spelt out again, to keep long checks readable. */
function describeRound(round: Round, startedAt: number, previous: Round | undefined): string {
  const mark = round.passed ? '✓' : round.undecided ? '?' : '✗';
  const answers = round.answers.map((a) =>
    `${a.url} ${a.status ?? 'no answer'} ${a.status === undefined ? '' : `${a.latencyMs}ms`}`.trim(),
  );
  const tags = [
    round.phase === 'bake' ? 'bake' : '',
    round.counted ? '' : 'warm-up: not counted',
    round.undecided ? 'a signal was not read' : '',
    round.windowP95 === undefined ? '' : `window p95 ${round.windowP95}ms`,
  ].filter(Boolean);
  const repeated =
    round.problems.length > 0 && previous !== undefined && !previous.passed && previous.problems.join('\n') === round.problems.join('\n');
  const spelt = repeated ? ['same problems as the round before'] : round.problems;
  const listed = [...spelt, ...unreadSignals(round)];
  const problems = listed.length ? ` — ${listed.join('; ')}` : '';
  return `${mark} round ${round.number} +${formatDuration(round.at - startedAt)}${tags.length ? ` (${tags.join(', ')})` : ''}: ${answers.join(', ')}${problems}`;
}

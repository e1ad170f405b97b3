/**
 * A steady stream of requests through a load balancer, one at a time with a short pause, recording every
 * answer: how long a bad release was visible to users, and how many requests it failed.
 */
export interface Answer {
  at: number;
  status: number;
  version?: string;
}

export interface SteadyLoad {
  answers: Answer[];
  stop(): Promise<Answer[]>;
}

export function steadyLoad(url: string, pauseMs = 20): SteadyLoad {
  const answers: Answer[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
        const body = (await response.json().catch(() => ({}))) as { version?: string };
        answers.push({ at: Date.now(), status: response.status, version: body.version });
      } catch {
        // A refused or timed-out request failed a user just as a 5xx did.
        answers.push({ at: Date.now(), status: 0 });
      }
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  })();
  return {
    answers,
    stop: async () => {
      running = false;
      await loop;
      return answers;
    },
  };
}

export interface Outage {
  /** The first and last failed answers; undefined when none failed. */
  firstBadAt?: number;
  lastBadAt?: number;
  failed: number;
  total: number;
}

export function outageOf(answers: Answer[]): Outage {
  const bad = answers.filter((answer) => answer.status < 200 || answer.status >= 300);
  return { firstBadAt: bad[0]?.at, lastBadAt: bad[bad.length - 1]?.at, failed: bad.length, total: answers.length };
}

import type { HealthPlan } from './health-plan';
import type { ProbeAnswer } from './http-probe';

export interface JudgedAnswer extends ProbeAnswer {
  passed: boolean;
  /** Why it did not pass; empty when it did. */
  problem: string;
}

/** An answer passes when it came, with an expected status, and (if asked) a body holding the marker. */
export function judgeAnswer(answer: ProbeAnswer, plan: Pick<HealthPlan, 'expectedStatus' | 'bodyContains'>): JudgedAnswer {
  if (answer.error !== undefined || answer.status === undefined) return { ...answer, passed: false, problem: answer.error ?? 'no answer' };
  if (!plan.expectedStatus.matches(answer.status)) {
    return { ...answer, passed: false, problem: `status ${answer.status}, expected ${plan.expectedStatus.text}` };
  }
  if (plan.bodyContains !== undefined && !answer.body.includes(plan.bodyContains)) {
    return { ...answer, passed: false, problem: `status ${answer.status} but the body does not contain "${plan.bodyContains}"` };
  }
  return { ...answer, passed: true, problem: '' };
}

/** The start of a body on one line, for logs and the summary. */
export function bodyExcerpt(body: string, length = 120): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length)}…` : flat;
}

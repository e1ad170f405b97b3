/** One HTTP health check of one target, as a load balancer node sends it. */
import { request } from 'node:http';
import { REASONS, type HealthCheckSettings } from './state';

export type ProbeResult = { ok: true } | { ok: false; reason: string; description: string };

/** Whether a status code matches `200`, `200,202` or `200-299` (Matcher.HttpCode, API reference). */
export function matches(matcher: string, status: number): boolean {
  return matcher.split(',').some((part) => {
    const [low, high] = part.trim().split('-').map(Number);
    return high === undefined ? status === low : status >= low && status <= high;
  });
}

export function probe(host: string, port: number, settings: HealthCheckSettings, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    // A new connection per check, closed afterwards, as the ALB user guide describes.
    const req = request(
      {
        host,
        port,
        path: settings.path,
        method: 'GET',
        agent: false,
        headers: { 'User-Agent': 'ELB-HealthChecker/2.0', Connection: 'close' },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          done(matches(settings.matcher, res.statusCode ?? 0) ? { ok: true } : { ok: false, ...REASONS.codeMismatch(res.statusCode ?? 0) }),
        );
        res.on('error', () => done({ ok: false, ...REASONS.failed }));
      },
    );
    req.setTimeout(timeoutMs, () => {
      done({ ok: false, ...REASONS.timeout });
      req.destroy();
    });
    req.on('error', () => done({ ok: false, ...REASONS.failed }));
    req.end();
  });
}

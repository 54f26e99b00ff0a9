// When to restart a crashed filter-host: at once the first times (audio back in well
// under a second), backing off as crashes repeat, and after too many in a window: fail
// safe (streams go direct) and keep retrying slowly. An instance that ran healthily for a
// while before it died (killed, an odd fault) starts the count afresh: a crash loop is
// instances that die soon after they start. Pure.
export interface RestartPolicy {
  /** delay before the first restart after a crash */
  firstDelayMs: number;
  /** each further crash inside the window doubles the delay, up to this */
  maxDelayMs: number;
  /** this many crashes inside windowMs mean a crash loop */
  crashLimit: number;
  windowMs: number;
  /** while failed safe, try again this often */
  slowRetryMs: number;
  /** an instance that ran this long was healthy: its crash does not continue a loop */
  healthyAfterMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  firstDelayMs: 50,
  maxDelayMs: 2000,
  crashLimit: 5,
  windowMs: 30_000,
  slowRetryMs: 15_000,
  healthyAfterMs: 1000,
};

/** The crash history after a crash at `now` of an instance that had run `uptimeMs`. */
export function recordCrash(crashTimes: readonly number[], now: number, uptimeMs: number, p: RestartPolicy = DEFAULT_RESTART_POLICY): number[] {
  if (uptimeMs >= p.healthyAfterMs) return [now];
  return [...crashTimes.filter((t) => now - t <= p.windowMs), now];
}

export type RestartDecision = { kind: 'restart'; delayMs: number } | { kind: 'fail-safe'; retryInMs: number };

/** crashTimes: when the filter-host crashed (ms), including the crash being handled now. */
export function decideRestart(crashTimes: readonly number[], now: number, p: RestartPolicy = DEFAULT_RESTART_POLICY): RestartDecision {
  const recent = crashTimes.filter((t) => now - t <= p.windowMs && t <= now).length;
  if (recent >= p.crashLimit) return { kind: 'fail-safe', retryInMs: p.slowRetryMs };
  const delay = p.firstDelayMs * 2 ** Math.max(0, recent - 1);
  return { kind: 'restart', delayMs: Math.min(p.maxDelayMs, delay) };
}

import { describe, expect, it } from 'vitest';
import { decideRestart, DEFAULT_RESTART_POLICY as P, recordCrash } from '../../src/policy/restart-policy.js';

describe('decideRestart', () => {
  it('restarts at once after a first crash', () => {
    expect(decideRestart([1000], 1000)).toEqual({ kind: 'restart', delayMs: P.firstDelayMs });
  });

  it('backs off while crashes repeat inside the window, capped', () => {
    const delays = [1, 2, 3, 4].map((n) => decideRestart(Array.from({ length: n }, (_, i) => i * 100), 400));
    expect(delays.map((d) => (d.kind === 'restart' ? d.delayMs : -1))).toEqual([50, 100, 200, 400]);
    expect(decideRestart([0, 1, 2, 3], 3, { ...P, maxDelayMs: 120 })).toEqual({ kind: 'restart', delayMs: 120 });
  });

  it('fails safe after crashLimit crashes in the window, and keeps retrying slowly', () => {
    const loop = Array.from({ length: P.crashLimit }, (_, i) => i * 1000);
    expect(decideRestart(loop, 5000)).toEqual({ kind: 'fail-safe', retryInMs: P.slowRetryMs });
  });

  it('forgets crashes older than the window', () => {
    const old = Array.from({ length: 10 }, (_, i) => i);
    expect(decideRestart([...old, 100_000], 100_000)).toEqual({ kind: 'restart', delayMs: P.firstDelayMs });
  });

  it('counts a crash loop only from instances that die soon after they start', () => {
    let crashes: number[] = [];
    for (let i = 0; i < 20; i++) crashes = recordCrash(crashes, i * 1500, 1200); // killed after running 1.2 s each time
    expect(crashes).toEqual([28_500]);
    expect(decideRestart(crashes, 28_500)).toEqual({ kind: 'restart', delayMs: P.firstDelayMs });
    crashes = [];
    for (let i = 0; i < P.crashLimit; i++) crashes = recordCrash(crashes, i * 200, 100); // dies right after its start
    expect(decideRestart(crashes, 800)).toEqual({ kind: 'fail-safe', retryInMs: P.slowRetryMs });
  });
});

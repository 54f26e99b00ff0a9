// `headroom demo` end to end: its own private PipeWire, the real supervisor, the speakers
// recorded before and after; nothing left running.
import { execa } from 'execa';
import { readdirSync } from 'node:fs';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { headroom } from '../helpers/cli.js';
import { report } from './audio.js';

interface Phase { apps: { name: string; integratedLufs: number | null; truePeakDbtp: number | null }[]; spreadLu: number; truePeakDbtp: number }

describe('headroom demo', () => {
  it('levels three apps against each other, keeps the peaks under the ceiling, in under 60 s, and cleans up', async () => {
    const leftovers = () => readdirSync(os.tmpdir()).filter((f) => f.startsWith('headroom-pw-')).sort();
    const before = leftovers();
    const t0 = Date.now();
    const r = await headroom(['demo', '--json']);
    const seconds = (Date.now() - t0) / 1000;
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { before: Phase; after: Phase };
    report('demo: before, after, seconds', [out.before, out.after, seconds]);
    expect(out.before.apps.map((a) => a.name)).toEqual(['Podcast', 'AdBlaster', 'Chat']);
    // straight to the speakers the apps are as generated: about -30, -9 and -10 LUFS
    expect(out.before.spreadLu).toBeGreaterThan(15);
    expect(out.before.truePeakDbtp).toBeGreaterThan(-1);
    // through headroom: the spread down by 8 LU or more (measured: 19.4 -> 7.8), every app
    // measurable, the ceiling held
    expect(out.after.spreadLu).toBeLessThanOrEqual(out.before.spreadLu - 8);
    expect(out.after.apps.every((a) => a.integratedLufs !== null)).toBe(true);
    expect(out.after.truePeakDbtp).toBeLessThanOrEqual(-1 + 0.1);
    expect(seconds).toBeLessThan(60);
    expect(leftovers()).toEqual(before);
    const stray = await execa('pgrep', ['-f', 'headroom-filter-host|pw-play .*demo-'], { reject: false });
    expect(stray.stdout.trim()).toBe('');
  }, 90_000);
});

// `headroom demo` end to end: its own private PipeWire, the real supervisor, the speakers
// recorded before and after; nothing left running, also after Ctrl-C; a clear error when
// PipeWire is not installed.
import { execa } from 'execa';
import { readdirSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { poll } from '../../src/orchestrator/process/poll.js';
import { headroom, ROOT } from '../helpers/cli.js';
import { report } from './audio.js';

interface Phase { apps: { name: string; integratedLufs: number | null; onsetLufs: number | null; truePeakDbtp: number | null }[]; spreadLu: number; worstOnsetLufs: number; truePeakDbtp: number }

const leftovers = () => readdirSync(os.tmpdir()).filter((f) => f.startsWith('headroom-pw-')).sort();
/** The private PipeWire dir the running demo made (the one that was not there before). */
const demoDir = (before: string[]) => poll('the demo\'s private PipeWire', () => leftovers().find((f) => !before.includes(f)), 20_000, 20);
/** Processes the demo started, and only those: their environment points at its private
 * PipeWire (other PipeWires on the machine are none of this test's business). */
async function startedBy(dir: string): Promise<number[]> {
  const mark = `XDG_RUNTIME_DIR=${path.join(os.tmpdir(), dir, 'run')}\0`;
  const pids: number[] = [];
  for (const e of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    const env = await readFile(`/proc/${e}/environ`, 'latin1').catch(() => '');
    if (env.includes(mark)) pids.push(Number(e));
  }
  return pids;
}

/** The count sees what it counts: the demo's D-Bus, PipeWire and WirePlumber at least. */
const seesItsPipewire = (dir: string) => poll('the demo\'s D-Bus, PipeWire and WirePlumber counted', async () => (await startedBy(dir)).length >= 3, 20_000, 50);

describe('headroom demo', () => {
  it('levels three apps playing over each other, catches the loud starts, keeps the peaks under the ceiling, in under 60 s, and cleans up', async () => {
    const before = leftovers();
    const t0 = Date.now();
    const demo = headroom(['demo', '--json']);
    const dir = await demoDir(before);
    await seesItsPipewire(dir);
    const r = await demo;
    const seconds = (Date.now() - t0) / 1000;
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { before: Phase; after: Phase };
    report('demo: before, after, seconds', [out.before, out.after, seconds]);
    expect(out.before.apps.map((a) => a.name)).toEqual(['Podcast', 'AdBlaster', 'Chat']);
    // straight to the speakers the apps are as generated: about -30, -9 and -10 LUFS, the ad
    // and the ping starting at about -7 to -8 (momentary, at most)
    expect(out.before.spreadLu).toBeGreaterThan(15);
    expect(out.before.worstOnsetLufs).toBeGreaterThan(-10);
    expect(out.before.truePeakDbtp).toBeGreaterThan(-1);
    // through headroom: every app within 2 LU of the default target (-18) and of each other
    // (the ping within 3: it is loudest at its start, which the guard's first cut leaves 2 LU
    // over the target, then released as it decays), no start more than 3 LU over the target,
    // the ceiling held. The spread's aim is 2 LU (issue 15); the bound leaves half a LU for a
    // loaded machine. Measured, 2026-12-04: ping -18.2 ... -19.0 (Debian 12, 8 runs), -20.2
    // ... -20.5 (Debian 13, 14 runs); spread 0.6 ... 1.7 and 1.2 ... 1.6 LU; loudest start
    // -16.5 ... -16.9 and -17.9 ... -18.8. Before the release: ping -20.6 ... -24.8 and
    // -23.2 ... -24.3, spread up to 5.8 LU.
    expect(out.after.apps.every((a) => a.integratedLufs !== null)).toBe(true);
    const after = new Map(out.after.apps.map((a) => [a.name, a.integratedLufs]));
    for (const name of ['Podcast', 'AdBlaster']) expect(Math.abs((after.get(name) ?? -200) + 18), name).toBeLessThanOrEqual(2);
    expect(Math.abs((after.get('Chat') ?? -200) + 18), 'Chat').toBeLessThanOrEqual(3);
    expect(out.after.spreadLu).toBeLessThanOrEqual(2.5);
    expect(out.after.worstOnsetLufs).toBeLessThanOrEqual(-18 + 3);
    expect(out.after.truePeakDbtp).toBeLessThanOrEqual(-1 + 0.1);
    expect(seconds).toBeLessThan(60);
    expect(leftovers()).toEqual(before);
    expect(await startedBy(dir)).toEqual([]);
  }, 90_000);

  it('Ctrl-C while headroom runs in it: exit 130, one line, everything it started stopped', async () => {
    const before = leftovers();
    const demo = execa(process.execPath, [path.join(ROOT, 'bin', 'run.js'), 'demo'], { reject: false, env: { OCLIF_SKIP_NEW_VERSION_CHECK: 'true' }, stdin: 'ignore' });
    let err = '';
    demo.stderr?.on('data', (b: Buffer) => (err += String(b)));
    const dir = await demoDir(before);
    await poll('the demo playing through headroom', () => err.includes('after:'), 40_000, 100);
    await seesItsPipewire(dir);
    await new Promise((r) => setTimeout(r, 2000));
    demo.kill('SIGINT');
    const r = await demo;
    expect(r.exitCode).toBe(130);
    expect(err.trim().split('\n').at(-1)).toBe('headroom: demo interrupted; everything it started is stopped');
    expect(String(r.stdout)).toBe('');
    expect(leftovers()).toEqual(before);
    expect(await startedBy(dir)).toEqual([]);
  }, 90_000);

  it('without PipeWire installed: what is missing and how to install it, exit 2, nothing started', async () => {
    const r = await headroom(['demo'], { PATH: path.dirname(process.execPath) === '/usr/bin' ? '/nonexistent' : path.dirname(process.execPath) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('a private PipeWire needs dbus-daemon, pipewire, wireplumber');
    expect(r.stderr).toContain('sudo apt-get install pipewire pipewire-bin wireplumber dbus');
    expect(r.stdout).toBe('');
  });
});

// The engine killed under a playing app: 20 times in a row (the supervisor survives, audio
// is back at once, each new engine continuing where the killed one was), then a crash
// loop (fail safe: the app plays direct at a matched level, and comes back into the bus
// when the engine runs again).
import { execa } from 'execa';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { poll } from '../../src/orchestrator/process/poll.js';
import { headroom } from '../helpers/cli.js';
import { blockRmsDb, peakDb, recordSpeakers, report, sine, writeSignal, RATE } from './audio.js';
import { nodeProps, playsOnlyInto, type Daemon, usePrivatePipewire, useSession } from './sandbox.js';

const box = usePrivatePipewire();
const session = useSession(box);

/** The daemon's running filter-host. */
async function engine(daemonPid: number): Promise<number | undefined> {
  const r = await execa('pgrep', ['-P', String(daemonPid), '-f', 'headroom-filter-host'], { reject: false });
  const pid = Number(r.stdout.trim().split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Longest run of 10 ms blocks whose peak is under -60 dBFS, in seconds. */
function longestSilence(samples: Float32Array, from: number, to: number): number {
  const block = RATE / 100;
  let run = 0, longest = 0;
  for (let b = Math.round(from * 100); b < Math.round(to * 100); b++) {
    let m = 0;
    for (let i = b * block; i < (b + 1) * block; i++) m = Math.max(m, Math.abs(samples[2 * i] ?? 0));
    run = m < 1e-3 ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest / 100;
}

const status = async (env: NodeJS.ProcessEnv) => JSON.parse((await headroom(['status', '--json'], env)).stdout) as { filterHost: { state: string; restarts: number } };

/** A failed wait, told with what the daemon logged (its timing lines left out). */
const withDaemonLog = (daemon: Daemon) => (e: Error): never => {
  throw new Error(`${e.message}; daemon log: ${daemon.log().split('\n').filter((l) => !l.includes('timing')).join('\n')}`);
};

/** Kills five fresh engines in a row, right after each start: the daemon fails safe. */
async function crashLoop(daemon: Daemon, env: NodeJS.ProcessEnv): Promise<void> {
  let last: number | undefined;
  for (let i = 0; i < 5; i++) {
    const pid = await poll('an engine to kill', async () => { const p = await engine(daemon.proc.pid!); return p !== undefined && p !== last ? p : undefined; }, 5000, 5);
    process.kill(pid, 'SIGKILL');
    last = pid;
  }
  await poll('failed safe', async () => (await status(env)).filterHost.state === 'failed-safe', 5000, 50).catch(withDaemonLog(daemon));
}

describe('headroom start, the engine killed', () => {
  it('20 kill -9 while the compressor holds back 10 dB: each restart continues where the engine was — no 100 ms block over the steady level + 0.5 dB, no gap over 0.3 s', async () => {
    const { pw, dir } = box;
    const app = session.play(writeSignal(path.join(dir, 'chaos.wav'), 70, sine(-20)), { name: 'chaos-app' });
    await app.node();
    const daemon = session.daemon();
    try {
      await daemon.running();
      // a compressor that holds back about 10 dB all the time: what a fresh one would let through
      expect((await headroom(['set', 'compressor.threshold_db', '-30'], pw.env)).code).toBe(0);
      await sleep(6000); // levelled: the AGC settled, the compressor working
      const ears = await recordSpeakers(pw, dir, 'chaos-out.wav');
      await sleep(1500);
      const busy = (await status(pw.env)) as unknown as { meters: { compressorReductionDb: number } };
      const kills: number[] = [];
      for (let i = 0; i < 20; i++) {
        const pid = await poll('a running engine', async () => (await status(pw.env)).filterHost.state === 'running' && engine(daemon.proc.pid!), 5000, 20);
        await sleep(1200); // it has run healthily: this is a kill, not a crash loop
        process.kill(pid, 'SIGKILL');
        kills.push(pid);
        await poll('a new engine', async () => { const p = await engine(daemon.proc.pid!); return p !== undefined && p !== pid; }, 5000, 20);
      }
      await sleep(1500);
      const out = await ears.stop();
      const end = out.length / 2 / RATE;
      const blocks = blockRmsDb(out, 0, 0.2, end - 0.2);
      const steady = [...blocks.slice(0, 10)].sort((a, b) => a - b)[5]!; // the median of the first second
      const loudest = Math.max(...blocks);
      const over = blocks.filter((b) => b > steady + 0.5).length;
      const silence = longestSilence(out, 0.2, end - 0.2);
      const st = await status(pw.env);
      report('chaos: 20 kills, compressor busy — compressor reduction (dB), steady 100 ms level, loudest block (dBFS), blocks over steady + 0.5 dB, longest silence (s), restarts', [busy.meters.compressorReductionDb, steady, loudest, over, silence, st.filterHost.restarts]);
      expect(busy.meters.compressorReductionDb).toBeGreaterThan(6); // it keeps working
      expect(new Set(kills).size).toBe(20);
      expect(st.filterHost).toEqual({ state: 'running', restarts: 20 });
      expect(daemon.proc.exitCode).toBeNull(); // the supervisor survived
      expect(silence).toBeLessThanOrEqual(0.3);
      expect(loudest).toBeLessThanOrEqual(steady + 0.5);
    } finally {
      await headroom(['set', 'compressor.threshold_db', '-10'], pw.env);
    }
  }, 120_000);

  it('a crash loop fails safe: the app plays direct at about its processed level and never louder (AGC, compressor and limiter counted), then comes back into the bus', async () => {
    const { pw, dir } = box;
    const watcher = await session.watch();
    const app = session.play(writeSignal(path.join(dir, 'loop.wav'), 60, sine(-8)), { name: 'loop-app' });
    const serial = Number((await app.node()).info?.props?.['object.serial']);
    const daemon = session.daemon();
    try {
      await poll('the app in the bus', () => playsOnlyInto(watcher.model, serial, 'headroom-processed'), 10_000, 20);
      // the compressor holds back about 10 dB: the direct volume must count it, or be louder
      expect((await headroom(['set', 'compressor.threshold_db', '-30'], pw.env)).code).toBe(0);
      await sleep(4000); // levelled
      const ears = await recordSpeakers(pw, dir, 'loop-out.wav');
      const recordedAt = Date.now();
      await sleep(1000);
      await crashLoop(daemon, pw.env);
      await poll('the app straight on the speakers', () => playsOnlyInto(watcher.model, serial, pw.speakers), 5000, 20);
      const failedAt = Date.now();
      await sleep(2500);
      // the slow retry (15 s) brings the engine back, and the app back into the bus
      await poll('the app back in the bus', () => playsOnlyInto(watcher.model, serial, 'headroom-processed'), 20_000, 50);
      const backAfter = (Date.now() - failedAt) / 1000;
      const out = await ears.stop();
      const processed = peakDb(out, 0.2, 0.9);
      const t = (failedAt - recordedAt) / 1000;
      const direct = peakDb(out, t + 0.3, t + 2.3); // while failed safe
      report('fail-safe: peak through the bus, peak direct while failed safe (dBFS), back in the bus after (s)', [processed, direct, backAfter]);
      expect(daemon.log()).toContain('failing safe');
      expect(direct).toBeGreaterThan(processed - 6); // audible, not muted
      expect(direct).toBeLessThanOrEqual(processed); // and never louder than through the bus
      expect(backAfter).toBeLessThan(20);
    } finally {
      await headroom(['set', 'compressor.threshold_db', '-10'], pw.env);
    }
  }, 90_000);

  it('kill -9 of the daemon while failed safe: `stop --restore` gives the volume it set back (Layer A off)', async () => {
    const { pw, dir } = box;
    const watcher = await session.watch();
    const m = watcher.model;
    const app = session.play(writeSignal(path.join(dir, 'safe.wav'), 60, sine(-8)), { name: 'safe-app' });
    const node = await app.node();
    const serial = Number(node.info?.props?.['object.serial']);
    const daemon = session.daemon();
    await daemon.running();
    expect((await headroom(['set', 'layer_a.enabled', 'false'], pw.env)).code).toBe(0);
    await poll('the app in the bus', () => playsOnlyInto(m, serial, 'headroom-processed'), 10_000, 20);
    await sleep(3000); // the AGC turns the loud app down: the fail-safe volume follows it
    await crashLoop(daemon, pw.env);
    const volume = async () => (await nodeProps(pw, node.id))?.volume;
    const turnedDown = await poll('the fail-safe volume', async () => { const v = await volume(); return v !== undefined && v < 0.9 ? v : undefined; }, 5000, 50).catch(withDaemonLog(daemon));
    daemon.proc.kill('SIGKILL');
    await daemon.proc;
    const r = await headroom(['stop', '--restore'], pw.env);
    expect(r.code, r.stderr).toBe(0);
    const back = await poll('the volume given back', async () => { const v = await volume(); return v !== undefined && Math.abs(v - 1) < 1e-3 ? v : undefined; }, 5000, 50);
    report('fail-safe then kill -9: volume while failed safe, after stop --restore', [turnedDown, back]);
  }, 60_000);
});

// headroom started and stopped over and over while apps play, and killed with -9 and
// started again: WirePlumber lives through every cycle (0.4.13 once crashed at the second)
// and every app is back on the speakers after each stop.
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { poll } from '../../src/orchestrator/process/poll.js';
import { dumpGraph, type PrivatePipewire } from '../../src/orchestrator/sandbox/private-pipewire.js';
import { headroom } from '../helpers/cli.js';
import { report, sine, writeSignal, type App } from './audio.js';
import { playsOnlyInto, usePrivatePipewire, useSession } from './sandbox.js';

const box = usePrivatePipewire();
const session = useSession(box);
const CYCLES = Number(process.env.HEADROOM_CYCLES ?? 50);
const KILL_CYCLES = Number(process.env.HEADROOM_KILL_CYCLES ?? 20);

async function wireplumberAlive(pw: PrivatePipewire): Promise<boolean> {
  const graph = await dumpGraph(pw);
  return graph.some((o) => o.type === 'PipeWire:Interface:Client' && /wireplumber/i.test(String(o.info?.props?.['application.name'] ?? '')));
}

/** Two apps playing for the whole test, the graph watched. */
async function twoApps(seconds: number) {
  const { pw, dir } = box;
  const watcher = await session.watch();
  const file = writeSignal(path.join(dir, 'cycles.wav'), seconds, sine(-20, 440));
  const apps: App[] = [session.play(file, { name: 'cycle-a' }), session.play(file, { name: 'cycle-b' })];
  const serials = await Promise.all(apps.map(async (a) => Number((await a.node()).info?.props?.['object.serial'])));
  const allOn = (sink: string) => serials.every((s) => playsOnlyInto(watcher.model, s, sink));
  return { pw, watcher, allOn };
}

describe('headroom started and stopped over and over with apps playing', () => {
  it(`${CYCLES} start/stop cycles: WirePlumber alive and every app on the speakers after each`, async () => {
    const { pw, allOn } = await twoApps(CYCLES * 4 + 20);
    const routedMs: number[] = [];
    const backMs: number[] = [];
    // WirePlumber links a new app a moment after its node appears
    await poll('both apps on the speakers before the first start', () => allOn(pw.speakers), 5000, 10);
    for (let i = 0; i < CYCLES; i++) {
      const daemon = session.daemon();
      const t0 = Date.now();
      await poll(`cycle ${i}: both apps in the bus`, () => allOn('headroom-processed'), 10_000, 10).catch((e: Error) => {
        throw new Error(`${e.message}; daemon log: ${daemon.log()}`);
      });
      routedMs.push(Date.now() - t0);
      await sleep(300 + (i % 4) * 250);
      const t1 = Date.now();
      expect((await headroom(['stop'], pw.env)).code).toBe(0);
      expect((await daemon.proc).exitCode).toBe(0);
      await poll(`cycle ${i}: both apps back on the speakers`, () => allOn(pw.speakers), 5000, 10);
      backMs.push(Date.now() - t1);
      expect(await wireplumberAlive(pw), `WirePlumber alive after cycle ${i}`).toBe(true);
      await sleep((i % 3) * 400);
    }
    // the 0.4.13 crash came seconds after a stop: still alive and linked a while later
    await sleep(5500);
    expect(await wireplumberAlive(pw)).toBe(true);
    expect(allOn(pw.speakers)).toBe(true);
    report(`cycles: ${CYCLES} start/stop, routed after (ms max), back on the speakers after (ms max)`, [Math.max(...routedMs), Math.max(...backMs)]);
  }, 60_000 + CYCLES * 10_000);

  it(`${KILL_CYCLES} kill -9 of the daemon, then start: WirePlumber alive, apps in the bus, and after the last stop on the speakers`, async () => {
    const { pw, allOn } = await twoApps(KILL_CYCLES * 4 + 20);
    let daemon = session.daemon();
    for (let i = 0; i < KILL_CYCLES; i++) {
      await poll(`kill cycle ${i}: running, both apps in the bus`, () => daemon.isRunning() && allOn('headroom-processed'), 10_000, 10).catch((e: Error) => {
        throw new Error(`${e.message}; daemon log: ${daemon.log()}`);
      });
      await sleep(300 + (i % 3) * 300);
      daemon.proc.kill('SIGKILL');
      await daemon.proc;
      expect(await wireplumberAlive(pw), `WirePlumber alive after kill ${i}`).toBe(true);
      daemon = session.daemon();
    }
    await poll('running, both apps in the bus at the end', () => daemon.isRunning() && allOn('headroom-processed'), 10_000, 10);
    expect((await headroom(['stop'], pw.env)).code).toBe(0);
    expect((await daemon.proc).exitCode).toBe(0);
    await poll('both apps back on the speakers', () => allOn(pw.speakers), 5000, 10);
    await sleep(5500);
    expect(await wireplumberAlive(pw)).toBe(true);
    expect(allOn(pw.speakers)).toBe(true);
  }, 60_000 + KILL_CYCLES * 10_000);
});

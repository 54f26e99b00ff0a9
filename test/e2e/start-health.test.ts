// Whether headroom tells the truth about sound: WirePlumber gone, an engine that hears
// nothing while apps play into the bus — `status` (exit 4, health in --json), `doctor` and
// an error line in the log say so with what to do, and say it no longer once it is fixed;
// readings of a bus nothing plays into are "—", not the last value heard.
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { poll } from '../../src/orchestrator/process/poll.js';
import type { DaemonStatus } from '../../src/wire/control-protocol.js';
import { headroom } from '../helpers/cli.js';
import { schemaErrors } from '../helpers/json-schema.js';
import { report, sine, writeSignal } from './audio.js';
import { usePrivatePipewire, useSession } from './sandbox.js';

const box = usePrivatePipewire();
const session = useSession(box);

async function status(env: NodeJS.ProcessEnv): Promise<{ code: number | undefined; st: DaemonStatus }> {
  const r = await headroom(['status', '--json'], env);
  const st = JSON.parse(r.stdout) as DaemonStatus;
  expect(schemaErrors('status.result', st)).toEqual([]); // what docs/schema/control.json publishes
  return { code: r.code, st };
}

describe('headroom start, health', () => {
  it('an engine that hears nothing while an app plays into the bus (a hung engine) is reported, and its recovery too', async () => {
    const { pw, dir } = box;
    const app = session.play(writeSignal(path.join(dir, 'hung.wav'), 40, sine(-20)), { name: 'hung-app' });
    await app.node();
    const daemon = session.daemon();
    let engine: number | undefined;
    try {
      await poll('sound flowing through the bus', async () => (await status(pw.env)).st.meters?.active === true, 10_000, 200);
      engine = Number(/filter-host running \(pid (\d+)/.exec(daemon.log())?.[1]);
      expect(engine).toBeGreaterThan(0);
      process.kill(engine, 'SIGSTOP');
      const sick = await poll('status unhealthy', async () => {
        const s = await status(pw.env);
        return s.code === 4 ? s : undefined;
      }, 10_000, 200);
      expect(sick.st.health.reasons.map((r) => r.code)).toContain('bus_silent');
      expect(sick.st.health.reasons.find((r) => r.code === 'bus_silent')?.message).toContain('"hung-app"');
      // a reading that old is no reading
      expect(sick.st.meters).toMatchObject({ momentaryLufs: null, shortTermLufs: null, active: false });
      expect(sick.st.meters?.ageSeconds).toBeGreaterThan(1.5);
      expect(daemon.log()).toMatch(/<3>sound cannot flow: 1 app\(s\) play into the bus \("hung-app"\) but the engine hears nothing/);
      process.kill(engine, 'SIGCONT');
      await poll('status healthy again', async () => (await status(pw.env)).code === 0, 10_000, 200);
    } finally {
      if (engine) process.kill(engine, 'SIGCONT');
    }
  }, 60_000);

  it('once every app has stopped, M and S read "—" within a second and a half, not the last value heard', async () => {
    const { pw, dir } = box;
    const daemon = session.daemon();
    await daemon.running();
    const app = session.play(writeSignal(path.join(dir, 'short.wav'), 3, sine(-20)), { name: 'short-app' });
    await poll('a live reading', async () => ((await status(pw.env)).st.meters?.momentaryLufs ?? -200) > -30, 10_000, 100);
    await app.proc;
    const ended = Date.now();
    const idle = await poll('the bus idle', async () => {
      const { st } = await status(pw.env);
      return st.meters?.active === false ? st : undefined;
    }, 5000, 50);
    const after = Date.now() - ended;
    report('stale readings: M and S "—" after the last app ended (ms)', after);
    expect(after).toBeLessThan(1500);
    expect(idle.meters).toMatchObject({ momentaryLufs: null, shortTermLufs: null });
    expect(idle.meters?.integratedLufs).toBeGreaterThan(-25); // the programme's, kept
    expect((await headroom(['status'], pw.env)).stdout).toContain('(the bus is idle: nothing plays into it)');
    // and it stays so (the engine writes once a second while idle)
    await sleep(2500);
    const later = (await status(pw.env)).st;
    expect(later.meters).toMatchObject({ active: false, momentaryLufs: null, shortTermLufs: null });
    expect(later.meters?.ageSeconds).toBeLessThanOrEqual(1.5);
    expect(later.health.state).toBe('ok'); // an idle bus with nothing playing is fine
  }, 60_000);
  it('WirePlumber gone: status exits 4 and says why, doctor fails, the log has an error line; all well again once it is back', async () => {
    const { pw, dir } = box;
    const app = session.play(writeSignal(path.join(dir, 'health.wav'), 40, sine(-20)), { name: 'health-app' });
    await app.node();
    const daemon = session.daemon();
    await poll('sound flowing through the bus', async () => {
      const { code, st } = await status(pw.env);
      return code === 0 && st.streams.some((s) => s.app === 'health-app' && s.route === 'processed') && st.meters?.active === true;
    }, 10_000, 200);
    expect((await status(pw.env)).st.health).toEqual({ state: 'ok', reasons: [] });
    expect((await headroom(['status'], pw.env)).stdout).toContain('health: ok, sound can flow');

    const t0 = Date.now();
    await pw.stopWireplumber();
    const sick = await poll('status unhealthy', async () => {
      const s = await status(pw.env);
      return s.code === 4 ? s : undefined;
    }, 10_000, 200);
    report('health: WirePlumber gone -> status unhealthy after (ms)', Date.now() - t0);
    expect(sick.st.health.state).toBe('unhealthy');
    expect(sick.st.health.reasons).toContainEqual({ code: 'wireplumber_gone', message: expect.stringContaining('WirePlumber is not running'), hint: 'Start it: systemctl --user start wireplumber' });
    const text = await headroom(['status'], pw.env);
    expect(text.code).toBe(4);
    expect(text.stdout).toContain('SOUND CANNOT FLOW: WirePlumber is not running');
    const doctor = await headroom(['doctor', '--json'], pw.env);
    expect(doctor.code).toBe(1);
    expect(JSON.parse(doctor.stdout).checks).toContainEqual(expect.objectContaining({ name: 'sound', status: 'fail', fix: expect.stringContaining('systemctl --user start wireplumber') }));
    expect(daemon.log()).toMatch(/<3>sound cannot flow: WirePlumber is not running/);

    await pw.startWireplumber();
    await poll('status healthy again', async () => (await status(pw.env)).code === 0, 15_000, 200).catch((e: Error) => {
      throw new Error(`${e.message}; daemon log: ${daemon.log()}`);
    });
    expect(daemon.log()).toContain('sound flows again: no longer wireplumber gone');
    expect((await headroom(['doctor', '--json'], pw.env)).code).toBe(0);
  }, 60_000);
});

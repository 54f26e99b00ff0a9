// The session under headroom restarts: WirePlumber (links and the default metadata gone:
// routes written again, links repaired) and PipeWire (everything gone: the daemon waits,
// then recreates the sink, the engine and the routes).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GraphWatcher } from '../../src/orchestrator/pipewire/graph-watcher.js';
import { poll } from '../../src/orchestrator/process/poll.js';
import { headroom } from '../helpers/cli.js';
import { report, sine, writeSignal } from './audio.js';
import { playsOnlyInto, usePrivatePipewire, useSession } from './sandbox.js';

const box = usePrivatePipewire();
const session = useSession(box);

describe('headroom start, the session restarted under it', () => {
  it('routing is back within 5 s after WirePlumber restarts, and after PipeWire restarts', async () => {
    const { pw, dir } = box;
    const file = writeSignal(path.join(dir, 'restart.wav'), 40, sine(-20));
    let watcher = new GraphWatcher(pw.env);
    await watcher.ready;
    let app = session.play(file, { name: 'restart-app' });
    let serial = Number((await app.node()).info?.props?.['object.serial']);
    const daemon = session.daemon();
    const busPlays = (m: GraphWatcher['model']) => {
      const out = m.nodeByName('headroom-engine');
      const sink = m.nodeByName(pw.speakers);
      return !!out && !!sink && m.linksFrom(out.id).some((l) => l.inputNode === sink.id);
    };
    await poll('the app in the bus', () => playsOnlyInto(watcher.model, serial, 'headroom-processed') && busPlays(watcher.model), 10_000, 20);

    let t0 = Date.now();
    await pw.restartWireplumber();
    await poll('the app in the bus after WirePlumber restarted', () => playsOnlyInto(watcher.model, serial, 'headroom-processed') && busPlays(watcher.model), 5000, 20).catch((e: Error) => {
      throw new Error(`${e.message}; daemon log: ${daemon.log()}`);
    });
    const afterWp = Date.now() - t0;

    t0 = Date.now();
    await watcher.stop().catch(() => undefined);
    await pw.restartPipewire();
    await app.proc; // the app died with PipeWire
    watcher = new GraphWatcher(pw.env);
    await watcher.ready;
    await poll('the bus recreated', () => watcher.model.nodeByName('headroom-processed') !== undefined && busPlays(watcher.model), 10_000, 20).catch((e: Error) => {
      throw new Error(`${e.message}; daemon log: ${daemon.log()}`);
    });
    const afterPw = Date.now() - t0;
    app = session.play(file, { name: 'restart-app' });
    serial = Number((await app.node()).info?.props?.['object.serial']);
    await poll('a new app in the bus', () => playsOnlyInto(watcher.model, serial, 'headroom-processed'), 5000, 20);
    report('restarts: routing back after WirePlumber restart, bus back after PipeWire restart (ms)', [afterWp, afterPw]);
    expect(afterWp).toBeLessThan(5000);
    expect(afterPw).toBeLessThan(5000);
    expect(daemon.log()).toContain('PipeWire is back');
    const st = JSON.parse((await headroom(['status', '--json'], pw.env)).stdout) as { filterHost: { state: string }; streams: { serial: number; route: string }[] };
    expect(st.filterHost.state).toBe('running');
    expect(st.streams).toContainEqual(expect.objectContaining({ serial, route: 'processed' }));
    daemon.proc.kill('SIGTERM');
    expect((await daemon.proc).exitCode).toBe(0);
  }, 60_000);
});

// `headroom start` killed with -9: what the session looks like, and how it is put back.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import { poll } from '../../src/orchestrator/process/poll.js';
import type { PrivatePipewire } from '../../src/orchestrator/sandbox/private-pipewire.js';
import { nodeProps, playsOnlyInto, usePrivatePipewire, useSession } from './sandbox.js';
import { headroom } from '../helpers/cli.js';
import { peakDb, recordSpeakers, report, sine, writeSignal } from './audio.js';
import { schemaErrors } from '../helpers/json-schema.js';

const box = usePrivatePipewire();
const session = useSession(box);
let pw: PrivatePipewire;
let dir: string;
beforeEach(() => {
  ({ pw, dir } = box);
});


describe('headroom start, killed', () => {
  it('after kill -9 of the daemon apps go quiet, not loud; the next start and `stop --restore` undo what it left', async () => {
    const watcher = await session.watch();
    const m = watcher.model;
    const app = session.play(writeSignal(path.join(dir, 'killed.wav'), 14, sine(-8)), { name: 'killed-app' });
    const serial = Number((await app.node()).info?.props?.['object.serial']);
    const linkedTo = (sinkName: string) => playsOnlyInto(m, serial, sinkName);
    let daemon = session.daemon();
    await poll('routed into the bus', () => linkedTo('headroom-processed'), 10_000, 5).catch((e: Error) => {
      throw new Error(`${e.message}; daemon log: ${daemon.log()}`);
    });
    const ears = await recordSpeakers(pw, dir, 'killed-out.wav');
    await sleep(1000);
    daemon.proc.kill('SIGKILL');
    await daemon.proc;
    await sleep(1500);
    expect(linkedTo('headroom-processed')).toBe(true); // still on the (now silent) bus
    const out = await ears.stop();
    const end = out.length / 2 / 48000;
    report('daemon kill -9: speakers peak before, after (dBFS)', [peakDb(out, 0.2, 0.9), peakDb(out, end - 1, end)]);
    expect(peakDb(out, end - 1, end)).toBeLessThan(-80);
    // `status` says what the killed daemon left, and how to give it back
    const st = await headroom(['status', '--json'], pw.env);
    expect(st.code).toBe(3);
    expect(JSON.parse(st.stdout)).toEqual({ error: { code: 'not_running', message: `the daemon is not running, and a killed headroom (pid ${daemon.proc.pid}) left 1 app(s) routed to its bus and 1 volume(s) turned down: apps may be silent`, hint: 'Give everything back: headroom stop --restore' } });
    expect((await headroom(['status'], pw.env)).stderr).toContain('headroom stop --restore');

    // the next start finds the journal and clears the target before routing anew
    daemon = session.daemon();
    await daemon.running();
    expect(daemon.log()).toContain('a previous headroom was killed: cleared 1 stream target(s) and 1 volume(s) it left');
    await poll('routed into the bus again', () => linkedTo('headroom-processed'), 5000, 5);
    // alone at -8 LUFS it is 10 LU over the target: Layer A turns it down by 10 dB
    await poll('turned down by Layer A', async () => ((JSON.parse((await headroom(['status', '--json'], pw.env)).stdout) as { streams: { serial: number; layerA: { gainDb: number | null } }[] }).streams.find((x) => x.serial === serial)?.layerA.gainDb ?? 0) < -3, 5000, 100);
    daemon.proc.kill('SIGKILL');
    await daemon.proc;

    // and `stop --restore` with no daemon undoes it all
    const r = await headroom(['stop', '--restore', '--json'], pw.env);
    expect(schemaErrors('output.stop', JSON.parse(r.stdout))).toEqual([]); // as docs/schema/control.json says
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ stopping: false, journalFound: true, journalPid: daemon.proc.pid, targetsCleared: 1, volumesRestored: 1, defaultRestored: false, sinkRemoved: true, staleSocketRemoved: true, rememberedTargets: [] });
    await poll('the app back on the speakers', () => linkedTo(pw.speakers), 5000, 5);
    await poll('the bus sink gone', () => m.nodeByName('headroom-processed') === undefined, 5000, 5);
    expect(JSON.parse((await headroom(['stop', '--restore', '--json'], pw.env)).stdout)).toMatchObject({ journalFound: false, sinkRemoved: false, staleSocketRemoved: false });
  });

  it('kill -9 while Layer A holds an app down and --auto-promote holds the default, then start: the volumes and your default output are as before', async () => {
    const app = session.play(writeSignal(path.join(dir, 'promoted.wav'), 30, sine(-8)), { name: 'promoted-app' });
    const node = await app.node();
    const configured = async () => (await pw.tool(['pw-metadata', '-n', 'default', '0', 'default.configured.audio.sink'])).match(/value:'([^']*)'/)?.[1];
    await pw.tool(['pw-metadata', '-n', 'default', '0', 'default.configured.audio.sink', JSON.stringify({ name: pw.speakers }), 'Spa:String:JSON']);
    const before = await poll('your default output set', async () => { const v = await configured(); return v?.includes(pw.speakers) ? v : undefined; }, 5000, 50);
    let daemon = session.daemon(['--auto-promote']);
    await poll('Layer A holding the app down', async () => ((await nodeProps(pw, node.id))?.softVolumes[0] ?? 1) < 0.7, 15_000, 100).catch((e: Error) => {
      throw new Error(`${e.message}; daemon log: ${daemon.log()}`);
    });
    expect(await configured()).toContain('headroom-processed');
    daemon.proc.kill('SIGKILL');
    await daemon.proc;

    daemon = session.daemon();
    await daemon.running();
    expect(daemon.log()).toContain('a previous headroom was killed: cleared 1 stream target(s) and 1 volume(s) it left');
    expect(await configured()).toBe(before);
    expect((await headroom(['stop'], pw.env)).code).toBe(0);
    expect((await daemon.proc).exitCode).toBe(0);
    // the app's own volumes, and Layer A's gain off its softVolumes
    expect(await nodeProps(pw, node.id)).toEqual({ volume: 1, channelVolumes: [1, 1], softVolumes: [1, 1] });
    expect(await configured()).toBe(before);
    expect(existsSync(path.join(String(pw.env.XDG_RUNTIME_DIR), 'headroom', 'journal.json'))).toBe(false);
  }, 60_000);
});

// Layer A with a running daemon: two apps far apart in loudness, levelled against each
// other on Props.volume (never channelVolumes), events published, volumes given back.
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { subscribe } from '../../src/orchestrator/control/control-client.js';
import { poll } from '../../src/orchestrator/process/poll.js';
import type { EventMessage } from '../../src/wire/control-protocol.js';
import { headroom } from '../helpers/cli.js';
import { measure, readWavFloat, report, sine, writeSignal } from './audio.js';
import { nodeProps, usePrivatePipewire, useSession } from './sandbox.js';
import { expectLeftAsFound, savedStreams } from './wireplumber-saved.js';

const box = usePrivatePipewire();
const session = useSession(box);

interface StatusStream { serial: number; app: string; layerA: { reductionDb: number | null }; loudnessLufs: number | null }

describe('Layer A', () => {
  it('turns the loud app of two (-8 and -30 LUFS) down by 12 dB or more within 10 s, the quiet one by at most 1 dB, and gives the volume back on stop', async () => {
    const { pw, dir } = box;
    const loudFile = writeSignal(path.join(dir, 'la-loud.wav'), 30, sine(-7.4));
    const quietFile = writeSignal(path.join(dir, 'la-quiet.wav'), 30, sine(-29.4, 440));
    const own = [loudFile, quietFile].map((f) => measure(readWavFloat(f), 0, 5).shortTerm);
    expect(own[0]).toBeCloseTo(-7.4, 0); // about -8 and -30 LUFS
    const loud = session.play(loudFile, { name: 'la-loud' });
    const quiet = session.play(quietFile, { name: 'la-quiet' });
    const loudNode = await loud.node();
    await quiet.node();
    const daemon = session.daemon();
    await daemon.running();
    const sub = await subscribe(['routing/layer_a_attached', 'meters/layer_a_level'], pw.env);
    const events: EventMessage[] = [];
    void (async () => { for await (const e of sub.events) events.push(e); })().catch(() => undefined);
    const t0 = Date.now();
    const streams = async () => (JSON.parse((await headroom(['status', '--json'], pw.env)).stdout) as { streams: StatusStream[] }).streams;
    const got = await poll('the loud app turned down by 12 dB', async () => {
      const s = await streams();
      const l = s.find((x) => x.app === 'la-loud');
      return l && (l.layerA.reductionDb ?? 0) >= 12 ? s : undefined;
    }, 10_000, 200);
    const tookS = (Date.now() - t0) / 1000;
    await sleep(2000); // settled: still there, and the quiet one untouched
    const settled = await streams();
    const l = settled.find((x) => x.app === 'la-loud')!;
    const q = settled.find((x) => x.app === 'la-quiet')!;
    report('layer A: loud reduction (dB) after, seconds; quiet reduction; own loudness loud/quiet', [l.layerA.reductionDb, tookS, q.layerA.reductionDb, l.loudnessLufs, q.loudnessLufs]);
    expect(got.length).toBeGreaterThanOrEqual(2);
    expect(l.layerA.reductionDb).toBeGreaterThanOrEqual(12);
    expect(l.layerA.reductionDb).toBeLessThanOrEqual(20);
    expect(q.layerA.reductionDb).toBeLessThanOrEqual(1);
    // Layer A knows each app's own loudness, its reduction taken out
    expect(Math.abs(l.loudnessLufs! - own[0]!)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(q.loudnessLufs! - own[1]!)).toBeLessThanOrEqual(0.5);

    // on the node: Props.volume carries it, channelVolumes stay the user's
    const props = () => nodeProps(pw, loudNode.id);
    const p = await props();
    expect(20 * Math.log10(p!.volume)).toBeCloseTo(-(l.layerA.reductionDb ?? 0), 0);
    expect(p!.channelVolumes).toEqual([1, 1]);

    // events
    expect(events.filter((e) => e.topic === 'routing/layer_a_attached').map((e) => (e.data as { app: string }).app).sort()).toEqual(['la-loud', 'la-quiet']);
    const level = events.filter((e) => e.topic === 'meters/layer_a_level').at(-1)?.data;
    expect(level).toMatchObject({ nodeId: expect.any(Number), serial: expect.any(Number), app: expect.any(String), volumeLin: expect.any(Number), reductionDb: expect.any(Number) });
    sub.close();

    daemon.proc.kill('SIGTERM');
    expect((await daemon.proc).exitCode).toBe(0);
    await poll('the volume given back', async () => (await props())?.volume === 1, 5000, 50);
    // WirePlumber saves a stream's props a second after they change
    await sleep(1500);
    const saved = await savedStreams(pw);
    expect(saved.streams.find((s) => s.key === 'Output/Audio:media.role:role-la-loud')?.volume).toBe(1); // it saw the volume given back
    expectLeftAsFound(saved);
  });
});

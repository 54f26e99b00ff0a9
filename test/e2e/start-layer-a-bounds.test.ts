// What Layer A leaves alone, with a running daemon, listened to at the speakers (each app a
// tone of its own, measured on its own in one recording): an app barely playing (under the
// gate) is never lifted, while apps come and go beside it without a warning in the log; and
// an app a profile rule excludes (`layer_a = false`) gets no gain of its own — only what the
// bus gives every app — while the app beside it is levelled.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { PrivatePipewire } from '../../src/orchestrator/sandbox/private-pipewire.js';
import { headroom } from '../helpers/cli.js';
import { energyMeanDb, measure, readWavFloat, recordSpeakers, report, sine, toneBlocksDb, writeSignal, type Recording } from './audio.js';
import { nodeProps, usePrivatePipewire, useSession } from './sandbox.js';

const box = usePrivatePipewire();
const session = useSession(box);

/** default.toml's gate */
const GATE_LUFS = -45;
const SETTLED_S = 10;
const WINDOW_S = 3;

interface App { name: string; dbfs: number; freq: number }
interface StatusStream { app: string; route: string; layerA: { gainDb: number | null; reason: string | null } }

const status = async (env: NodeJS.ProcessEnv) => (JSON.parse((await headroom(['status', '--json'], env)).stdout) as { streams: StatusStream[] }).streams;

/** The app's own tone at the speakers once settled, minus its level in its file (dB): every
 * gain on its way, Layer A's and the bus's. */
const gainOnTheWay = (out: Float32Array, a: App) => energyMeanDb(toneBlocksDb(out, a.freq, SETTLED_S - 0.5, SETTLED_S - 0.5 + WINDOW_S)) - a.dbfs;

/** A levelled app's gain on the way, less Layer A's own: what the bus gives every app. */
const busGainOf = (out: Float32Array, a: App, s: StatusStream) => gainOnTheWay(out, a) - s.layerA.gainDb!;

/** The stream's softVolumes once a second until the apps have settled and been heard a while
 * (t0 + SETTLED_S + WINDOW_S); then the status and the recording. */
async function untilSettled(pw: PrivatePipewire, nodeId: number, t0: number, ears: Recording) {
  const props: number[][] = [];
  while (Date.now() - t0 < 1000 * (SETTLED_S + WINDOW_S)) {
    props.push((await nodeProps(pw, nodeId))!.softVolumes);
    await sleep(1000);
  }
  const streams = await status(pw.env);
  return { props, streams, out: await ears.stop() };
}

describe('Layer A leaves alone', () => {
  it('an app barely playing (under the gate): never lifted, while short apps come and go beside it and nothing is logged as a warning', async () => {
    const { pw, dir } = box;
    const LOUD: App = { name: 'lb-loud', dbfs: -7.4, freq: 1000 };
    const BARELY: App = { name: 'lb-barely', dbfs: -55, freq: 440 };
    const SHORT: App = { name: 'lb-short', dbfs: -20, freq: 3000 };
    const files = [LOUD, BARELY].map((a) => writeSignal(path.join(dir, `${a.name}.wav`), 40, sine(a.dbfs, a.freq)));
    const own = measure(readWavFloat(files[1]!), 0, 5).shortTerm;
    expect(own).toBeLessThan(GATE_LUFS - 5);
    const shortFile = writeSignal(path.join(dir, `${SHORT.name}.wav`), 0.5, sine(SHORT.dbfs, SHORT.freq));
    session.play(files[0]!, { name: LOUD.name });
    const barely = session.play(files[1]!, { name: BARELY.name });
    const barelyNode = await barely.node();
    const daemon = session.daemon();
    await daemon.running();
    const ears = await recordSpeakers(pw, dir, 'lb-gate-out.wav');
    const t0 = Date.now();
    // short apps start and end beside them (each one's tap links race its ports going away)
    for (let k = 0; k < 6; k++) {
      await sleep(1000);
      await session.play(shortFile, { name: `${SHORT.name}-${k % 2}` }).proc;
    }
    const { props, streams, out } = await untilSettled(pw, barelyNode.id, t0, ears);

    const b = streams.find((s) => s.app === BARELY.name)!;
    const l = streams.find((s) => s.app === LOUD.name)!;
    const barelyGain = gainOnTheWay(out, BARELY);
    const busGain = busGainOf(out, LOUD, l);
    const warnings = daemon.log().split('\n').filter((line) => /^<[0-4]>/.test(line));
    report('layer A bounds: barely playing app: own LUFS, its gain on the way (dB), its status; the bus gain (dB); warnings', [own.toFixed(1), barelyGain.toFixed(2), b.layerA, busGain.toFixed(2), warnings]);
    expect(b.route).toBe('processed');
    expect(b.layerA.gainDb).toBe(0);
    expect(['new', 'quiet']).toContain(b.layerA.reason);
    for (const v of props) expect(v).toEqual([1, 1]);
    // nothing lifts it: not Layer A, and not the bus (its AGC lifts nothing while Layer A holds every app)
    expect(Math.abs(barelyGain - busGain)).toBeLessThanOrEqual(1);
    expect(busGain).toBeLessThanOrEqual(0.5);
    expect(l.layerA.gainDb!).toBeLessThan(-6);
    expect(warnings).toEqual([]);
  });

  it('an app a profile rule excludes (layer_a = false): no gain of its own, only what the bus gives every app, while the app beside it is levelled', async () => {
    const { pw, dir } = box;
    const EXCLUDED: App = { name: 'lb-excluded', dbfs: -30, freq: 440 };
    const LEVELLED: App = { name: 'lb-levelled', dbfs: -8, freq: 1000 };
    const profiles = path.join(pw.env.XDG_CONFIG_HOME!, 'headroom', 'profiles');
    mkdirSync(profiles, { recursive: true });
    writeFileSync(path.join(profiles, 'mine.toml'), `description = "mine"\n[[routing.rules]]\nmatch = "${EXCLUDED.name}"\nlayer_a = false\n`);
    const files = [EXCLUDED, LEVELLED].map((a) => writeSignal(path.join(dir, `${a.name}.wav`), 40, sine(a.dbfs, a.freq)));
    const excluded = session.play(files[0]!, { name: EXCLUDED.name });
    session.play(files[1]!, { name: LEVELLED.name });
    const excludedNode = await excluded.node();
    const daemon = session.daemon(['--profile', 'mine']);
    await daemon.running();
    const ears = await recordSpeakers(pw, dir, 'lb-excluded-out.wav');
    const t0 = Date.now();
    const { props, streams, out } = await untilSettled(pw, excludedNode.id, t0, ears);

    const x = streams.find((s) => s.app === EXCLUDED.name)!;
    const l = streams.find((s) => s.app === LEVELLED.name)!;
    const excludedGain = gainOnTheWay(out, EXCLUDED);
    const busGain = busGainOf(out, LEVELLED, l);
    report('layer A bounds: excluded app: status, its gain on the way (dB); levelled app: status; the bus gain (dB)', [x, excludedGain.toFixed(2), l, busGain.toFixed(2)]);
    expect(x.route).toBe('processed');
    expect(x.layerA).toEqual({ gainDb: null, reason: null });
    for (const v of props) expect(v).toEqual([1, 1]);
    expect(l.layerA.gainDb!).toBeLessThan(-6);
    expect(Math.abs(excludedGain - busGain)).toBeLessThanOrEqual(1);
  });
});

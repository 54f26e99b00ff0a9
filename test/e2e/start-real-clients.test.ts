// Real desktop clients with a running daemon: PulseAudio-API apps through pipewire-pulse
// (paplay, mpv) and an ALSA app through pipewire-alsa (aplay), each listened to at the
// speakers: routed into the bus, levelled to the profile's target without a gap, turned
// down by Layer A on its own stream volume, and handed back as found on stop.
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { poll } from '../../src/orchestrator/process/poll.js';
import { longestGapAt, measure, peakDb, RATE, readWavFloat, recordSpeakers, report, sine, writeSignal, type RealClient } from './audio.js';
import { nodeProps, playsOnlyInto, usePrivatePipewire, useSession } from './sandbox.js';
import { savedStreams } from './wireplumber-saved.js';

/** default.toml's target */
const TARGET_LUFS = -18;
/** How long the bus plays the app before its level counts as settled, and the window measured then */
const SETTLE_S = 9;
const WINDOW_S = 3;

// each client on a PipeWire of its own: a fresh WirePlumber state for each, and nothing one
// client's stop leaves can touch the next one's test
describe.each<RealClient>(['paplay', 'mpv', 'aplay'])('a real client: %s', (client) => {
  const box = usePrivatePipewire({ pulse: true });
  const session = useSession(box);
  it('is routed into the bus, reaches the speakers at -18 LUFS without a gap, is turned down by Layer A, and is handed back on stop', async () => {
    const { pw, dir } = box;
    const name = `rc-${client}`;
    const file = writeSignal(path.join(dir, `${name}.wav`), 40, sine(-6));
    const own = measure(readWavFloat(file), 0, 5).shortTerm;
    const watcher = await session.watch();
    const app = session.playWith(client, file, name);
    try {
      const node = await app.node();
      const serial = Number(node.info?.props?.['object.serial']);
      const on = (sink: string) => playsOnlyInto(watcher.model, serial, sink);
      await poll(`${name} on the speakers`, () => on(pw.speakers), 5000, 5);
      const before = await nodeProps(pw, node.id);
      expect(before).toMatchObject({ volume: 1, channelVolumes: [1, 1] });

      const d = session.daemon();
      await d.running();
      await poll(`${name} in the bus`, () => on('headroom-processed'), 5000, 5);
      const ears = await recordSpeakers(pw, dir, `${name}-out.wav`);
      const t0 = Date.now();
      const since = () => (Date.now() - t0) / 1000;

      // Layer A: alone, the app is brought to the target, on Props.volume
      const wantCutDb = own - TARGET_LUFS;
      await poll(`${name} turned down by Layer A`, async () => {
        const p = await nodeProps(pw, node.id);
        return p && -20 * Math.log10(p.softVolumes[0] ?? 1) >= wantCutDb - 1;
      }, 10_000, 100);
      await sleep(1000 * (SETTLE_S + WINDOW_S) - (Date.now() - t0));
      const routed = (await nodeProps(pw, node.id))!;
      expect(on('headroom-processed')).toBe(true);
      const stopAt = since();

      d.proc.kill('SIGTERM');
      expect((await d.proc).exitCode).toBe(0);
      await poll(`${name} back on the speakers`, () => on(pw.speakers), 5000, 5);
      await poll(`${name}'s volume given back`, async () => (await nodeProps(pw, node.id))?.volume === before!.volume, 5000, 50);
      const backAt = since();
      await sleep(1000 * (WINDOW_S + 1));
      const out = await ears.stop();

      const settled = measure(out, SETTLE_S, SETTLE_S + WINDOW_S);
      const timeline = Array.from({ length: Math.floor(stopAt) }, (_, s) => Number(measure(out, s, s + 1).momentary.toFixed(1)));
      const { frames: gap, at: gapAt } = longestGapAt(out, 0, Math.round(0.2 * RATE), Math.round((stopAt - 0.2) * RATE));
      const handedBack = measure(out, backAt + 0.5, backAt + 0.5 + WINDOW_S);
      const cutDb = -20 * Math.log10(routed.softVolumes[0] ?? 1);
      report(`${client}: own loudness; speakers short-term when settled (LUFS); Layer A cut (dB, wanted); longest gap routed (frames, at s); speakers after stop (LUFS, peak dBFS)`,
        [own.toFixed(1), settled.shortTerm.toFixed(1), cutDb.toFixed(1), wantCutDb.toFixed(1), gap, (gapAt / RATE).toFixed(2), handedBack.shortTerm.toFixed(1), peakDb(out, backAt + 0.5, backAt + 0.5 + WINDOW_S).toFixed(1)]);
      report(`${client}: speakers momentary per second from routed (LUFS)`, timeline);

      expect(Math.abs(settled.shortTerm - TARGET_LUFS)).toBeLessThanOrEqual(1);
      // a 1 kHz tone: anything beyond a zero crossing is a dropout. Measured 1 frame in every
      // run but two: one quantum, 2048 frames (paplay, Debian 12, a CI run) and 1345 (mpv,
      // Debian 13, loaded), cause not found; the failure model's bound for a graph change
      // (Layer A's tap joining) is one quantum, and this graph runs at 2048 at the most
      expect(gap).toBeLessThanOrEqual(2048);
      expect(Math.abs(cutDb - wantCutDb)).toBeLessThanOrEqual(1);
      expect([routed.volume, routed.channelVolumes]).toEqual([before!.volume, before!.channelVolumes]); // the user's slider is not Layer A's
      // handed back: straight to the speakers at the app's own level, at its own volume
      expect(Math.abs(handedBack.shortTerm - own)).toBeLessThanOrEqual(0.5);
      expect(await nodeProps(pw, node.id)).toEqual(before);
      // and WirePlumber remembers neither headroom's target nor its volume for the app's role
      await sleep(1500);
      const saved = (await savedStreams(pw)).streams.find((s) => s.key === `Output/Audio:media.role:role-${name}`);
      expect(saved).toBeDefined();
      expect(saved!.target).toBeUndefined();
      expect(saved!.volume ?? 1).toBe(1);
    } finally {
      app.proc.kill('SIGTERM');
      const said = await app.proc;
      report(`${client}: what it printed`, `${String(said.stdout)}${String(said.stderr)}`.slice(-400));
    }
  }, 60_000);
});

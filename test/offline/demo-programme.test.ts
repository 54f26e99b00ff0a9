import { describe, expect, it } from 'vitest';
import { bandPass } from '../../src/offline/band-pass.js';
import { demoProgramme, DEMO_RATE, DEMO_SCHEDULE } from '../../src/offline/demo-programme.js';
import { measureWindow } from '../../src/offline/float-audio.js';

const energy = (x: Float32Array) => x.reduce((s, v) => s + v * v, 0);

describe('the demo programme', () => {
  const apps = demoProgramme();
  it('three apps over each other: the podcast throughout, the ad cutting in over it, a ping', () => {
    expect(apps.map((a) => a.name)).toEqual(['Podcast', 'AdBlaster', 'Chat']);
    const w = DEMO_SCHEDULE.warmup;
    expect(apps[0]!.windows).toEqual([[0, w + 15]]);
    expect(apps[1]!.onset).toBe(w + 5);
    expect(apps[2]!.onset).toBe(w + 12);
    // each at its loudness where it plays: about -30, -9 and -10 LUFS
    for (const [a, lufs] of [[apps[0]!, -30], [apps[1]!, -9], [apps[2]!, -10]] as const) {
      const [from, to] = a.windows[0]!;
      expect(measureWindow(a.samples, DEMO_RATE, 2, from, to).integrated).toBeCloseTo(lufs, 0);
    }
  });

  it('keeps each app in its band: what leaks out of it is 50 dB under it or more (measured 64-81)', () => {
    for (const a of apps) {
      const mono = Float32Array.from({ length: a.samples.length / 2 }, (_, i) => a.samples[2 * i] as number);
      const inBand = energy(bandPass(mono, DEMO_RATE, a.band[0], a.band[1]));
      const out = energy(mono) - inBand;
      expect(10 * Math.log10(Math.max(out, 1e-30) / inBand), a.name).toBeLessThan(-50);
    }
    // and the bands do not overlap
    const bands = apps.map((a) => a.band).sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < bands.length; i++) expect(bands[i]![0]).toBeGreaterThanOrEqual(bands[i - 1]![1]);
  });
});

describe("the demo's onset measure", () => {
  it('is the loudest momentary reading of the 1.5 s after a start, not the last one (the ping is over by then)', () => {
    const ping = demoProgramme()[2]!;
    const from = ping.onset!;
    const m = measureWindow(ping.samples, DEMO_RATE, 2, from, from + 1.5);
    // the decaying ping: its first 400 ms are several LU over its integrated -10 LUFS
    expect(m.momentaryMax).toBeGreaterThan(-9);
    expect(m.momentaryMax).toBeLessThan(-4);
    expect(m.momentary).toBeLessThan(-60);
  });
});

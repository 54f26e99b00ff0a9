// EBU Tech 3341 (cases 1-6, 9, 10, 12, 13, 15-19) and Tech 3342 (cases 1-4), synthesised,
// measured through the addon: the same C meter the live bus runs.
import { describe, expect, it } from 'vitest';
import { dsp, type MeterResult } from '../../src/native/dsp.js';
import { bytes, fade, tone, type Signal } from './signals.js';

const RATES = [48000, 44100];

function measure(sig: Signal, onBlock?: (m: MeterResult, t: number) => void, step = 0.1): MeterResult {
  const meter = new (dsp().Meter)(sig.rate, sig.channels);
  const frames = sig.samples.length / sig.channels;
  const hop = Math.round(step * sig.rate);
  for (let off = 0; off < frames; off += hop) {
    const end = Math.min(frames, off + hop);
    meter.push(bytes(sig.samples.subarray(off * sig.channels, end * sig.channels)), 'f32');
    onBlock?.(meter.result(), end / sig.rate);
  }
  meter.finish();
  return meter.result();
}

const dB = (lin: number) => 20 * Math.log10(lin);

describe.each(RATES)('EBU Tech 3341 at %i Hz', (rate) => {
  it('case 1: -23 dBFS stereo sine -> M, S, I = -23.0 ±0.1', () => {
    const r = measure(tone(rate, 2, [{ seconds: 20, dbfs: -23 }]));
    expect(r.momentary).toBeCloseTo(-23, 1);
    expect(Math.abs(r.shortTerm + 23)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(r.integrated + 23)).toBeLessThanOrEqual(0.1);
  });

  it('case 2: -33 dBFS -> -33.0 ±0.1', () => {
    const r = measure(tone(rate, 2, [{ seconds: 20, dbfs: -33 }]));
    expect(Math.abs(r.momentary + 33)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(r.shortTerm + 33)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(r.integrated + 33)).toBeLessThanOrEqual(0.1);
  });

  it('case 3: -36/-23/-36 dBFS -> I = -23.0 ±0.1 (relative gate)', () => {
    const r = measure(tone(rate, 2, [{ seconds: 10, dbfs: -36 }, { seconds: 60, dbfs: -23 }, { seconds: 10, dbfs: -36 }]));
    expect(Math.abs(r.integrated + 23)).toBeLessThanOrEqual(0.1);
  });

  it('case 4: -72/-36/-23/-36/-72 dBFS -> I = -23.0 ±0.1 (both gates)', () => {
    const r = measure(
      tone(rate, 2, [
        { seconds: 10, dbfs: -72 },
        { seconds: 10, dbfs: -36 },
        { seconds: 60, dbfs: -23 },
        { seconds: 10, dbfs: -36 },
        { seconds: 10, dbfs: -72 },
      ]),
    );
    expect(Math.abs(r.integrated + 23)).toBeLessThanOrEqual(0.1);
  });

  it('case 5: -26/-20/-26 dBFS -> I = -23.0 ±0.1', () => {
    const r = measure(tone(rate, 2, [{ seconds: 20, dbfs: -26 }, { seconds: 20.1, dbfs: -20 }, { seconds: 20, dbfs: -26 }]));
    expect(Math.abs(r.integrated + 23)).toBeLessThanOrEqual(0.1);
  });

  it('case 6: 5.0 channels (L R C Ls Rs) -> I = -23.0 ±0.1', () => {
    const r = measure(tone(rate, 5, [{ seconds: 20, dbfs: [-28, -28, -24, -30, -30] }]));
    expect(Math.abs(r.integrated + 23)).toBeLessThanOrEqual(0.1);
  });

  it('case 6 as 5.1: the LFE channel is left out', () => {
    const r = measure(tone(rate, 6, [{ seconds: 20, dbfs: [-28, -28, -24, -10, -30, -30] }]));
    expect(Math.abs(r.integrated + 23)).toBeLessThanOrEqual(0.1);
  });

  it('case 9: 1.34 s at -20 / 1.66 s at -30 repeated -> S = -23.0 ±0.1 constant after 3 s', () => {
    const segs = Array.from({ length: 5 }, () => [{ seconds: 1.34, dbfs: -20 }, { seconds: 1.66, dbfs: -30 }]).flat();
    const seen: number[] = [];
    measure(tone(rate, 2, segs), (m, t) => t >= 3.05 && seen.push(m.shortTerm));
    expect(seen.length).toBeGreaterThan(100);
    for (const s of seen) expect(Math.abs(s + 23)).toBeLessThanOrEqual(0.1);
  });

  it.each(Array.from({ length: 20 }, (_, i) => i))('case 10-%i: a 3 s burst at an odd offset -> max S = -23.0 ±0.1', (i) => {
    const offset = 0.1 + i * 0.0137;
    const r = measure(tone(rate, 2, [{ seconds: offset, dbfs: null }, { seconds: 3, dbfs: -23 }, { seconds: 1, dbfs: null }]));
    expect(Math.abs(r.shortTermMax + 23)).toBeLessThanOrEqual(0.1);
  });

  it('case 12: 1 kHz at -23 dBFS -> M = -23.0 ±0.1 constant after 1 s', () => {
    const seen: number[] = [];
    measure(tone(rate, 2, [{ seconds: 20, dbfs: -23 }]), (m, t) => t >= 1 && seen.push(m.momentary), 0.01);
    for (const m of seen) expect(Math.abs(m + 23)).toBeLessThanOrEqual(0.1);
  });

  it.each(Array.from({ length: 20 }, (_, i) => i))('case 13-%i: a 0.4 s burst at an odd offset -> max M = -23.0 ±0.1', (i) => {
    const offset = 0.05 + i * 0.0231;
    const r = measure(tone(rate, 2, [{ seconds: offset, dbfs: null }, { seconds: 0.4, dbfs: -23 }, { seconds: 1, dbfs: null }]));
    expect(Math.abs(r.momentaryMax + 23)).toBeLessThanOrEqual(0.1);
  });

  // faded in and out: an abrupt start is a step, whose own overshoot is not the tone's peak
  const truePeakCases: [string, number, number, number, number][] = [
    // name, frequency as a fraction of fs, amplitude (FS), phase, expected dBTP
    ['15: fs/4 at 0.5 FS, 0 degrees', 1 / 4, 0.5, 0, -6],
    ['16: fs/4 at 0.5 FS, 45 degrees', 1 / 4, 0.5, 45, -6],
    ['17: fs/6 at 0.5 FS, 60 degrees', 1 / 6, 0.5, 60, -6],
    ['18: fs/8 at 0.5 FS, 67.5 degrees', 1 / 8, 0.5, 67.5, -6],
    ['19: fs/4 at 1.41 FS, 45 degrees', 1 / 4, 1.4125, 45, 3],
  ];
  it.each(truePeakCases)('case %s -> true peak within +0.2/-0.4 dB', (_name, frac, amp, phase, want) => {
    const sig = fade(tone(rate, 2, [{ seconds: 1, dbfs: dB(amp) }], rate * frac, phase), 0.02);
    const tp = dB(measure(sig).truePeak);
    expect(tp).toBeGreaterThanOrEqual(want - 0.4);
    expect(tp).toBeLessThanOrEqual(want + 0.2);
  });
});

describe.each(RATES)('EBU Tech 3342 (loudness range) at %i Hz', (rate) => {
  const cases: [string, { seconds: number; dbfs: number }[], number][] = [
    ['1: -20 then -30 dBFS', [{ seconds: 20, dbfs: -20 }, { seconds: 20, dbfs: -30 }], 10],
    ['2: -20 then -15 dBFS', [{ seconds: 20, dbfs: -20 }, { seconds: 20, dbfs: -15 }], 5],
    ['3: -40 then -20 dBFS', [{ seconds: 20, dbfs: -40 }, { seconds: 20, dbfs: -20 }], 20],
    [
      '4: -50/-35/-20/-35/-50 dBFS',
      [
        { seconds: 20, dbfs: -50 },
        { seconds: 20, dbfs: -35 },
        { seconds: 20, dbfs: -20 },
        { seconds: 20, dbfs: -35 },
        { seconds: 20, dbfs: -50 },
      ],
      15,
    ],
  ];
  it.each(cases)('case %s -> LRA ±1 LU', (_name, segs, want) => {
    const r = measure(tone(rate, 2, segs));
    expect(r.loudnessRange).not.toBeNull();
    expect(Math.abs((r.loudnessRange ?? 0) - want)).toBeLessThanOrEqual(1);
  });
});

describe('no measurement', () => {
  it('silence reports the -200 LUFS floor, never NaN, and no loudness range', () => {
    const r = measure(tone(48000, 2, [{ seconds: 5, dbfs: null }]));
    expect(r.integrated).toBe(dsp().loudnessFloor);
    expect(r.momentaryMax).toBe(-200);
    expect(r.loudnessRange).toBeNull();
    expect(r.truePeak).toBe(0);
  });
});

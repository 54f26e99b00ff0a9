import { describe, expect, it } from 'vitest';
import { LAYER_A_CUT_DB_PER_S, LAYER_A_RELEASE_DB_PER_S, ownLoudness, stepLayerA, type LayerAInput } from '../../src/policy/layer-a.js';

const p = { thresholdLu: 6, maxReductionDb: 20, targetLufs: -18 };
const s = (serial: number, level: number, reductionDb = 0, history: number[] = []): LayerAInput => ({ serial, momentary: level - reductionDb, shortTerm: level - reductionDb, history: history.length ? history : [reductionDb], reductionDb });

/** Runs the law for n ticks on steady apps (own loudness fixed), the tap seeing the reduction. */
function run(levels: number[], ticks: number, params = p) {
  let r = levels.map(() => 0);
  const hist: number[][] = levels.map(() => []);
  for (let t = 0; t < ticks; t++) {
    const next = stepLayerA(levels.map((l, i) => ({ serial: i, momentary: l - (r[i] as number), shortTerm: l - (r[i] as number), history: [...(hist[i] as number[]), r[i] as number].slice(-30), reductionDb: r[i] as number })), params, 0.1);
    r = levels.map((_, i) => next.get(i) as number);
    r.forEach((x, i) => hist[i]?.push(x));
  }
  return r;
}

describe('Layer A control law', () => {
  it('turns the loud one of two apps (-8, -30 LUFS) down by the excess over the threshold, and leaves the quiet one', () => {
    const [loud, quiet] = run([-8, -30], 20);
    expect(loud).toBeCloseTo(16, 2);
    expect(quiet).toBe(0);
  });

  it('cuts fast and releases slowly', () => {
    const once = stepLayerA([s(1, -8), s(2, -30)], p, 0.1);
    expect(once.get(1)).toBeCloseTo(LAYER_A_CUT_DB_PER_S * 0.1, 5);
    // the loud one calmed down to the others' level: the reduction comes back at the release speed
    const calm = stepLayerA([s(1, -30, 16), s(2, -30)], p, 0.1);
    expect(calm.get(1)).toBeCloseTo(16 - LAYER_A_RELEASE_DB_PER_S * 0.1, 5);
  });

  it('never reduces beyond the cap, and never below zero', () => {
    expect(run([0, -60 + 1], 50)[0]).toBe(20);
    expect(run([-8, -30], 50, { ...p, maxReductionDb: 5 })[0]).toBe(5);
    expect(run([-20, -20], 50)).toEqual([0, 0]);
  });

  it('compares a lone app with the target, and holds a silent app where it was', () => {
    expect(run([-8], 30)[0]).toBeCloseTo(4, 2); // -8 vs target -18, 6 LU allowed
    const held = stepLayerA([s(1, -200, 12), s(2, -20)], p, 0.1);
    expect(held.get(1)).toBe(12);
    // a silent app is nobody's reference: the other is compared with the target
    expect(held.get(2)).toBe(0);
  });

  it('takes the median of the others as the reference', () => {
    const [ad, voice, music] = run([-6, -30, -20], 40);
    expect(ad).toBeCloseTo(-6 - (-25) - 6, 2); // median of -30 and -20
    expect(voice).toBe(0);
    expect(music).toBe(0);
  });

  it('takes its own reduction out of the tap reading in energy terms', () => {
    // a steady -8 LUFS app that was at 0 dB for 3 of the 4 momentary ticks and 16 dB for one
    const tap = 10 * Math.log10((3 * 10 ** (-8 / 10) + 10 ** (-24 / 10)) / 4);
    expect(ownLoudness({ serial: 1, momentary: tap, shortTerm: -200, history: [0, 0, 0, 16], reductionDb: 16 })).toBeCloseTo(-8, 5);
  });

  it('does not compare with an app that just paused, though its short-term reading still remembers it', () => {
    // the video paused for the ad: its momentary reading is silent, its 3 s reading still -30
    const paused: LayerAInput = { serial: 2, momentary: -200, shortTerm: -30, history: [0], reductionDb: 0 };
    const r = stepLayerA([s(1, -9), paused], p, 1);
    expect(r.get(1)).toBeCloseTo(-9 - -18 - 6, 5); // compared with the target, not with -30
    expect(r.get(2)).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { bandPass } from '../../src/offline/band-pass.js';

const tone = (f: number, a: number, n: number, rate = 48000) => Float32Array.from({ length: n }, (_, i) => a * Math.sin((2 * Math.PI * f * i) / rate));
const rms = (x: Float32Array, from = 0, to = x.length) => Math.sqrt(x.slice(from, to).reduce((s, v) => s + v * v, 0) / (to - from));

describe('bandPass', () => {
  it('keeps a tone in its band and removes one 20 dB louder outside it, to under -60 dB', () => {
    const n = 48000;
    const quiet = tone(440, 0.01, n), loud = tone(2000, 0.1, n);
    const mix = quiet.map((v, i) => v + (loud[i] as number));
    const got = bandPass(mix, 48000, 80, 1000);
    const err = got.map((v, i) => v - (quiet[i] as number));
    // away from the ends (a tone that starts and stops is not in one band at its edges)
    expect(rms(got, 4800, n - 4800) / rms(quiet, 4800, n - 4800)).toBeCloseTo(1, 2);
    expect(20 * Math.log10(rms(err, 4800, n - 4800) / rms(loud))).toBeLessThan(-60);
  });
});

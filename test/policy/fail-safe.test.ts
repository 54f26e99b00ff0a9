import { describe, expect, it } from 'vitest';
import { failSafeGainDb, failSafeVolume } from '../../src/policy/fail-safe.js';

describe('fail-safe volume', () => {
  it('counts the AGC, the compressor and the limiter, and stays a margin under', () => {
    expect(failSafeGainDb({ agcGainDb: 4, compressorReductionDb: 8.5, limiterReductionDb: 1 })).toBeCloseTo(-6, 9);
    expect(failSafeGainDb(undefined)).toBeCloseTo(-0.5, 9);
  });

  it("matches what the bus gave (a boost too), never over 1", () => {
    expect(failSafeVolume(0.5, -6)).toBeCloseTo(0.5 * 10 ** (-6 / 20), 9);
    expect(failSafeVolume(0.25, 6)).toBeCloseTo(0.25 * 10 ** (6 / 20), 9);
    expect(failSafeVolume(0.5, 12)).toBe(1);
    expect(failSafeVolume(0, -3)).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { dsp } from '../../src/native/dsp.js';

describe('addon argument checks', () => {
  it.each([
    ['no arguments', () => new (dsp().Meter)(undefined as never, undefined as never)],
    ['9 channels', () => new (dsp().Chain)(48000, 9)],
    ['a weight per channel missing', () => new (dsp().Meter)(48000, 2, [1])],
    ['a rate below 8 kHz', () => new (dsp().Chain)(4000, 2)],
  ])('refuses %s with EINVAL', (_name, make) => {
    expect(make).toThrow(expect.objectContaining({ code: 'EINVAL' }));
  });

  it('refuses unknown keys and out-of-range values, changing nothing', () => {
    const chain = new (dsp().Chain)(48000, 2);
    expect(() => chain.setParam('agc.nope', 1)).toThrow(expect.objectContaining({ code: 'ENOKEY' }));
    expect(() => chain.setParam('limiter.ceiling_dbtp', 1)).toThrow(expect.objectContaining({ code: 'ERANGE' }));
    expect(() => chain.process(new Uint8Array(6), 'f32')).toThrow(/whole number of frames/);
    expect(() => chain.process(new Uint8Array(8), 'mp3' as never)).toThrow(/unknown PCM format/);
  });
});

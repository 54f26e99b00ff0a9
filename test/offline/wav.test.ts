import { describe, expect, it } from 'vitest';
import { float32WavHeader, parseWavHeader, weightsFromMask } from '../../src/offline/wav.js';
import { encodeWav } from '../helpers/wav-encode.js';

describe('parseWavHeader', () => {
  it.each(['u8', 's16', 's24', 's32', 'f32', 'f64'] as const)('reads %s, skipping odd-sized chunks', (format) => {
    const wav = encodeWav(new Float32Array(20), 44100, 2, format);
    const h = parseWavHeader(wav);
    expect(h.kind).toBe('ok');
    if (h.kind !== 'ok') return;
    expect(h.info).toMatchObject({ sampleRate: 44100, channels: 2, format });
    expect(wav.length - h.info.dataOffset).toBe(h.info.dataBytes);
  });

  it('reads WAVE_FORMAT_EXTENSIBLE with its channel mask', () => {
    const h = parseWavHeader(encodeWav(new Float32Array(12), 48000, 6, 's24', { mask: 0x3f }));
    expect(h).toMatchObject({ kind: 'ok', info: { channels: 6, format: 's24', channelMask: 0x3f } });
  });

  it('asks for more bytes rather than guessing on a partial header', () => {
    const wav = encodeWav(new Float32Array(4), 48000, 1, 's16');
    for (let n = 0; n < 44; n++) expect(parseWavHeader(wav.subarray(0, n)).kind).toBe('need-more');
  });

  it.each([
    ['not RIFF', Buffer.from('OggS0000WAVEfmt ')],
    ['a 9-channel file', (() => { const b = encodeWav(new Float32Array(9), 48000, 9, 's16'); return b; })()],
  ])('rejects %s with a reason', (_name, buf) => {
    const h = parseWavHeader(buf);
    expect(h.kind).toBe('error');
  });

  it('rejects 12-bit PCM naming the supported formats', () => {
    const wav = encodeWav(new Float32Array(4), 48000, 1, 's16');
    wav.writeUInt16LE(12, 34);
    const h = parseWavHeader(wav);
    expect(h.kind === 'error' && h.reason).toMatch(/supported: PCM 8\/16\/24\/32-bit/);
  });

  it('treats an unknown data size (a pipe) as "until the end"', () => {
    const wav = encodeWav(new Float32Array(4), 48000, 1, 'f32');
    const h0 = parseWavHeader(wav);
    if (h0.kind !== 'ok') throw new Error('setup');
    wav.writeUInt32LE(0xffffffff, h0.info.dataOffset - 4);
    expect(parseWavHeader(wav)).toMatchObject({ kind: 'ok', info: { dataBytes: undefined } });
  });
});

describe('float32WavHeader', () => {
  it('round-trips through the parser, stereo and extensible 5.1', () => {
    expect(parseWavHeader(float32WavHeader(96000, 2, 800))).toMatchObject({ kind: 'ok', info: { sampleRate: 96000, channels: 2, format: 'f32', dataBytes: 800 } });
    expect(parseWavHeader(float32WavHeader(48000, 6, 240, 0x3f))).toMatchObject({ kind: 'ok', info: { channels: 6, format: 'f32', channelMask: 0x3f } });
  });
});

describe('weightsFromMask', () => {
  it('gives BS.1770 weights: LFE 0, surrounds 1.41', () => {
    expect(weightsFromMask(0x3f, 6)).toEqual([1, 1, 1, 0, 1.41, 1.41]);
    expect(weightsFromMask(0x60f, 6)).toEqual([1, 1, 1, 0, 1.41, 1.41]);
    expect(weightsFromMask(undefined, 2)).toBeUndefined();
    expect(weightsFromMask(0x3, 6)).toBeUndefined();
  });
});

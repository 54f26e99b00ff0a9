// Writes test WAVs in every format the reader supports (independent of src/offline/wav.ts).
import type { SampleFormat } from '../../src/offline/wav.js';

const BITS: Record<SampleFormat, number> = { u8: 8, s16: 16, s24: 24, s32: 32, f32: 32, f64: 64 };

export function encodeWav(samples: Float32Array, rate: number, channels: number, format: SampleFormat, opts: { mask?: number } = {}): Buffer {
  const bits = BITS[format];
  const bps = bits / 8;
  const data = Buffer.alloc(samples.length * bps);
  samples.forEach((v, i) => {
    const c = Math.max(-1, Math.min(1 - 1 / 2 ** 23, v));
    switch (format) {
      case 'u8': data.writeUInt8(Math.round(c * 127) + 128, i); break;
      case 's16': data.writeInt16LE(Math.round(c * 32767), 2 * i); break;
      case 's24': data.writeIntLE(Math.round(c * 8388607), 3 * i, 3); break;
      case 's32': data.writeInt32LE(Math.round(c * 2147483647), 4 * i); break;
      case 'f32': data.writeFloatLE(v, 4 * i); break;
      case 'f64': data.writeDoubleLE(v, 8 * i); break;
    }
  });
  const float = format === 'f32' || format === 'f64';
  const extensible = opts.mask !== undefined;
  const fmt = Buffer.alloc(extensible ? 40 : 16);
  fmt.writeUInt16LE(extensible ? 0xfffe : float ? 3 : 1, 0);
  fmt.writeUInt16LE(channels, 2);
  fmt.writeUInt32LE(rate, 4);
  fmt.writeUInt32LE(rate * channels * bps, 8);
  fmt.writeUInt16LE(channels * bps, 12);
  fmt.writeUInt16LE(bits, 14);
  if (extensible) {
    fmt.writeUInt16LE(22, 16);
    fmt.writeUInt16LE(bits, 18);
    fmt.writeUInt32LE(opts.mask ?? 0, 20);
    fmt.writeUInt16LE(float ? 3 : 1, 24);
    Buffer.from('000000001000800000aa00389b71', 'hex').copy(fmt, 26);
  }
  const list = Buffer.concat([Buffer.from('junk'), Buffer.from([3, 0, 0, 0]), Buffer.from('abc'), Buffer.from([0])]); // odd-sized chunk + pad
  const head = Buffer.alloc(12);
  head.write('RIFF', 0);
  head.writeUInt32LE(4 + 8 + fmt.length + list.length + 8 + data.length, 4);
  head.write('WAVE', 8);
  const fmtHead = Buffer.alloc(8);
  fmtHead.write('fmt ', 0);
  fmtHead.writeUInt32LE(fmt.length, 4);
  const dataHead = Buffer.alloc(8);
  dataHead.write('data', 0);
  dataHead.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, fmtHead, fmt, list, dataHead, data]);
}

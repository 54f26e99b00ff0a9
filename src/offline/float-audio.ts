// Interleaved float audio in memory: read from a float32 WAV, measured (BS.1770 through
// the DSP addon) over a window. Used by `demo` and the end-to-end tests' ears.
import { dsp } from '../native/dsp.js';
import { float32WavHeader, parseWavHeader } from './wav.js';

export interface Measured {
  /** the momentary loudness at the window's end */
  momentary: number;
  /** the highest momentary loudness in the window */
  momentaryMax: number;
  shortTerm: number;
  integrated: number;
  truePeakDbtp: number;
  samplePeakDb: number;
}

/** The interleaved samples of a float32 WAV (a file pw-record may not have finished: sizes are not trusted). */
export function floatWavSamples(buf: Buffer, channels = 2): Float32Array {
  const h = parseWavHeader(buf);
  if (h.kind !== 'ok' || h.info.format !== 'f32') throw new Error(`not a float WAV (${JSON.stringify(h)})`);
  const end = h.info.dataBytes === undefined ? buf.length : Math.min(buf.length, h.info.dataOffset + h.info.dataBytes);
  const frame = 4 * channels;
  const bytes = buf.subarray(h.info.dataOffset, end - ((end - h.info.dataOffset) % frame));
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

/** A float32 WAV of interleaved samples. */
export function floatWav(samples: Float32Array, rate: number, channels: number): Buffer {
  const data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  return Buffer.concat([float32WavHeader(rate, channels, data.length), data]);
}

const db = (x: number) => (x > 0 ? 20 * Math.log10(x) : -200);

/** BS.1770 measurement of [from, to) seconds of interleaved samples. */
export function measureWindow(samples: Float32Array, rate: number, channels: number, from = 0, to = samples.length / channels / rate): Measured {
  const a = Math.max(0, Math.round(from * rate)) * channels;
  const b = Math.min(samples.length, Math.round(to * rate) * channels);
  const part = samples.slice(a, Math.max(a, b));
  const meter = new (dsp().Meter)(rate, channels);
  meter.push(new Uint8Array(part.buffer), 'f32');
  meter.finish();
  const r = meter.result();
  return { momentary: r.momentary, momentaryMax: r.momentaryMax, shortTerm: r.shortTerm, integrated: r.integrated, truePeakDbtp: db(r.truePeak), samplePeakDb: db(r.samplePeak) };
}

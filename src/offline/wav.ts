// WAV (RIFF/RF64) header codec. Pure: bytes in, description out, and the reverse.

export type SampleFormat = 'u8' | 's16' | 's24' | 's32' | 'f32' | 'f64';

export interface WavInfo {
  sampleRate: number;
  channels: number;
  format: SampleFormat;
  bytesPerFrame: number;
  channelMask?: number;
  /** bytes of sample data, or undefined when the writer did not know (a pipe) */
  dataBytes?: number;
  /** offset of the first sample byte */
  dataOffset: number;
}

export type HeaderResult = { kind: 'need-more' } | { kind: 'error'; reason: string } | { kind: 'ok'; info: WavInfo };

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;
export const MAX_CHANNELS = 8;

function sampleFormat(tag: number, bits: number): SampleFormat | undefined {
  if (tag === FORMAT_PCM) return ({ 8: 'u8', 16: 's16', 24: 's24', 32: 's32' } as const)[bits as 8];
  if (tag === FORMAT_FLOAT) return ({ 32: 'f32', 64: 'f64' } as const)[bits as 32];
  return undefined;
}

/** Parses the header at the start of `buf`; asks for more bytes until the data chunk starts. */
export function parseWavHeader(buf: Buffer): HeaderResult {
  if (buf.length < 12) return { kind: 'need-more' };
  const riff = buf.toString('latin1', 0, 4);
  if ((riff !== 'RIFF' && riff !== 'RF64') || buf.toString('latin1', 8, 12) !== 'WAVE')
    return { kind: 'error', reason: 'not a WAV file (no RIFF/WAVE header)' };
  let pos = 12;
  let fmt: Omit<WavInfo, 'dataBytes' | 'dataOffset'> | undefined;
  while (true) {
    if (buf.length < pos + 8) return { kind: 'need-more' };
    const id = buf.toString('latin1', pos, pos + 4);
    const size = buf.readUInt32LE(pos + 4);
    if (id === 'data') {
      if (!fmt) return { kind: 'error', reason: 'data chunk before the fmt chunk' };
      const unknown = size === 0 || size === 0xffffffff || riff === 'RF64';
      return { kind: 'ok', info: { ...fmt, dataOffset: pos + 8, dataBytes: unknown ? undefined : size - (size % fmt.bytesPerFrame) } };
    }
    if (size > 1 << 20) return { kind: 'error', reason: `implausible ${JSON.stringify(id)} chunk of ${size} bytes before the audio data` };
    if (buf.length < pos + 8 + size) return { kind: 'need-more' };
    if (id === 'fmt ') {
      if (size < 16) return { kind: 'error', reason: 'fmt chunk too short' };
      let tag = buf.readUInt16LE(pos + 8);
      const channels = buf.readUInt16LE(pos + 10);
      const sampleRate = buf.readUInt32LE(pos + 12);
      const blockAlign = buf.readUInt16LE(pos + 20);
      const bits = buf.readUInt16LE(pos + 22);
      let channelMask: number | undefined;
      if (tag === FORMAT_EXTENSIBLE) {
        if (size < 40) return { kind: 'error', reason: 'WAVE_FORMAT_EXTENSIBLE fmt chunk too short' };
        channelMask = buf.readUInt32LE(pos + 28);
        tag = buf.readUInt16LE(pos + 32);
      }
      const format = sampleFormat(tag, bits);
      if (!format) return { kind: 'error', reason: `unsupported sample format (format tag ${tag}, ${bits} bits); supported: PCM 8/16/24/32-bit, float 32/64-bit` };
      if (channels < 1 || channels > MAX_CHANNELS) return { kind: 'error', reason: `${channels} channels; supported: 1 to ${MAX_CHANNELS}` };
      if (sampleRate < 8000 || sampleRate > 384000) return { kind: 'error', reason: `sample rate ${sampleRate} Hz; supported: 8000 to 384000` };
      const bytesPerFrame = (bits / 8) * channels;
      if (blockAlign !== bytesPerFrame) return { kind: 'error', reason: `block align ${blockAlign} does not match ${channels} x ${bits}-bit samples` };
      fmt = { sampleRate, channels, format, bytesPerFrame, channelMask };
    }
    pos += 8 + size + (size & 1);
  }
}

const SPEAKER_LFE = 0x8;
const SURROUND_BITS = 0x10 | 0x20 | 0x200 | 0x400; // back L/R, side L/R

/** BS.1770 channel weights from a WAVE_FORMAT_EXTENSIBLE mask, or undefined for the defaults. */
export function weightsFromMask(mask: number | undefined, channels: number): number[] | undefined {
  if (!mask) return undefined;
  const weights: number[] = [];
  for (let bit = 0; bit < 32 && weights.length < channels; bit++) {
    const b = 2 ** bit;
    if (!(mask & b)) continue;
    weights.push(b === SPEAKER_LFE ? 0 : b & SURROUND_BITS ? 1.41 : 1);
  }
  return weights.length === channels ? weights : undefined;
}

/** Header of a float32 WAV; sizes patched later (dataBytes may be 0 at first). */
export function float32WavHeader(sampleRate: number, channels: number, dataBytes: number, channelMask?: number): Buffer {
  const extensible = channels > 2 || channelMask !== undefined;
  const fmtSize = extensible ? 40 : 16;
  const header = Buffer.alloc(12 + 8 + fmtSize + 8);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(Math.min(0xffffffff, 4 + 8 + fmtSize + 8 + dataBytes), 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(fmtSize, 16);
  header.writeUInt16LE(extensible ? FORMAT_EXTENSIBLE : FORMAT_FLOAT, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * channels * 4, 28);
  header.writeUInt16LE(channels * 4, 32);
  header.writeUInt16LE(32, 34);
  if (extensible) {
    header.writeUInt16LE(22, 36);
    header.writeUInt16LE(32, 38);
    header.writeUInt32LE(channelMask ?? 0, 40);
    // KSDATAFORMAT_SUBTYPE_IEEE_FLOAT
    Buffer.from('0300000000001000800000aa00389b71', 'hex').copy(header, 44);
  }
  const dataAt = 12 + 8 + fmtSize;
  header.write('data', dataAt, 'latin1');
  header.writeUInt32LE(Math.min(0xffffffff, dataBytes), dataAt + 4);
  return header;
}

// Opens an audio file as a stream of frame-aligned PCM chunks: WAV read directly,
// anything else decoded by ffmpeg (float32 WAV on a pipe). Never holds a file whole.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { HeadroomError } from '../errors.js';
import { parseWavHeader, type WavInfo } from './wav.js';
import { onPath, spawnStream } from '../orchestrator/process/exec.js';

export interface AudioSource {
  info: WavInfo;
  /** how the bytes are decoded: 'wav' or 'ffmpeg' */
  via: 'wav' | 'ffmpeg';
  chunks: AsyncGenerator<Buffer>;
}

const CHUNK = 1 << 20;

async function probe(path: string): Promise<Buffer> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new HeadroomError('file_not_found', `${path}: no such file`, { hint: 'Check the path' });
    if (code === 'EISDIR') throw new HeadroomError('file_unreadable', `${path}: is a directory`, { hint: 'Give an audio file' });
    throw new HeadroomError('file_unreadable', `${path}: cannot open (${code ?? String(err)})`, { hint: 'Check the file permissions', cause: err });
  }
  try {
    const buf = Buffer.alloc(12);
    const { bytesRead } = await fh.read(buf, 0, 12, 0);
    return buf.subarray(0, bytesRead);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new HeadroomError('file_unreadable', `${path}: cannot read (${code ?? String(err)})`, { hint: 'Give an audio file', cause: err });
  } finally {
    await fh.close();
  }
}

/** Splits a byte stream into header + frame-aligned data chunks. */
async function* wavChunks(path: string, bytes: AsyncIterable<Buffer>, onInfo: (info: WavInfo) => void): AsyncGenerator<Buffer> {
  let pending: Buffer = Buffer.alloc(0);
  let info: WavInfo | undefined;
  let left = Infinity;
  for await (const chunk of bytes) {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    if (!info) {
      const h = parseWavHeader(pending);
      if (h.kind === 'need-more') {
        if (pending.length > 2 << 20) throw new HeadroomError('bad_audio', `${path}: no audio data found in the first 2 MiB`, { hint: 'The file may be corrupt' });
        continue;
      }
      if (h.kind === 'error') throw new HeadroomError('bad_audio', `${path}: ${h.reason}`, { hint: 'Convert it to WAV, or install ffmpeg to decode other formats' });
      info = h.info;
      left = info.dataBytes ?? Infinity;
      onInfo(info);
      pending = pending.subarray(info.dataOffset);
    }
    const usable = Math.min(left, pending.length - (pending.length % info.bytesPerFrame));
    if (usable > 0) {
      yield pending.subarray(0, usable);
      left -= usable;
      pending = pending.subarray(usable);
    }
    if (left <= 0) return;
  }
  if (!info) throw new HeadroomError('bad_audio', `${path}: truncated WAV header`, { hint: 'The file may be corrupt' });
}

async function start(path: string, via: 'wav' | 'ffmpeg', bytes: AsyncIterable<Buffer>): Promise<AudioSource> {
  let info: WavInfo | undefined;
  const chunks = wavChunks(path, bytes, (i) => (info = i));
  // run to the first chunk so the header is known before the caller starts
  const first = await chunks.next();
  if (!info) throw new HeadroomError('bad_audio', `${path}: no audio data`, { hint: 'The file may be corrupt' });
  async function* all(): AsyncGenerator<Buffer> {
    if (!first.done) yield first.value;
    yield* chunks;
  }
  return { info, via, chunks: all() };
}

async function* ffmpegBytes(path: string, signal?: AbortSignal): AsyncGenerator<Buffer> {
  // "file:" keeps a name like "-x" or "pipe:3" from being read as an option or a protocol
  const proc = spawnStream(['ffmpeg', '-nostdin', '-v', 'error', '-i', `file:${path}`, '-map', '0:a:0', '-f', 'wav', '-c:a', 'pcm_f32le', '-rf64', 'never', 'pipe:1'], { signal });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 4096) stderr += d.toString();
  });
  try {
    for await (const chunk of proc.stdout as AsyncIterable<Buffer>) yield chunk;
  } finally {
    if (proc.exitCode === null) proc.kill();
  }
  const result = await proc;
  if (result.exitCode !== 0) {
    const why = stderr.trim().split('\n').slice(-1)[0] ?? `exit ${result.exitCode}`;
    throw new HeadroomError('unsupported_format', `${path}: ffmpeg could not decode it: ${why}`, { hint: 'Check that the file is an audio file' });
  }
}

/** Opens a file for streaming. Throws HeadroomError with a hint for every user-fixable problem. */
export async function openAudio(path: string, signal?: AbortSignal): Promise<AudioSource> {
  const head = await probe(path);
  const isWav = head.length >= 12 && ['RIFF', 'RF64'].includes(head.toString('latin1', 0, 4)) && head.toString('latin1', 8, 12) === 'WAVE';
  if (isWav) return start(path, 'wav', createReadStream(path, { highWaterMark: CHUNK, signal }));
  if (head.length === 0) throw new HeadroomError('bad_audio', `${path}: the file is empty`, { hint: 'Give an audio file' });
  if (!(await onPath('ffmpeg')))
    throw new HeadroomError('ffmpeg_missing', `${path}: not a WAV file, and decoding other formats needs ffmpeg`, { hint: 'Install it: sudo apt-get install ffmpeg (or convert the file to WAV)' });
  return start(path, 'ffmpeg', ffmpegBytes(path, signal));
}

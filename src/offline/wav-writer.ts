// Writes a float32 WAV atomically: a temp file beside the target, sizes patched at the
// end, fsync, rename. On failure nothing is left at the target path.
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { HeadroomError } from '../errors.js';
import { float32WavHeader } from './wav.js';

export class WavWriter {
  private fh?: FileHandle;
  private bytes = 0;
  private readonly tmp: string;

  constructor(
    private readonly target: string,
    private readonly sampleRate: number,
    private readonly channels: number,
    private readonly channelMask?: number,
  ) {
    this.tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  }

  async open(): Promise<void> {
    try {
      this.fh = await open(this.tmp, 'wx');
      await this.fh.write(float32WavHeader(this.sampleRate, this.channels, 0, this.channelMask));
    } catch (err) {
      await this.abort();
      throw new HeadroomError('output_failed', `${this.target}: cannot write (${(err as NodeJS.ErrnoException).code ?? String(err)})`, {
        hint: 'Check that the directory exists and is writable',
        cause: err,
      });
    }
  }

  async write(samples: Float32Array): Promise<void> {
    if (!this.fh) throw new Error('WavWriter: not open');
    await this.fh.write(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
    this.bytes += samples.byteLength;
  }

  async commit(): Promise<void> {
    if (!this.fh) throw new Error('WavWriter: not open');
    try {
      await this.fh.write(float32WavHeader(this.sampleRate, this.channels, this.bytes, this.channelMask), 0, undefined, 0);
      await this.fh.sync();
      await this.fh.close();
      this.fh = undefined;
      await rename(this.tmp, this.target);
    } catch (err) {
      await this.abort();
      throw new HeadroomError('output_failed', `${this.target}: cannot write (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
    }
  }

  /** Removes the partial file; safe to call twice. */
  async abort(): Promise<void> {
    await this.fh?.close().catch(() => undefined);
    this.fh = undefined;
    await unlink(this.tmp).catch(() => undefined);
  }
}

// Where `render` writes: WAV (float32) itself, any other format it knows through ffmpeg,
// chosen by the output's extension. An extension it does not know is refused before any
// work is done, naming the ones it knows.
import path from 'node:path';
import { rm } from 'node:fs/promises';
import { EXIT_USAGE, HeadroomError } from '../errors.js';
import { onPath, run } from '../orchestrator/process/exec.js';

/** ffmpeg's encoder arguments per extension (quality near transparent). */
const ENCODERS: Readonly<Record<string, readonly string[]>> = {
  '.flac': ['-c:a', 'flac'],
  '.mp3': ['-c:a', 'libmp3lame', '-q:a', '2'],
  '.ogg': ['-c:a', 'libvorbis', '-q:a', '6'],
  '.opus': ['-c:a', 'libopus', '-b:a', '160k'],
  '.m4a': ['-c:a', 'aac', '-b:a', '256k'],
};
export const OUTPUT_FORMATS = ['.wav', ...Object.keys(ENCODERS)];

export interface OutputPlan {
  /** the WAV the chain writes (the output itself, or a temporary file beside it) */
  wav: string;
  /** turns the WAV into the output, if it is not already it */
  finish(): Promise<void>;
  /** removes what a failed render left */
  abandon(): Promise<void>;
}

export async function planOutput(output: string): Promise<OutputPlan> {
  const ext = path.extname(output).toLowerCase();
  if (ext === '.wav') return { wav: output, finish: async () => undefined, abandon: async () => undefined };
  const encoder = ENCODERS[ext];
  if (!encoder)
    throw new HeadroomError('unsupported_format', `${output}: headroom cannot write ${ext ? `"${ext}" files` : 'a file without an extension'}`, {
      hint: `Name the output with one of: ${OUTPUT_FORMATS.join(' ')} (all but .wav through ffmpeg)`,
      exitCode: EXIT_USAGE,
    });
  if (!(await onPath('ffmpeg')))
    throw new HeadroomError('ffmpeg_missing', `${output}: writing ${ext} needs ffmpeg`, { hint: 'Install it (sudo apt-get install ffmpeg), or write a .wav' });
  const wav = path.join(path.dirname(output), `.${path.basename(output)}.${process.pid}.headroom.wav`);
  return {
    wav,
    async finish() {
      try {
        await run(['ffmpeg', '-nostdin', '-v', 'error', '-y', '-i', `file:${wav}`, ...encoder, `file:${output}`]);
      } catch (e) {
        await rm(output, { force: true });
        throw new HeadroomError('output_failed', `${output}: ffmpeg could not write it: ${(e as Error).message.split('\n')[0]}`, { hint: 'Write a .wav, or check that your ffmpeg has this encoder (ffmpeg -encoders)' });
      } finally {
        await rm(wav, { force: true });
      }
    },
    abandon: () => rm(wav, { force: true }),
  };
}

// `headroom analyze`: streams each file through the C loudness meter.
import { dsp } from '../native/dsp.js';
import { analyzeFields } from './report.js';
import type { AnalyzeFields } from '../wire/command-outputs.js';
import { weightsFromMask } from './wav.js';
import { openAudio } from './audio-source.js';

/** How far a job is: seconds of audio done, of how many (unknown for a decoded stream). */
export type OnProgress = (label: string, doneSeconds: number, totalSeconds?: number) => void;

/** The seconds of audio a source holds, when its header says. */
export const sourceSeconds = (info: { dataBytes?: number; bytesPerFrame: number; sampleRate: number }) =>
  info.dataBytes === undefined ? undefined : info.dataBytes / info.bytesPerFrame / info.sampleRate;

export async function analyzeFile(path: string, signal?: AbortSignal, onProgress?: OnProgress): Promise<AnalyzeFields> {
  const src = await openAudio(path, signal);
  const { info } = src;
  const meter = new (dsp().Meter)(info.sampleRate, info.channels, weightsFromMask(info.channelMask, info.channels));
  const total = sourceSeconds(info);
  let frames = 0;
  for await (const chunk of src.chunks) {
    meter.push(chunk, info.format);
    frames += chunk.length / info.bytesPerFrame;
    onProgress?.(path, frames / info.sampleRate, total);
  }
  meter.finish();
  return analyzeFields(path, info, frames, meter.result());
}

export async function analyzeFiles(paths: string[], signal?: AbortSignal, onProgress?: OnProgress): Promise<{ files: AnalyzeFields[] }> {
  const files: AnalyzeFields[] = [];
  for (const p of paths) files.push(await analyzeFile(p, signal, onProgress));
  return { files };
}

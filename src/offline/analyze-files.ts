// `headroom analyze`: streams each file through the C loudness meter.
import { dsp } from '../native/dsp.js';
import { analyzeFields, type AnalyzeFields } from './report.js';
import { weightsFromMask } from './wav.js';
import { openAudio } from './audio-source.js';

export async function analyzeFile(path: string, signal?: AbortSignal): Promise<AnalyzeFields> {
  const src = await openAudio(path, signal);
  const { info } = src;
  const meter = new (dsp().Meter)(info.sampleRate, info.channels, weightsFromMask(info.channelMask, info.channels));
  let frames = 0;
  for await (const chunk of src.chunks) {
    meter.push(chunk, info.format);
    frames += chunk.length / info.bytesPerFrame;
  }
  meter.finish();
  return analyzeFields(path, info, frames, meter.result());
}

export async function analyzeFiles(paths: string[], signal?: AbortSignal): Promise<{ files: AnalyzeFields[] }> {
  const files: AnalyzeFields[] = [];
  for (const p of paths) files.push(await analyzeFile(p, signal));
  return { files };
}

// `headroom render`: a file through the full bus chain with a profile's parameters,
// written time-aligned (the limiter's lookahead latency is compensated). By default the
// chain starts as a live bus that has settled on this programme: a measuring pre-pass
// finds the file's integrated loudness and the AGC starts at the gain that brings it to
// the target (within its limits; 0 dB when the file is below the silence gate). A cold
// start (AGC at 0 dB, as a freshly started engine) is kept on request.
import path from 'node:path';
import { HeadroomError } from '../errors.js';
import { dsp, type NativeChain } from '../native/dsp.js';
import { analyzeFields } from './report.js';
import { weightsFromMask } from './wav.js';
import { SETTINGS_BY_KEY, type SettingValue } from '../profile/schema.js';
import { openAudio } from './audio-source.js';
import { WavWriter } from './wav-writer.js';
import { planOutput } from './encoded-output.js';
import { sourceSeconds, type OnProgress } from './analyze-files.js';
import type { RenderResult } from '../wire/command-outputs.js';


function configure(chain: NativeChain, settings: Record<string, SettingValue>): void {
  for (const [key, value] of Object.entries(settings)) {
    const spec = SETTINGS_BY_KEY.get(key);
    if (spec?.type === 'number' && spec.dsp) chain.setParam(key, value as number);
  }
}

const round = (x: number) => Math.round(x * 100) / 100;

/** The gain a live AGC settles at on this programme: target - integrated loudness, within
 * its limits; 0 dB when the programme never passes the silence gate (the AGC holds then). */
export function settledGainDb(integratedLufs: number, settings: Readonly<Record<string, SettingValue>>): number {
  const n = (key: string) => Number(settings[key] ?? SETTINGS_BY_KEY.get(key)?.default);
  if (!Number.isFinite(integratedLufs) || integratedLufs < n('agc.silence_gate_lufs')) return 0;
  return Math.min(n('agc.max_gain_db'), Math.max(n('agc.min_gain_db'), n('agc.target_lufs') - integratedLufs));
}

/** The pre-pass: the file's integrated loudness, with the weights the chain will use. */
async function integratedLoudness(input: string, signal?: AbortSignal, onProgress?: OnProgress): Promise<number> {
  const src = await openAudio(input, signal);
  const { info } = src;
  const meter = new (dsp().Meter)(info.sampleRate, info.channels, weightsFromMask(info.channelMask, info.channels));
  const total = sourceSeconds(info);
  let frames = 0;
  for await (const chunk of src.chunks) {
    meter.push(chunk, info.format);
    frames += chunk.length / info.bytesPerFrame;
    onProgress?.('measuring', frames / info.sampleRate, total);
  }
  meter.finish();
  return meter.result().integrated;
}

export async function renderFile(input: string, output: string, settings: Record<string, SettingValue>, opts: { coldStart?: boolean; signal?: AbortSignal; onProgress?: OnProgress } = {}): Promise<RenderResult> {
  const { signal, onProgress } = opts;
  if (path.resolve(input) === path.resolve(output))
    throw new HeadroomError('output_failed', `${output}: would overwrite the input`, { hint: 'Choose another output path' });
  const plan = await planOutput(output);
  const initialGainDb = opts.coldStart ? 0 : round(settledGainDb(await integratedLoudness(input, signal, onProgress), settings));
  const src = await openAudio(input, signal);
  const { info } = src;
  const { Chain, Meter } = dsp();
  const weights = weightsFromMask(info.channelMask, info.channels);
  const chain = new Chain(info.sampleRate, info.channels, weights);
  configure(chain, settings);
  chain.setGain(initialGainDb);
  const inMeter = new Meter(info.sampleRate, info.channels, weights);
  const outMeter = new Meter(info.sampleRate, info.channels, weights);
  const writer = new WavWriter(plan.wav, info.sampleRate, info.channels, info.channelMask);
  await writer.open();
  let frames = 0;
  let skip = chain.stats().latencyFrames * info.channels; // output samples still owed to the latency
  const emit = async (out: Float32Array) => {
    const drop = Math.min(skip, out.length);
    skip -= drop;
    const body = out.subarray(drop);
    if (body.length === 0) return;
    outMeter.push(new Uint8Array(body.buffer, body.byteOffset, body.byteLength), 'f32');
    await writer.write(body);
  };
  try {
    for await (const chunk of src.chunks) {
      inMeter.push(chunk, info.format);
      frames += chunk.length / info.bytesPerFrame;
      onProgress?.('rendering', frames / info.sampleRate, sourceSeconds(info));
      await emit(chain.process(chunk, info.format));
    }
    // push the tail out of the lookahead with silence
    const tail = new Float32Array(chain.stats().latencyFrames * info.channels);
    await emit(chain.process(new Uint8Array(tail.buffer), 'f32'));
    await writer.commit();
  } catch (err) {
    await writer.abort();
    await plan.abandon();
    throw err;
  }
  await plan.finish();
  inMeter.finish();
  outMeter.finish();
  const stats = chain.stats();
  return {
    input: analyzeFields(input, info, frames, inMeter.result()),
    output: analyzeFields(output, info, frames, outMeter.result()),
    initialGainDb,
    gainDb: { min: round(stats.agcMinDb), max: round(stats.agcMaxDb) },
    limiterMaxReductionDb: round(stats.limiterMaxReductionDb),
  };
}

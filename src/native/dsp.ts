// The N-API addon built from native/filter-host/src/dsp: the same DSP as the live bus.
import { createRequire } from 'node:module';
import { HeadroomError } from '../errors.js';
import type { SampleFormat } from '../offline/wav.js';
import { DSP_ADDON } from '../package-paths.js';

export interface MeterResult {
  momentary: number;
  shortTerm: number;
  momentaryMax: number;
  shortTermMax: number;
  integrated: number;
  /** null when no block passed the gates */
  loudnessRange: number | null;
  /** linear */
  samplePeak: number;
  /** linear, max(true peak, sample peak) */
  truePeak: number;
}

export interface ChainStats {
  agcGainDb: number;
  agcMinDb: number;
  agcMaxDb: number;
  compressorMaxReductionDb: number;
  limiterMaxReductionDb: number;
  invalidBlocks: number;
  latencyFrames: number;
}

export interface NativeMeter {
  push(bytes: Uint8Array, format: SampleFormat): void;
  /** evaluates the true-peak interpolation over the last samples (end of a file) */
  finish(): void;
  result(): MeterResult;
}

export interface NativeChain {
  setParam(key: string, value: number): void;
  setBypass(on: boolean): void;
  /** the AGC's gain now (clamped to its limits) */
  setGain(db: number): void;
  process(bytes: Uint8Array, format: SampleFormat): Float32Array;
  stats(): ChainStats;
}

export interface DspAddon {
  Meter: new (rate: number, channels: number, weights?: number[]) => NativeMeter;
  Chain: new (rate: number, channels: number, weights?: number[]) => NativeChain;
  params(): { key: string; default: number; min: number; max: number; unit: string }[];
  loudnessFloor: number;
}

const ADDON = DSP_ADDON;

let cached: DspAddon | undefined;

export function dsp(): DspAddon {
  if (cached) return cached;
  try {
    cached = createRequire(import.meta.url)(ADDON) as DspAddon;
  } catch (err) {
    throw new HeadroomError('native_missing', `the DSP addon is not built (${ADDON})`, { hint: 'Run: npm run build:native', exitCode: 1, cause: err });
  }
  return cached;
}

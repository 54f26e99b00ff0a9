// Failed safe, apps play straight to the output: at what volume. What reached the speakers
// through the bus was the app's own volume turned by the AGC, less what the compressor and
// the limiter held back; direct, it gets that, a margin under it (quiet, never loud), and
// never more than 1. Pure.
import type { BusStages } from '../wire/filter-host-protocol.js';

/** How far under the bus's level direct playback stays. */
export const FAIL_SAFE_MARGIN_DB = 0.5;

/** The gain the bus gave its apps, less the margin; 0 dB less the margin when nothing is known. */
export function failSafeGainDb(last: BusStages | undefined): number {
  const bus = last ? last.agcGainDb - last.compressorReductionDb - last.limiterReductionDb : 0;
  return bus - FAIL_SAFE_MARGIN_DB;
}

/** The direct volume of a stream whose own volume is `volume`. */
export function failSafeVolume(volume: number, gainDb: number): number {
  return Math.min(1, volume * 10 ** (gainDb / 20));
}

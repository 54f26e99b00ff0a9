// Layer A's control law: apps levelled against each other. Each tick (10 Hz) every
// attached stream's own loudness (its tap reading with Layer A's own reduction added
// back) is compared with the others': a stream louder than the median of the other
// playing streams (or than the target, when it plays alone) by more than the threshold
// is turned down by the excess — fast down, slow up, at most the cap. A silent stream
// holds its reduction (no blast when it resumes). Pure.

/** Below this own momentary loudness a stream counts as silent: it holds, and is nobody's reference. */
export const LAYER_A_ACTIVE_LUFS = -60;
/** How fast a reduction grows (an ad is down within half a second) and shrinks. */
export const LAYER_A_CUT_DB_PER_S = 40;
export const LAYER_A_RELEASE_DB_PER_S = 3;
/** Ticks the tap's momentary (400 ms) and short-term (3 s) windows span, at 10 Hz. */
const M_TICKS = 4;
const S_TICKS = 30;

export interface LayerAParams {
  thresholdLu: number;
  maxReductionDb: number;
  targetLufs: number;
}

export interface LayerAInput {
  serial: number;
  /** the tap's reading, after every volume (LUFS; -200 when nothing was measured) */
  momentary: number;
  shortTerm: number;
  /** Layer A's reductions applied over the last ticks, newest last (dB, >= 0) */
  history: readonly number[];
  reductionDb: number;
}

/** The gain (dB) a meter window saw on average, in energy: 10·log10(mean(10^(-R/10))). */
function windowGainDb(history: readonly number[], ticks: number): number {
  const w = history.slice(-ticks);
  if (w.length === 0) return 0;
  return 10 * Math.log10(w.reduce((a, r) => a + 10 ** (-r / 10), 0) / w.length);
}

/** The stream's own loudness — momentary and short-term — each reading with the gain
 * Layer A applied over its window taken out in energy terms (exact for a steady app).
 * While the reduction moved by more than a dB inside the short-term window, a tick of
 * misalignment between the volume and the meter would swing that correction by many dB:
 * the short-term reading then does not count. */
export function ownLevels(s: LayerAInput): { momentary: number; shortTerm: number } {
  const momentary = s.momentary <= -199 ? -200 : s.momentary - windowGainDb(s.history, M_TICKS);
  const recent = s.history.slice(-S_TICKS);
  const moving = recent.length > 0 && Math.max(...recent) - Math.min(...recent) > 1;
  const shortTerm = s.shortTerm <= -199 || moving ? -200 : s.shortTerm - windowGainDb(s.history, S_TICKS);
  return { momentary, shortTerm };
}

/** How loud the app itself plays: the louder of its momentary and short-term loudness. */
export function ownLoudness(s: LayerAInput): number {
  const l = ownLevels(s);
  return Math.max(l.momentary, l.shortTerm);
}

function median(xs: number[]): number {
  const v = [...xs].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
}

/** One control step: the new reduction (dB) of every stream, by serial. */
export function stepLayerA(streams: readonly LayerAInput[], p: LayerAParams, dtS: number): Map<number, number> {
  // playing = sound in the last 400 ms: an app that just paused is nobody's reference,
  // even while its 3-second reading still remembers it
  const levels = new Map(streams.map((s) => {
    const l = ownLevels(s);
    return [s.serial, { playing: l.momentary >= LAYER_A_ACTIVE_LUFS, level: Math.max(l.momentary, l.shortTerm) }];
  }));
  const out = new Map<number, number>();
  for (const s of streams) {
    const { playing, level } = levels.get(s.serial) as { playing: boolean; level: number };
    if (!playing) {
      out.set(s.serial, s.reductionDb);
      continue;
    }
    const others = streams.filter((o) => o.serial !== s.serial && levels.get(o.serial)?.playing).map((o) => (levels.get(o.serial) as { level: number }).level);
    const reference = others.length > 0 ? median(others) : p.targetLufs;
    const want = Math.min(p.maxReductionDb, Math.max(0, level - reference - p.thresholdLu));
    const step = want > s.reductionDb ? Math.min(want - s.reductionDb, LAYER_A_CUT_DB_PER_S * dtS) : -Math.min(s.reductionDb - want, LAYER_A_RELEASE_DB_PER_S * dtS);
    out.set(s.serial, Math.min(p.maxReductionDb, Math.max(0, s.reductionDb + step)));
  }
  return out;
}

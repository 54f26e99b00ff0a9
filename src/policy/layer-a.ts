// Layer A's control law: every app in the bus is brought to the target loudness on its own,
// both ways — a loud app cut, a quiet one lifted, each within its cap — from its tap's
// readings with the gain Layer A gave it taken back out (the app's own loudness). Once a
// tick (10 Hz), per app: its state and its tap's reading in, its next gain and why out.
//
// - The level an app is judged by is its programme loudness: the gated mean of its own
//   momentary readings over the last 4 s (BS.1770's gating: blocks under the gate, and
//   blocks 10 LU under the rest — pauses between words — do not count). Until half a second
//   of sound has been heard, its momentary loudness stands in.
// - Gains rise slowly (3 dB/s) and fall fast (40 dB/s); a momentary reading more than the
//   threshold over the target (a loud start, a loud part) is cut at once, to the target.
// - A new app's start is guarded closer to the audio: the filter-host cuts a start more than
//   2 LU over the target within milliseconds, and lets a cut start that decays back up (its
//   onset guard); the law takes the guard's gain over.
// - Below the gate (silence, room noise, an app barely playing) the gain holds: nothing
//   quiet is ever lifted, and an app that resumes does not blast.
// - The bus AGC is aimed at the mix the apps make at the gains Layer A holds (busTargetLufs):
//   it then takes nothing from, and adds nothing to, an app Layer A levels — one
//   controller, not two that fight — and still cuts what Layer A has not caught yet.
// Pure.

/** Gains move towards what is wanted at these speeds, dB per second. */
export const LAYER_A_RISE_DB_PER_S = 3;
export const LAYER_A_FALL_DB_PER_S = 40;
/** A gain at rest within this of what is wanted stays (no hunting on a reading's noise). */
export const LAYER_A_DEADBAND_DB = 0.5;
/** A new app's start louder than the target by more than this is cut by the onset guard. */
export const GUARD_OVER_LU = 2;
/** Ticks (100 ms) of the tap's momentary window (400 ms), and of the programme window. */
const M_TICKS = 4;
export const PROGRAMME_TICKS = 40;
/** Blocks with sound the programme estimate needs (half a second of it). */
export const MIN_PROGRAMME_BLOCKS = 5;
/** Blocks this far under the absolute-gated mean do not count (BS.1770's relative gate). */
const RELATIVE_GATE_LU = 10;
/** Blocks with sound, and how close to what is wanted, for a gain to count as settled. */
const SETTLED_BLOCKS = 20;
const SETTLED_WITHIN_DB = 1;
/** After an onset cut, or any change of the onset guard's, the tap's momentary window (400 ms)
 * still holds audio from before it. */
export const ONSET_HOLD_TICKS = 4;
const NONE = -200;

/** Why an app has the gain it has. */
export type LayerAReason =
  | 'level' // levelled to the target
  | 'cap' // as far as the cap allows
  | 'onset' // a loud start or part, cut at once (or released by the guard as it decays)
  | 'quiet' // under the gate: held
  | 'remembered' // its gain from its last stream, not yet heard
  | 'new'; // not yet heard

export const LAYER_A_REASONS: readonly LayerAReason[] = ['level', 'cap', 'onset', 'quiet', 'remembered', 'new'];

export interface LayerAParams {
  targetLufs: number;
  /** most an app is lifted, dB >= 0 */
  maxBoostDb: number;
  /** most an app is cut, dB >= 0 */
  maxCutDb: number;
  /** under this own momentary loudness an app is not playing: its gain holds */
  gateLufs: number;
  /** a momentary reading this far over the target is cut at once */
  thresholdLu: number;
}

/** What Layer A knows of one app. */
export interface AppLevel {
  /** the gain it gives the app now (dB, + lifts, - cuts) */
  gainDb: number;
  /** gains over the last M_TICKS ticks, newest last: what the tap's momentary window saw */
  history: readonly number[];
  /** the app's own momentary loudness, one per tick, newest last (-200: none) */
  blocks: readonly number[];
  reason: LayerAReason;
  /** the gain it last held settled: what is remembered for the app's next stream */
  settledDb?: number;
  /** ticks left after an onset cut (or a change of the guard's) during which the readings,
   * which still hold audio from before it, are not trusted: the gain holds */
  holdTicks?: number;
}

/** A tap's reading: after every volume, Layer A's gain included (LUFS, -200: none). */
export interface TapReading {
  momentary: number;
  shortTerm: number;
}

/** A new app's state: at its remembered gain (within today's caps) or at 0 dB. */
export function newAppLevel(p: LayerAParams, rememberedDb?: number): AppLevel {
  if (rememberedDb === undefined || !Number.isFinite(rememberedDb)) return { gainDb: 0, history: [], blocks: [], reason: 'new' };
  const gainDb = clamp(rememberedDb, -p.maxCutDb, p.maxBoostDb);
  return { gainDb, history: [], blocks: [], reason: 'remembered', settledDb: gainDb };
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const energy = (lufs: number) => 10 ** (lufs / 10);
const level = (e: number) => 10 * Math.log10(e);

// The law runs for every app ten times a second for as long as the daemon runs: its helpers
// loop rather than build arrays (the daemon's young generation, and so its memory, is sized
// by what it allocates; a for-of builds an iterator's result objects until it is optimised).

/** xs with x appended, the newest `cap` kept: one new array. */
function appendCapped(xs: readonly number[], x: number, cap: number): number[] {
  const from = Math.max(0, xs.length + 1 - cap);
  const out = new Array<number>(xs.length + 1 - from);
  for (let i = from; i < xs.length; i++) out[i - from] = xs[i]!;
  out[out.length - 1] = x;
  return out;
}

/** The gain (dB) a meter window saw, in energy: 10·log10(mean(10^(g/10))) over its ticks. */
export function windowGainDb(history: readonly number[], ticks: number): number {
  const n = Math.min(ticks, history.length);
  if (n <= 0) return 0;
  let sum = 0;
  for (let i = history.length - n; i < history.length; i++) sum += energy(history[i]!);
  return level(sum / n);
}

/** The app's own momentary loudness: the tap's, with the gain over its window taken out
 * in energy terms (exact for a steady app). */
export function ownMomentary(s: AppLevel, r: TapReading): number {
  return r.momentary <= NONE + 1 ? NONE : r.momentary - windowGainDb(s.history, M_TICKS);
}

/** The app's programme loudness from its blocks, gated; undefined until enough sound. */
export function programmeLoudness(blocks: readonly number[], gateLufs: number): number | undefined {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < blocks.length; i++)
    if (blocks[i]! >= gateLufs) {
      n++;
      sum += energy(blocks[i]!);
    }
  if (n < MIN_PROGRAMME_BLOCKS) return undefined;
  const relative = level(sum / n) - RELATIVE_GATE_LU;
  let kept = 0;
  let keptSum = 0;
  for (let i = 0; i < blocks.length; i++)
    if (blocks[i]! >= gateLufs && blocks[i]! >= relative) {
      kept++;
      keptSum += energy(blocks[i]!);
    }
  return level(keptSum / kept);
}

/** The level the app is judged by: its programme loudness, else its latest own momentary. */
export function ownLevel(s: AppLevel, gateLufs: number): number {
  return programmeLoudness(s.blocks, gateLufs) ?? s.blocks.at(-1) ?? NONE;
}

/** One tick of one app: its next state. */
export function stepApp(s: AppLevel, r: TapReading, p: LayerAParams, dtS: number): AppLevel {
  const g = s.gainDb;
  const hold = s.holdTicks ?? 0;
  const own = hold > 0 ? NONE : ownMomentary(s, r);
  const blocks = appendCapped(s.blocks, own, PROGRAMME_TICKS);
  const next = (gainDb: number, reason: LayerAReason, settledDb = s.settledDb, holdTicks = 0): AppLevel =>
    ({ gainDb, history: appendCapped(s.history, gainDb, M_TICKS), blocks, reason, settledDb, ...(holdTicks > 0 ? { holdTicks } : {}) });
  if (hold > 0) return next(g, 'onset', s.settledDb, hold - 1);
  if (own < p.gateLufs) return next(g, s.reason === 'remembered' || s.reason === 'new' ? s.reason : 'quiet');

  const programme = programmeLoudness(blocks, p.gateLufs);
  const want = clamp(p.targetLufs - (programme ?? own), -p.maxCutDb, p.maxBoostDb);
  // a loud start or a loud part: down to the target now, not at the fall speed
  if (own + g > p.targetLufs + p.thresholdLu) return next(Math.max(-p.maxCutDb, p.targetLufs - own), 'onset', s.settledDb, ONSET_HOLD_TICKS);

  // a gain at rest starts to move past the deadband; once moving, it goes all the way
  const moving = s.history.length >= 2 && s.history.at(-1) !== s.history.at(-2);
  const band = moving ? 0 : LAYER_A_DEADBAND_DB;
  let gain = g;
  if (want > g + band) gain = Math.min(want, g + LAYER_A_RISE_DB_PER_S * dtS);
  else if (want < g - band) gain = Math.max(want, g - LAYER_A_FALL_DB_PER_S * dtS);
  gain = clamp(gain, -p.maxCutDb, p.maxBoostDb);
  const capped = (want >= p.maxBoostDb && gain >= p.maxBoostDb) || (want <= -p.maxCutDb && gain <= -p.maxCutDb);
  let heard = 0;
  for (let i = 0; i < blocks.length; i++) if (blocks[i]! >= p.gateLufs) heard++;
  const settled = programme !== undefined && heard >= SETTLED_BLOCKS && Math.abs(want - gain) <= SETTLED_WITHIN_DB;
  return next(gain, capped ? 'cap' : 'level', settled ? gain : s.settledDb);
}

/** The filter-host's onset guard moved the app's gain (to gainDb, from its own fast
 * readings: a loud start cut, a cut start that decays released, the release ended): the law
 * takes that gain as its own, and holds while its readings still hold the start. */
export function adoptGuardGain(s: AppLevel, gainDb: number): AppLevel {
  return { ...s, gainDb, reason: 'onset', holdTicks: ONSET_HOLD_TICKS };
}

/** The onset guard's levels for an app: a start over guardLufs (in its first 100 ms to 2 s)
 * is cut by the filter-host, first to 2 LU over aimLufs, then to aimLufs if it stays loud. */
export function onsetGuard(p: LayerAParams): { guardLufs: number; aimLufs: number } {
  return { guardLufs: p.targetLufs + GUARD_OVER_LU, aimLufs: p.targetLufs };
}

/** The AGC's target while Layer A levels every app in the bus: the loudness of the mix the
 * playing apps make, each at its gain but counted at most at the target (what has not been
 * cut yet is still the AGC's to cut). Undefined when no app has a programme yet. */
export function busTargetLufs(apps: readonly AppLevel[], p: LayerAParams): number | undefined {
  let sum = 0;
  for (const a of apps) {
    const programme = programmeLoudness(a.blocks, p.gateLufs);
    if (programme !== undefined) sum += energy(Math.min(programme + a.gainDb, p.targetLufs));
  }
  return sum > 0 ? level(sum) : undefined;
}

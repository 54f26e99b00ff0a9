import { describe, expect, it } from 'vitest';
import {
  adoptGuardGain, busTargetLufs, ONSET_HOLD_TICKS, LAYER_A_FALL_DB_PER_S, LAYER_A_RISE_DB_PER_S, newAppLevel, ownLevel, ownMomentary, programmeLoudness, stepApp,
  type AppLevel, type LayerAParams,
} from '../../src/policy/layer-a.js';

const p: LayerAParams = { targetLufs: -18, maxBoostDb: 15, maxCutDb: 20, gateLufs: -45, thresholdLu: 6 };
const TICK = 0.1;

/** An app playing its own loudness `own(t)` (LUFS, t in ticks) for n ticks; the tap hears it at the gain Layer A gave it. */
function play(own: (t: number) => number, ticks: number, params = p, from: AppLevel = newAppLevel(params)): AppLevel[] {
  const states: AppLevel[] = [];
  let s = from;
  for (let t = 0; t < ticks; t++) {
    // the tap's momentary window (4 ticks) sees the gains of those ticks, in energy
    const window = [...s.history.slice(-3), s.gainDb];
    const heard = own(t) <= -199 ? -200 : 10 * Math.log10(window.reduce((a, g) => a + 10 ** ((own(t) + g) / 10), 0) / window.length);
    s = stepApp(s, { momentary: heard, shortTerm: heard }, params, TICK);
    states.push(s);
  }
  return states;
}
const last = (xs: AppLevel[]) => xs.at(-1) as AppLevel;

describe('Layer A control law', () => {
  it('lifts a quiet app to the target within 10 s (-32 LUFS: +14 dB), at the rise speed', () => {
    const run = play(() => -32, 100);
    expect(last(run).gainDb).toBeCloseTo(14, 0);
    expect(last(run).reason).toBe('level');
    // never faster than the rise speed
    for (let i = 1; i < run.length; i++) expect(run[i]!.gainDb - run[i - 1]!.gainDb).toBeLessThanOrEqual(LAYER_A_RISE_DB_PER_S * TICK + 1e-9);
    expect(ownLevel(last(run), p.gateLufs)).toBeCloseTo(-32, 1);
  });

  it('cuts a loud app to the target at once (a loud start), and holds it there', () => {
    const run = play(() => -5, 30);
    expect(run[0]!.gainDb).toBeCloseTo(-13, 5);
    expect(run[0]!.reason).toBe('onset');
    expect(last(run).gainDb).toBeCloseTo(-13, 1);
    expect(last(run).reason).toBe('level');
  });

  it("takes the onset guard's gain as its own, a cut or a release, and holds while its window holds the start", () => {
    const cut = adoptGuardGain(newAppLevel(p), -15);
    expect(cut).toMatchObject({ gainDb: -15, reason: 'onset', holdTicks: ONSET_HOLD_TICKS });
    // the guard lets a start that decays back up: the law takes the higher gain too
    const released = adoptGuardGain(cut, -6.5);
    expect(released.gainDb).toBe(-6.5);
    // held (no reading trusted, no step) for the hold, then the law moves again
    const run = play(() => -30, ONSET_HOLD_TICKS + 3, p, released);
    for (const s of run.slice(0, ONSET_HOLD_TICKS)) expect(s).toMatchObject({ gainDb: -6.5, reason: 'onset' });
    expect(run.at(-1)!.reason).toBe('level');
    expect(run.at(-1)!.gainDb).toBeGreaterThan(-6.5);
  });

  it('falls at the fall speed when the app gets louder by less than the threshold', () => {
    const run = play((t) => (t < 60 ? -18 : -14), 62);
    expect(run[59]!.gainDb).toBe(0);
    // -14: within the threshold (6 LU) — no onset cut; the programme follows over the next ticks
    expect(run[60]!.reason).toBe('level');
    expect(run[60]!.gainDb).toBeGreaterThanOrEqual(-LAYER_A_FALL_DB_PER_S * TICK);
  });

  it('never lifts beyond the cap, never cuts beyond the cap', () => {
    const quiet = last(play(() => -40, 120));
    expect(quiet.gainDb).toBe(15);
    expect(quiet.reason).toBe('cap');
    const loud = last(play(() => 10, 30));
    expect(loud.gainDb).toBe(-20);
    expect(last(play(() => -40, 120, { ...p, maxBoostDb: 0 })).gainDb).toBe(0);
  });

  it('never lifts silence, room noise or an app barely playing (under the gate): the gain holds', () => {
    expect(last(play(() => -50, 100)).gainDb).toBe(0);
    expect(last(play(() => -200, 100)).gainDb).toBe(0);
    // a lifted voice that pauses keeps its gain (no jump when it resumes), and says why
    const voice = last(play(() => -30, 100));
    const paused = last(play(() => -200, 50, p, voice));
    expect(paused.gainDb).toBe(voice.gainDb);
    expect(paused.reason).toBe('quiet');
  });

  it('judges speech by its programme, not its pauses: a voice with gaps is not pumped', () => {
    // 0.8 s of -28 LUFS speech, 0.4 s of breath at -55, over and over
    const speech = (t: number) => (t % 12 < 8 ? -28 : -55);
    const run = play(speech, 150);
    expect(last(run).gainDb).toBeCloseTo(10, 0);
    // settled: the gain stays within 1 dB over the last 3 s
    const gains = run.slice(-30).map((s) => s.gainDb);
    expect(Math.max(...gains) - Math.min(...gains)).toBeLessThanOrEqual(1);
    expect(programmeLoudness(last(run).blocks, p.gateLufs)).toBeCloseTo(-28, 0);
  });

  it('takes its own gain out of the tap reading in energy terms', () => {
    // a steady -8 LUFS app at 0 dB for 3 of the 4 momentary ticks and -16 dB for one
    const tap = 10 * Math.log10((3 * 10 ** (-8 / 10) + 10 ** (-24 / 10)) / 4);
    const s: AppLevel = { gainDb: -16, history: [0, 0, 0, -16], blocks: [], reason: 'level' };
    expect(ownMomentary(s, { momentary: tap, shortTerm: -200 })).toBeCloseTo(-8, 5);
    expect(ownMomentary(s, { momentary: -200, shortTerm: -200 })).toBe(-200);
  });

  it('starts a known app at its remembered gain, within the caps, and remembers a settled gain', () => {
    expect(newAppLevel(p, -9)).toMatchObject({ gainDb: -9, reason: 'remembered' });
    expect(newAppLevel(p, 30).gainDb).toBe(15);
    expect(newAppLevel(p, Number.NaN)).toMatchObject({ gainDb: 0, reason: 'new' });
    expect(newAppLevel(p)).toMatchObject({ gainDb: 0, reason: 'new' });
    expect(newAppLevel(p).settledDb).toBeUndefined();
    // remembered -13 for an ad at -5: it starts right, no onset cut needed
    const ad = play(() => -5, 40, p, newAppLevel(p, -13));
    expect(ad.every((s) => s.reason !== 'onset')).toBe(true);
    expect(Math.abs(last(ad).gainDb + 13)).toBeLessThanOrEqual(0.5);
    // settled after 2 s of sound, not before
    const fresh = play(() => -30, 40);
    expect(fresh[10]!.settledDb).toBeUndefined();
    expect(last(play(() => -30, 100)).settledDb).toBeCloseTo(12, 0);
  });

  it('aims the bus AGC at the mix of the apps at their gains, each counted at most at the target', () => {
    const three = [-32, -14, -5].map((l) => last(play(() => l, 100)));
    // each at the target: the mix is 3 apps at -18 = -13.2 LUFS
    expect(busTargetLufs(three, p)).toBeCloseTo(-18 + 10 * Math.log10(3), 0);
    // an ad not yet cut counts at the target only: the AGC still cuts what is over
    const uncut: AppLevel = { ...last(play(() => -5, 10)), gainDb: 0 };
    expect(busTargetLufs([uncut], p)).toBeCloseTo(-18, 5);
    // a quiet app not yet lifted: the mix is where it is (the AGC lifts nothing Layer A lifts)
    const rising = play(() => -32, 20);
    expect(busTargetLufs([last(rising)], p)).toBeCloseTo(-32 + last(rising).gainDb, 0);
    expect(busTargetLufs([], p)).toBeUndefined();
    expect(busTargetLufs([newAppLevel(p)], p)).toBeUndefined();
  });
});

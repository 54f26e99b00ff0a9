// The demo's programme: three apps as a desktop hears them, over each other — a quiet
// spoken-word-like voice (a podcast) playing throughout, a loud ad cutting in over it, a
// notification ping — each its own stereo track of the same length, silent where the app
// is, and each in a band of its own (the voice under 1 kHz, the ad at 1.4–3.3 kHz, the ping
// at 4.8–7.2 kHz), so that each can be measured apart in one recording of the speakers.
// Generated, so nothing is downloaded; deterministic, so every run plays the same. Pure.
import { measureWindow } from './float-audio.js';

export const DEMO_RATE = 48000;

export interface DemoApp {
  name: string;
  /** what the app is, in words */
  role: string;
  /** [from, to) seconds where it plays */
  windows: [number, number][];
  /** [from, to) seconds where it is measured: where it plays after the warm-up */
  measured: [number, number][];
  /** the band [lo, hi) Hz its sound stays in */
  band: [number, number];
  /** where it starts after the warm-up (seconds), when it does: its first 1.5 s are its onset */
  onset?: number;
  /** interleaved stereo */
  samples: Float32Array;
}

/** When each app plays, in seconds of the programme after the warm-up (the voice plays
 * through it too: headroom has been running a while when the ad comes). */
export const DEMO_SCHEDULE = {
  warmup: 4,
  length: 15,
  voice: [[0, 15]] as [number, number][],
  ad: [[5, 10]] as [number, number][],
  ping: [[12, 12.6]] as [number, number][],
};

/** How long after an app starts its onset is measured (the momentary loudness's maximum). */
export const ONSET_S = 1.5;

/** Deterministic noise in [-1, 1]. */
function noise(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 31 - 1;
  };
}

const inWindows = (t: number, w: readonly [number, number][]) => w.some(([a, b]) => t >= a && t < b);

const smoothstep = (x: number) => (x <= 0 ? 0 : x >= 1 ? 1 : x * x * (3 - 2 * x));
/** In and out of a window over `ramp` s: a sound that starts or stops at once clicks out of its band. */
const fade = (t: number, [a, b]: [number, number], ramp: number) => smoothstep((t - a) / ramp) * smoothstep((b - t) / ramp);

function track(seconds: number, fn: (t: number) => number): Float32Array {
  const n = Math.round(seconds * DEMO_RATE);
  const s = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) s[2 * i] = s[2 * i + 1] = fn(i / DEMO_RATE);
  return s;
}

/** Scales a track so that its windows measure `lufs` integrated. */
function toLoudness(s: Float32Array, windows: readonly [number, number][], lufs: number): Float32Array {
  const parts = windows.map(([a, b]) => s.slice(Math.round(a * DEMO_RATE) * 2, Math.round(b * DEMO_RATE) * 2));
  const joined = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    joined.set(p, at);
    at += p.length;
  }
  const g = 10 ** ((lufs - measureWindow(joined, DEMO_RATE, 2).integrated) / 20);
  return s.map((x) => x * g);
}

/** A voice-like tone: a gliding 120–160 Hz fundamental with six falling harmonics (all under
 * 1 kHz), cut into syllables and words. The glide's phase is integrated and the cuts are
 * smooth: nothing of it leaves its band. */
function voice(t: number): number {
  const phase = 2 * Math.PI * (140 * t - (20 / (2 * Math.PI * 0.7)) * Math.cos(2 * Math.PI * 0.7 * t));
  let v = 0;
  for (let k = 1; k <= 6; k++) v += Math.sin(k * phase + k) / k;
  const syllable = Math.max(0, Math.sin(2 * Math.PI * 3.7 * t)) ** 2;
  // short pauses between phrases, faded over some 30 ms (a hard gate would click out of the band)
  const word = smoothstep((Math.sin(2 * Math.PI * 0.45 * t) + 0.6) / 0.1);
  return v * syllable * word;
}

export function demoProgramme(): DemoApp[] {
  const { length } = DEMO_SCHEDULE;
  const total = DEMO_SCHEDULE.warmup + length;
  const shift = (w: [number, number][]) => w.map(([a, b]) => [a + DEMO_SCHEDULE.warmup, b + DEMO_SCHEDULE.warmup] as [number, number]);
  // the voice also plays during the warm-up (headroom has been running a while when the ad comes)
  const voiceW: [number, number][] = [[0, DEMO_SCHEDULE.warmup + DEMO_SCHEDULE.voice[0]![1]]];
  const adW = shift(DEMO_SCHEDULE.ad);
  const pingW = shift(DEMO_SCHEDULE.ping);
  // the ad: a chord and a band of 30 partials with random phases, pulsing, all in 1.5–3 kHz
  const rnd = noise(7);
  const partials = Array.from({ length: 30 }, () => ({ f: 1500 + 750 * (rnd() + 1), p: Math.PI * rnd() }));
  const v = track(total, (t) => (inWindows(t, voiceW) ? voice(t) * fade(t, voiceW[0]!, 0.05) : 0));
  const ad = track(total, (t) => {
    if (!inWindows(t, adW)) return 0;
    const chord = [1600, 2000, 2400].reduce((a, f) => a + Math.sin(2 * Math.PI * f * t), 0) / 3;
    const band = partials.reduce((a, { f, p }) => a + Math.sin(2 * Math.PI * f * t + p), 0) / 10;
    // a 10 ms attack: as sudden as an ad is, without a click out of its band
    return (0.6 * chord + 0.4 * band) * (0.7 + 0.3 * Math.sin(2 * Math.PI * 8 * t)) * fade(t, adW[0]!, 0.01);
  });
  const ping = track(total, (t) => {
    const w = pingW.find(([a, b]) => t >= a && t < b);
    if (!w) return 0;
    const dt = t - w[0];
    return Math.exp(-dt / 0.18) * fade(t, w, 0.004) * (Math.sin(2 * Math.PI * 5280 * t) + 0.5 * Math.sin(2 * Math.PI * 6600 * t));
  });
  const w = DEMO_SCHEDULE.warmup;
  const after = (ws: [number, number][]) => ws.map(([a, b]) => [Math.max(a, w), b] as [number, number]).filter(([a, b]) => b > a);
  return [
    { name: 'Podcast', role: 'a quiet spoken-word podcast', windows: voiceW, measured: after(voiceW), band: [60, 1100], samples: toLoudness(v, voiceW, -30) },
    { name: 'AdBlaster', role: 'a loud ad cutting in', windows: adW, measured: adW, band: [1400, 3300], onset: adW[0]![0], samples: toLoudness(ad, adW, -9) },
    { name: 'Chat', role: 'a notification ping', windows: pingW, measured: pingW, band: [4800, 7200], onset: pingW[0]![0], samples: toLoudness(ping, pingW, -10) },
  ];
}

// The demo's programme: three apps as a desktop hears them — a quiet spoken-word-like
// voice (a video), a loud ad-like burst while the video waits, a short notification ping —
// each its own stereo track of the same length, silent where the app is. Generated, so
// nothing is downloaded; deterministic, so every run plays the same. Pure.
import { measureWindow } from './float-audio.js';

export const DEMO_RATE = 48000;

export interface DemoApp {
  name: string;
  /** what the app is, in words */
  role: string;
  /** [from, to) seconds where it plays */
  windows: [number, number][];
  /** [from, to) seconds after the warm-up where it is measured: where it plays, less where a
   * louder app plays over it (the ping rings over the voice: the voice is measured around it) */
  measured: [number, number][];
  /** interleaved stereo */
  samples: Float32Array;
}

/** When each app plays, in seconds of the programme; the voice comes back after the ad. */
export const DEMO_SCHEDULE = {
  warmup: 4,
  length: 15,
  voice: [[0, 8], [11, 15]] as [number, number][],
  ad: [[8, 11]] as [number, number][],
  ping: [[13, 13.6]] as [number, number][],
};

/** Deterministic noise in [-1, 1]. */
function noise(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 31 - 1;
  };
}

const inWindows = (t: number, w: readonly [number, number][]) => w.some(([a, b]) => t >= a && t < b);

/** The parts of `w` after `from` that no window of `others` covers. */
export function alone(w: readonly [number, number][], others: readonly [number, number][], from: number): [number, number][] {
  let parts: [number, number][] = w.map(([a, b]) => [Math.max(a, from), b] as [number, number]).filter(([a, b]) => b > a);
  for (const [oa, ob] of others)
    parts = parts.flatMap(([a, b]): [number, number][] => (ob <= a || oa >= b ? [[a, b]] : ([[a, oa], [ob, b]] as [number, number][]).filter(([x, y]) => y > x)));
  return parts;
}

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

/** A voice-like tone: a gliding 120–160 Hz fundamental with falling harmonics, cut into syllables and words. */
function voice(t: number): number {
  const f0 = 140 + 20 * Math.sin(2 * Math.PI * 0.7 * t);
  let v = 0;
  for (let k = 1; k <= 12; k++) v += Math.sin(2 * Math.PI * k * f0 * t + k) / k;
  const syllable = Math.max(0, Math.sin(2 * Math.PI * 3.7 * t)) ** 2;
  const word = Math.sin(2 * Math.PI * 0.45 * t) > -0.6 ? 1 : 0; // short pauses between phrases
  return v * syllable * word;
}

export function demoProgramme(): DemoApp[] {
  const { length } = DEMO_SCHEDULE;
  const total = DEMO_SCHEDULE.warmup + length;
  const shift = (w: [number, number][]) => w.map(([a, b]) => [a + DEMO_SCHEDULE.warmup, b + DEMO_SCHEDULE.warmup] as [number, number]);
  // the voice also plays during the warm-up (headroom has been running a while when the ad comes)
  const voiceW: [number, number][] = [[0, DEMO_SCHEDULE.warmup], ...shift(DEMO_SCHEDULE.voice)];
  const adW = shift(DEMO_SCHEDULE.ad);
  const pingW = shift(DEMO_SCHEDULE.ping);
  const rnd = noise(7);
  const v = track(total, (t) => (inWindows(t, voiceW) ? voice(t) : 0));
  const ad = track(total, (t) => {
    if (!inWindows(t, adW)) return 0;
    const chord = [220, 277.2, 329.6, 440].reduce((a, f) => a + Math.sin(2 * Math.PI * f * t), 0) / 4;
    return 0.6 * chord + 0.4 * rnd() * (0.7 + 0.3 * Math.sin(2 * Math.PI * 8 * t));
  });
  const ping = track(total, (t) => {
    const w = pingW.find(([a, b]) => t >= a && t < b);
    if (!w) return 0;
    const dt = t - w[0];
    return Math.exp(-dt / 0.18) * (Math.sin(2 * Math.PI * 1320 * t) + 0.5 * Math.sin(2 * Math.PI * 2640 * t));
  });
  const w = DEMO_SCHEDULE.warmup;
  return [
    { name: 'Podcast', role: 'a quiet spoken-word video', windows: voiceW, measured: alone(voiceW, [...adW, ...pingW], w), samples: toLoudness(v, voiceW, -30) },
    { name: 'AdBlaster', role: 'a loud ad', windows: adW, measured: alone(adW, pingW, w), samples: toLoudness(ad, adW, -9) },
    { name: 'Chat', role: 'a notification ping', windows: pingW, measured: alone(pingW, adW, w), samples: toLoudness(ping, pingW, -10) },
  ];
}

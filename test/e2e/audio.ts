// Apps, ears and measurements for the end-to-end tests: pw-play as an app (or a real
// PulseAudio / ALSA client: paplay, mpv, aplay), pw-record on the speakers' monitor, WAV
// files measured with the DSP addon's BS.1770 meter.
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { floatWavSamples, measureWindow, type Measured } from '../../src/offline/float-audio.js';
import { dumpGraph, nodeByName, type PipewireObject, type PrivatePipewire } from '../../src/orchestrator/sandbox/private-pipewire.js';
import { poll } from '../../src/orchestrator/process/poll.js';
import { encodeWav } from '../helpers/wav-encode.js';

export const RATE = 48000;

/** Writes a stereo float WAV from per-sample values (seconds -> sample value, same on both channels unless fn returns a pair). */
export function writeSignal(file: string, seconds: number, fn: (t: number, i: number) => number | [number, number]): string {
  const n = Math.round(seconds * RATE);
  const s = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const v = fn(i / RATE, i);
    const [l, r] = Array.isArray(v) ? v : [v, v];
    s[2 * i] = l;
    s[2 * i + 1] = r;
  }
  writeFileSync(file, encodeWav(s, RATE, 2, 'f32'));
  return file;
}

export const sine = (dbfs: number, freq = 1000) => (t: number) => 10 ** (dbfs / 20) * Math.sin(2 * Math.PI * freq * t);

/** RMS in dBFS of consecutive `block` s blocks of a channel, from..to s. */
export function blockRmsDb(samples: Float32Array, c: 0 | 1, from: number, to: number, block = 0.1): number[] {
  const out: number[] = [];
  for (let t = from; t + block <= to; t += block) out.push(rmsDb(samples, c, Math.round(t * RATE), Math.round((t + block) * RATE)));
  return out;
}

export interface App {
  name: string;
  proc: ReturnType<typeof execa>;
  /** The app's node in the graph, once it has appeared. */
  node(): Promise<PipewireObject>;
}

/** Plays a file like an application would: its own application.name and a unique role
 * (so WirePlumber's restore-stream never mixes two test apps up). */
export function play(pw: PrivatePipewire, file: string, opts: { name: string; target?: string; latency?: string }): App {
  const argv = ['--properties', `{ application.name = "${opts.name}" node.name = "${opts.name}" }`, '--media-role', `role-${opts.name}`];
  if (opts.target) argv.push('--target', opts.target);
  // as games and voice calls ask for theirs: PIPEWIRE_LATENCY=256/48000
  const env = opts.latency ? { ...pw.env, PIPEWIRE_LATENCY: opts.latency } : pw.env;
  return appByName(pw, opts.name, execa('pw-play', [...argv, file], { env, reject: false }));
}

function appByName(pw: PrivatePipewire, name: string, proc: ReturnType<typeof execa>): App {
  const node = () =>
    poll(`the ${name} stream`, async () => (await dumpGraph(pw)).find((o) => o.type === 'PipeWire:Interface:Node' && o.info?.props?.['application.name'] === name), 5000);
  return { name, proc, node };
}

/** Desktop apps as they reach PipeWire: PulseAudio's API through pipewire-pulse (paplay,
 * mpv), ALSA's through pipewire-alsa (aplay). */
export type RealClient = 'paplay' | 'mpv' | 'aplay';

/** Plays a file with a real client, under its own application.name and a unique role like
 * play() (the private PipeWire must run pipewire-pulse for paplay and mpv). */
export function playWith(pw: PrivatePipewire, client: RealClient, file: string, name: string): App {
  const role = `role-${name}`;
  const argv: Record<RealClient, string[]> = {
    paplay: ['paplay', `--client-name=${name}`, `--property=media.role=${role}`, file],
    // warnings only (an underrun is one), no status line
    mpv: ['mpv', '--no-config', '--no-video', '--msg-level=all=warn', '--ao=pulse', `--audio-client-name=${name}`, file],
    aplay: ['aplay', '-q', '-D', 'pipewire', file],
  };
  // mpv sets no role of its own: libpulse adds PULSE_PROP's; the ALSA plugin takes PIPEWIRE_PROPS
  const env: Record<RealClient, NodeJS.ProcessEnv> = {
    paplay: pw.env,
    mpv: { ...pw.env, PULSE_PROP: `media.role=${role}` },
    aplay: { ...pw.env, PIPEWIRE_PROPS: `{ application.name = "${name}" media.role = "${role}" }` },
  };
  const [cmd, ...args] = argv[client] as [string, ...string[]];
  return appByName(pw, name, execa(cmd, args, { env: env[client], reject: false }));
}

export interface Recording {
  file: string;
  stop(): Promise<Float32Array>;
}

/** Records what reaches the speakers (their monitor), as float. */
export async function recordSpeakers(pw: PrivatePipewire, dir: string, name = 'speakers.wav', sink = pw.speakers, passive = false): Promise<Recording> {
  const file = path.join(dir, name);
  // passive: the recording alone does not start the graph (the first sound then starts it)
  const proc = execa('pw-record', ['--target', sink, '-P', `{ stream.capture.sink = true node.name = "test-ears" node.passive = ${passive} }`, '--format', 'f32', '--rate', String(RATE), '--channels', '2', file], {
    env: pw.env,
    reject: false,
  });
  await poll(`pw-record linked to ${sink}`, async () => {
    const g = await dumpGraph(pw);
    const ears = g.find((o) => o.type === 'PipeWire:Interface:Node' && o.info?.props?.['node.name'] === 'test-ears');
    return ears && g.some((o) => o.type === 'PipeWire:Interface:Link' && (o.info as { 'input-node-id'?: number } | null)?.['input-node-id'] === ears.id);
  });
  return {
    file,
    async stop() {
      proc.kill('SIGINT');
      await proc;
      return readWavFloat(file);
    },
  };
}

/** Interleaved stereo float samples of a float WAV. */
export function readWavFloat(file: string): Float32Array {
  return floatWavSamples(readFileSync(file));
}

/** BS.1770 measurement of [from, to) seconds of interleaved stereo. */
export const measure = (samples: Float32Array, from = 0, to = samples.length / 2 / RATE): Measured => measureWindow(samples, RATE, 2, from, to);

/** Largest |sample| in [from, to) seconds, in dBFS. */
export function peakDb(samples: Float32Array, from: number, to: number, channel?: 0 | 1): number {
  let m = 0;
  const a = Math.max(0, Math.round(from * RATE)), b = Math.min(samples.length / 2, Math.round(to * RATE));
  for (let i = a; i < b; i++)
    for (const c of channel === undefined ? [0, 1] : [channel]) m = Math.max(m, Math.abs(samples[2 * i + c] ?? 0));
  return m > 0 ? 20 * Math.log10(m) : -200;
}

/** Index (in frames) of the first sample of channel c whose |x| exceeds level, at or after start. */
export function onset(samples: Float32Array, c: 0 | 1, level: number, start = 0): number {
  for (let i = start; i < samples.length / 2; i++) if (Math.abs(samples[2 * i + c] ?? 0) > level) return i;
  return -1;
}

/** Ports of a node by direction, keyed by audio.channel. */
export function ports(graph: PipewireObject[], nodeId: number, direction: 'in' | 'out', namePrefix = ''): Map<string, number> {
  const m = new Map<string, number>();
  for (const o of graph) {
    const p = o.info?.props;
    if (o.type !== 'PipeWire:Interface:Port' || p?.['node.id'] !== nodeId || (o.info as { direction?: string }).direction !== (direction === 'in' ? 'input' : 'output')) continue;
    if (p['port.monitor'] === true || !String(p['port.name'] ?? '').startsWith(namePrefix)) continue;
    m.set(String(p['audio.channel']), o.id);
  }
  return m;
}

export function links(graph: PipewireObject[]): { id: number; out: number; in: number; outPort: number; inPort: number }[] {
  return graph
    .filter((o) => o.type === 'PipeWire:Interface:Link' && o.info)
    .map((o) => {
      const i = o.info as unknown as Record<string, number>;
      return { id: o.id, out: i['output-node-id'] ?? -1, in: i['input-node-id'] ?? -1, outPort: i['output-port-id'] ?? -1, inPort: i['input-port-id'] ?? -1 };
    });
}

/** Prints a measured value when HEADROOM_TEST_REPORT=1 (numbers for release notes). */
export function report(label: string, value: unknown): void {
  if (process.env.HEADROOM_TEST_REPORT === '1') console.log(`[measured] ${label}: ${JSON.stringify(value)}`);
}

/** Re-links an app: its left channel through the bus, its right channel straight to the
 * speakers — one recording then holds both paths, sample-aligned. */
export async function splitLeftBusRightDirect(pw: PrivatePipewire, nodeId: number): Promise<void> {
  let g = await dumpGraph(pw);
  await poll('the app linked', async () => links((g = await dumpGraph(pw))).some((l) => l.out === nodeId));
  const sink = nodeByName(g, 'headroom-processed');
  const speakers = nodeByName(g, pw.speakers);
  const appOut = ports(g, nodeId, 'out');
  for (const l of links(g).filter((x) => x.out === nodeId)) await pw.tool(['pw-link', '-d', String(l.id)]);
  await pw.tool(['pw-link', String(appOut.get('FL')), String(ports(g, sink!.id, 'in').get('FL'))]);
  await pw.tool(['pw-link', String(appOut.get('FR')), String(ports(g, speakers!.id, 'in').get('FR'))]);
}

/** Index of the last frame of channel c whose |x| exceeds level. */
export function lastAbove(samples: Float32Array, c: 0 | 1, level: number): number {
  for (let i = samples.length / 2 - 1; i >= 0; i--) if (Math.abs(samples[2 * i + c] ?? 0) > level) return i;
  return -1;
}

/** Longest run of near-silent frames of channel c in [from, to): a dropout in a sine. */
export function longestGap(samples: Float32Array, c: 0 | 1, from: number, to: number): number {
  return longestGapAt(samples, c, from, to).frames;
}

/** The longest dropout and the frame it starts at (-1 when there is none). */
export function longestGapAt(samples: Float32Array, c: 0 | 1, from: number, to: number): { frames: number; at: number } {
  let best = { frames: 0, at: -1 }, run = 0;
  for (let i = Math.max(0, from); i < Math.min(to, samples.length / 2); i++) {
    run = Math.abs(samples[2 * i + c] ?? 0) < 1e-3 ? run + 1 : 0;
    if (run > best.frames) best = { frames: run, at: i - run + 1 };
  }
  return best;
}

/** A dropout in a sine: its first frame and its length. */
export type Gap = [number, number];

/** The runs of at least 48 near-silent frames of channel c in [from, to) that ended there (a
 * sine at a few hundred Hz is near zero for a few frames only). */
export function gaps(samples: Float32Array, c: 0 | 1, from: number, to: number): Gap[] {
  const found: Gap[] = [];
  let run = 0;
  for (let i = Math.max(0, from); i < Math.min(to, samples.length / 2); i++) {
    if (Math.abs(samples[2 * i + c] ?? 0) < 1e-3) run++;
    else {
      if (run >= 48) found.push([i - run, run]);
      run = 0;
    }
  }
  return found;
}

/** The frame where the first gap of channel c at or after from ends; from itself when there is none. */
export function gapEnd(samples: Float32Array, c: 0 | 1, from: number): number {
  const first = gaps(samples, c, from, samples.length / 2)[0];
  return first ? first[0] + first[1] : from;
}

/** RMS level in dBFS of channel c over [from, to) frames. */
export function rmsDb(samples: Float32Array, c: 0 | 1, from: number, to: number): number {
  let e = 0, n = 0;
  for (let i = Math.max(0, from); i < Math.min(to, samples.length / 2); i++, n++) e += (samples[2 * i + c] ?? 0) ** 2;
  return n > 0 && e > 0 ? 10 * Math.log10(e / n) : -200;
}

/** The amplitude of a tone in channel 0, block by block (Hann-windowed DFT at its frequency:
 * other apps' tones a few hundred Hz away do not count), as dBFS per `block` s from `from` s. */
export function toneBlocksDb(samples: Float32Array, freq: number, from: number, to: number, block = 0.02): number[] {
  const n = Math.round(block * RATE);
  const w = Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1)));
  const wsum = w.reduce((a, x) => a + x, 0);
  const out: number[] = [];
  for (let a = Math.round(from * RATE); a + n <= Math.min(Math.round(to * RATE), samples.length / 2); a += n) {
    let re = 0, im = 0;
    for (let i = 0; i < n; i++) {
      const x = (samples[2 * (a + i)] ?? 0) * (w[i] as number);
      const ph = (2 * Math.PI * freq * (a + i)) / RATE;
      re += x * Math.cos(ph);
      im -= x * Math.sin(ph);
    }
    const amp = (2 * Math.hypot(re, im)) / wsum;
    out.push(amp > 0 ? 20 * Math.log10(amp) : -200);
  }
  return out;
}

/** The mean level in energy of some dB values. */
export const energyMeanDb = (dbs: readonly number[]) => 10 * Math.log10(dbs.reduce((a, d) => a + 10 ** (d / 10), 0) / dbs.length);

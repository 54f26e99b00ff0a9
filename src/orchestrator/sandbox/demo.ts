// `headroom demo`: the main job on a machine with no desktop session. A private PipeWire +
// WirePlumber (nothing of a real session touched), the demo programme played by three
// apps straight to the speakers, then again with the real supervisor running, the
// speakers recorded both times; per app (its band of the recording) its integrated
// loudness at the speakers and the loudness of its start, the spread between apps, the
// loudest start, and the highest true peak. Everything started is stopped, also
// when the run is interrupted.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HeadroomError } from '../../errors.js';
import { bandPass } from '../../offline/band-pass.js';
import { demoProgramme, DEMO_RATE, DEMO_SCHEDULE, ONSET_S, type DemoApp } from '../../offline/demo-programme.js';
import { floatWav, floatWavSamples, measureWindow } from '../../offline/float-audio.js';
import { request } from '../control/control-client.js';
import { spawnDaemon } from '../process/exec.js';
import { poll } from '../process/poll.js';
import { dumpGraph, startPrivatePipewire, type PrivatePipewire } from './private-pipewire.js';
import { CLI_BIN } from '../../package-paths.js';
import type { DemoPhase, DemoResult } from '../../wire/command-outputs.js';




const BIN = CLI_BIN;
const round = (v: number) => Math.round(v * 10) / 10;
const value = (v: number) => (v <= -199 ? null : round(v));

type Proc = ReturnType<typeof spawnDaemon>;

export async function runDemo(o: { say: (line: string) => void; signal: AbortSignal }): Promise<DemoResult> {
  const t0 = Date.now();
  const running: Proc[] = [];
  let pw: PrivatePipewire | undefined;
  const interrupted = () => {
    if (o.signal.aborted) throw new HeadroomError('command_failed', 'demo interrupted; everything it started is stopped', { exitCode: 130 });
  };
  const wait = async (ms: number) => {
    await sleep(ms, undefined, { signal: o.signal }).catch(() => undefined);
    interrupted();
  };
  try {
    o.say('starting a private PipeWire + WirePlumber (your own session is not touched)…');
    pw = await startPrivatePipewire();
    const apps = demoProgramme();
    for (const a of apps) await writeFile(path.join(pw.dir, `${a.name}.wav`), floatWav(a.samples, DEMO_RATE, 2));
    interrupted();

    o.say(`before: ${apps.map((a) => `${a.name} (${a.role})`).join(', ')}, straight to the speakers…`);
    const before = await playAndRecord(pw, apps, 'before', running, wait, o.signal);

    o.say('after: the same apps, with headroom running…');
    const log = path.join(pw.dir, 'headroom.log');
    const daemon = spawnDaemon([process.execPath, BIN, 'start', '--log-level', 'warn'], log, { env: { ...pw.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true' } });
    running.push(daemon);
    const env = pw.env;
    await poll('headroom running', async () => ((await request('status', {}, env)) as { filterHost: { state: string } }).filterHost.state === 'running', 15_000, 100).catch(async (e: Error) => {
      throw new HeadroomError('command_failed', `headroom did not start in the demo: ${e.message}: ${(await readFile(log, 'utf8').catch(() => '')).trim()}`, { exitCode: 1 });
    });
    const after = await playAndRecord(pw, apps, 'after', running, wait, o.signal);
    await request('shutdown', {}, env);
    await daemon;
    return { before: measurePhase(apps, before), after: measurePhase(apps, after), seconds: Math.round((Date.now() - t0) / 1000) };
  } finally {
    for (const p of running.reverse()) {
      p.kill('SIGTERM');
      await p;
    }
    await pw?.stop();
  }
}

/** Plays every app at once (each its own stream and name) and records the speakers. */
async function playAndRecord(pw: PrivatePipewire, apps: DemoApp[], phase: string, running: Proc[], wait: (ms: number) => Promise<void>, signal: AbortSignal): Promise<{ samples: Float32Array }> {
  const file = path.join(pw.dir, `${phase}.wav`);
  const ears = spawnDaemon(['pw-record', '--target', pw.speakers, '-P', '{ stream.capture.sink = true node.name = "demo-ears" }', '--format', 'f32', '--rate', String(DEMO_RATE), '--channels', '2', file], path.join(pw.dir, 'pw-record.log'), { env: pw.env });
  running.push(ears);
  await poll('the recorder on the speakers', async () => {
    const g = await dumpGraph(pw);
    const node = g.find((x) => x.type === 'PipeWire:Interface:Node' && x.info?.props?.['node.name'] === 'demo-ears');
    return node !== undefined && g.some((x) => x.type === 'PipeWire:Interface:Link' && (x.info as { 'input-node-id'?: number } | null)?.['input-node-id'] === node.id);
  }, 10_000);
  const players = apps.map((a) =>
    spawnDaemon(['pw-play', '--properties', `{ application.name = "${a.name}" node.name = "demo-${a.name}" }`, '--media-role', `demo-${a.name}`, path.join(pw.dir, `${a.name}.wav`)], path.join(pw.dir, 'pw-play.log'), { env: pw.env }));
  running.push(...players);
  const end = () => players.forEach((p) => p.kill('SIGTERM'));
  const limit = setTimeout(end, (DEMO_SCHEDULE.warmup + DEMO_SCHEDULE.length + 10) * 1000);
  signal.addEventListener('abort', end);
  await Promise.all(players);
  clearTimeout(limit);
  signal.removeEventListener('abort', end);
  await wait(300); // the tail through the bus
  ears.kill('SIGINT');
  await ears;
  return { samples: floatWavSamples(await readFile(file)) };
}

/** The programme starts at the first sound of the recording. Each app is its band of the
 * recording: measured in its windows after the warm-up (integrated), and from its start for
 * 1.5 s (its momentary loudness at most, the onset). */
function measurePhase(apps: DemoApp[], rec: { samples: Float32Array }): DemoPhase {
  const s = rec.samples;
  let first = 0;
  while (first < s.length / 2 && Math.abs(s[2 * first] ?? 0) < 1e-4) first++;
  const offset = first / DEMO_RATE;
  const mono = Float32Array.from({ length: s.length / 2 }, (_, i) => s[2 * i] ?? 0);
  const results = apps.map((a) => {
    const y = bandPass(mono, DEMO_RATE, a.band[0], a.band[1]);
    const stereo = new Float32Array(2 * y.length);
    for (let i = 0; i < y.length; i++) stereo[2 * i] = stereo[2 * i + 1] = y[i] as number;
    const parts = a.measured.map(([from, to]) => stereo.slice(Math.round((from + offset) * DEMO_RATE) * 2, Math.round((to + offset) * DEMO_RATE) * 2));
    const joined = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      joined.set(p, at);
      at += p.length;
    }
    const m = measureWindow(joined, DEMO_RATE, 2);
    const onset = a.onset === undefined ? null : value(measureWindow(stereo, DEMO_RATE, 2, a.onset + offset, a.onset + offset + ONSET_S).momentaryMax);
    return { name: a.name, role: a.role, integratedLufs: value(m.integrated), onsetLufs: onset, truePeakDbtp: value(m.truePeakDbtp) };
  });
  const levels = results.map((r) => r.integratedLufs).filter((v): v is number => v !== null);
  const onsets = results.map((r) => r.onsetLufs).filter((v): v is number => v !== null);
  const whole = measureWindow(s.slice(Math.round((DEMO_SCHEDULE.warmup + offset) * DEMO_RATE) * 2), DEMO_RATE, 2);
  return {
    apps: results,
    spreadLu: levels.length >= 2 ? round(Math.max(...levels) - Math.min(...levels)) : null,
    worstOnsetLufs: onsets.length > 0 ? Math.max(...onsets) : null,
    truePeakDbtp: value(whole.truePeakDbtp),
  };
}

#!/usr/bin/env node
// npm run bench:supervisor: the supervisor (`headroom start`) on a private PipeWire.
//  (a) `headroom status --json` round trip, whole process, beside `wpctl status` (goal ≤ 200 ms)
//  (b) supervisor CPU (% of one core, over BENCH_SECONDS) and RSS with 20 streams idle
//      (connected, playing silence) and playing (goal ≤ 1 % and ≤ 2 %, ≤ 60 MiB), beside Node
//      itself with the same flags running nothing but a timer
//  (c) routing latency: 50 streams started at once, each from its node appearing to its
//      links into the bus (p50, p90, max), and WirePlumber's CPU time for that burst beside
//      the same burst before headroom started (WirePlumber linking them to the speakers),
//      and what moving those 50 by target.object costs WirePlumber by itself
//  (d) the same latency for one new stream at a time (20 streams, 1 s apart)
//  (e) the burst of (c) again with `headroom start --auto-promote`
// Needs `npm run build` first. BENCH_SECONDS sets the CPU reading length, BENCH_CPU_PROF a
// directory for the daemon's CPU profile.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { cpuNs, median, percentile, statusKib } from './lib/proc-stats.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { startPrivatePipewire } = await import(path.join(root, 'dist/orchestrator/sandbox/private-pipewire.js'));
const { GraphWatcher } = await import(path.join(root, 'dist/orchestrator/pipewire/graph-watcher.js'));
const { request } = await import(path.join(root, 'dist/orchestrator/control/control-client.js'));
const { poll } = await import(path.join(root, 'dist/orchestrator/process/poll.js'));
const { NODE_FLAGS } = await import(path.join(root, 'dist/node-flags.js'));
const { mapLimit } = await import(path.join(root, 'dist/orchestrator/process/map-limit.js'));
const { floatWav } = await import(path.join(root, 'dist/offline/float-audio.js'));

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RATE = 48000;
const bin = path.join(root, 'bin', 'run.js');

function wav(file, seconds, level) {
  const s = new Float32Array(seconds * RATE * 2);
  for (let i = 0; i < seconds * RATE; i++) s[2 * i] = s[2 * i + 1] = level * Math.sin((2 * Math.PI * (200 + (i % 7)) * i) / RATE);
  writeFileSync(file, floatWav(s, RATE, 2));
  return file;
}

async function timed(argv, env, n) {
  const ms = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = await execa(argv[0], argv.slice(1), { env, reject: false });
    if (r.exitCode !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
    ms.push(performance.now() - t);
  }
  return ms;
}

const pw = await startPrivatePipewire();
const env = { ...pw.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true' };
const players = [];
// BENCH_CPU_PROF=DIR: the daemon writes a V8 CPU profile there when it stops (where its time goes)
const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(process.env.BENCH_CPU_PROF)] : [];
const watcher = new GraphWatcher(env);
let daemon;
try {
  await watcher.ready;
  const m = watcher.model;
  const linkedTo = (name, sinkName) => {
    const sink = m.nodeByName(sinkName);
    const n = [...m.nodes.values()].find((x) => x.props['application.name'] === name);
    return !!sink && !!n && m.linksFrom(n.id).some((l) => l.inputNode === sink.id);
  };
  const routed = (name) => linkedTo(name, 'headroom-processed');
  const wirePlumberPid = () => Number([...m.clients.values()].find((c) => c.props['application.name'] === 'WirePlumber')?.props['application.process.id']);
  // players started by a helper process: 50 spawns from this one would stall the watcher
  // that timestamps the nodes (a spawn blocks the event loop until the child has exec'd)
  const play = (file, prefix, n) => players.push(execa(process.execPath, [path.join(root, 'scripts', 'lib', 'start-players.mjs'), file, prefix, String(n)], { env, reject: false }));
  /** Streams prefix0..: from their node appearing to their link into sinkName (ms). */
  const latencies = (prefix, n, sinkName) => {
    const appeared = new Map(), linked = new Map();
    const off = watcher.on(() => {
      const now = performance.now();
      for (let i = 0; i < n; i++) {
        const name = `${prefix}${i}`;
        if (!appeared.has(name) && [...m.nodes.values()].some((x) => x.props['application.name'] === name)) appeared.set(name, now);
        if (appeared.has(name) && !linked.has(name) && linkedTo(name, sinkName)) linked.set(name, now);
      }
    });
    return {
      done: () => poll(`${n} streams linked`, () => linked.size === n, 30_000, 50).catch(() => undefined),
      result: () => (off(), [...linked].map(([name, t]) => t - appeared.get(name))),
    };
  };
  const burstFile = wav(path.join(pw.dir, 'burst.wav'), 15, 0.01);
  const burst = async (prefix, sinkName, whilePlaying = async () => undefined) => {
    const wp = wirePlumberPid(), c0 = cpuNs(wp);
    const l = latencies(prefix, 50, sinkName);
    play(burstFile, prefix, 50);
    await l.done();
    await sleep(1000); // what WirePlumber still does after the last link
    const r = { lat: l.result(), wpCpuS: (cpuNs(wp) - c0) / 1e9, ...(await whilePlaying(prefix, wp)) };
    for (const p of players.splice(0)) p.kill('SIGTERM');
    await sleep(1500);
    return r;
  };

  // (c, beside it) the same burst before headroom runs: WirePlumber links them to the speakers;
  // then what moving the 50 by target.object (as headroom does) costs WirePlumber by itself
  await pw.tool(['pw-cli', 'create-node', 'adapter', '{ factory.name=support.null-audio-sink node.name=bench-other media.class=Audio/Sink object.linger=true audio.position=[FL FR] }']);
  const moves = async (prefix, wp) => {
    const ids = [...m.nodes.values()].filter((x) => String(x.props['application.name'] ?? '').startsWith(prefix)).map((x) => String(x.id));
    const c0 = cpuNs(wp);
    await mapLimit(ids, 3, (id) => pw.tool(['pw-metadata', id, 'target.object', 'bench-other']));
    await poll('50 streams moved', () => Array.from({ length: 50 }, (_, i) => linkedTo(`${prefix}${i}`, 'bench-other')).every(Boolean), 10_000, 50).catch(() => undefined);
    await sleep(1000);
    const movesCpuS = (cpuNs(wp) - c0) / 1e9;
    await mapLimit(ids, 3, (id) => pw.tool(['pw-metadata', '-d', id, 'target.object']).catch(() => undefined));
    return { moves: ids.length, movesCpuS };
  };
  const alone = await burst('alone-', pw.speakers, moves);

  const start = async (...args) => {
    // as a user runs it: bin/run.js with the Node flags of its first line (with a profile: Node
    // with those flags and the profiler's)
    const [cmd, ...pre] = prof.length > 0 ? [process.execPath, ...NODE_FLAGS, ...prof, bin] : [bin];
    daemon = execa(cmd, [...pre, 'start', ...args, '--log-level', process.env.BENCH_LOG ? 'debug' : 'warn'], { env, reject: false, stdin: 'ignore', ...(process.env.BENCH_LOG ? { stderr: { file: process.env.BENCH_LOG, append: true } } : {}) });
    await poll('headroom running', async () => (await request('status', {}, env)).filterHost.state === 'running', 15_000, 100);
    return daemon.pid;
  };
  const pid = await start();

  // (a) status round trip
  const status = await timed([bin, 'status', '--json'], env, 15);
  const wpctl = await timed(['wpctl', 'status'], env, 15);

  // (b) CPU with 20 streams
  const cpu = async (label) => {
    await sleep(2000);
    const c0 = cpuNs(pid), t0 = process.hrtime.bigint();
    await sleep(SECONDS * 1000);
    const pct = (100 * (cpuNs(pid) - c0)) / Number(process.hrtime.bigint() - t0);
    return { label, pct, rssMiB: statusKib(pid, 'VmRSS') / 1024 };
  };
  // beside (b): Node itself, with the same flags, running nothing but a timer
  const bare = execa(process.execPath, [...NODE_FLAGS, '-e', 'setInterval(() => {}, 1000)'], { reject: false, stdin: 'ignore' });
  await sleep(2000);
  const nodeFloorMiB = statusKib(bare.pid, 'VmRSS') / 1024;
  bare.kill('SIGTERM');
  await bare;
  const idleFile = wav(path.join(pw.dir, 'silence.wav'), SECONDS + 30, 0);
  play(idleFile, 'idle-', 20);
  await poll('20 idle streams routed', () => Array.from({ length: 20 }, (_, i) => routed(`idle-${i}`)).every(Boolean), 20_000, 50);
  const idle = await cpu('20 streams idle (silence)');
  for (const p of players.splice(0)) p.kill('SIGTERM');
  await sleep(1000);
  const toneFile = wav(path.join(pw.dir, 'tone.wav'), SECONDS + 30, 0.05);
  play(toneFile, 'tone-', 20);
  await poll('20 playing streams routed', () => Array.from({ length: 20 }, (_, i) => routed(`tone-${i}`)).every(Boolean), 20_000, 50);
  const playing = await cpu('20 streams playing');
  for (const p of players.splice(0)) p.kill('SIGTERM');
  await sleep(1500);

  // (c) 50 streams at once: node appeared -> linked into the bus
  const withHeadroom = await burst('burst-', 'headroom-processed');

  // (d) one new stream at a time
  const singleFile = wav(path.join(pw.dir, 'single.wav'), 3, 0.01);
  const single = [];
  for (let i = 0; i < 20; i++) {
    const l = latencies(`single-${i}-`, 1, 'headroom-processed');
    players.push(execa('pw-play', ['--properties', `{ application.name = "single-${i}-0" }`, singleFile], { env, reject: false }));
    await l.done();
    single.push(...l.result());
    await sleep(1000);
  }

  // (e) the burst again, with the bus as the default sink
  daemon.kill('SIGTERM');
  await daemon;
  await start('--auto-promote');
  const promoted = await burst('promoted-', 'headroom-processed');

  const f = (x) => x.toFixed(0).padStart(5);
  const dist = (xs) => `p50 ${f(percentile(xs, 50))} ms, p90 ${f(percentile(xs, 90))} ms, max ${f(Math.max(...xs))} ms`;
  console.log(`\nsupervisor benchmark (private PipeWire, ${SECONDS} s per CPU reading)\n`);
  console.log(`(a) status --json round trip   median ${f(median(status))} ms (min ${f(Math.min(...status))})   wpctl status median ${f(median(wpctl))} ms   goal ≤ 200 ms`);
  for (const r of [idle, playing])
    console.log(`(b) ${r.label.padEnd(28)} CPU ${r.pct.toFixed(2)} % of one core   RSS ${r.rssMiB.toFixed(1)} MiB (Node itself ${nodeFloorMiB.toFixed(1)}, headroom's part ${(r.rssMiB - nodeFloorMiB).toFixed(1)})   goal ≤ ${r === idle ? 1 : 2} %, ≤ 60 MiB`);
  console.log(`(c) 50 streams at once: ${withHeadroom.lat.length}/50 routed; node -> linked into the bus ${dist(withHeadroom.lat)}   goal 50 ms`);
  console.log(`    WirePlumber CPU for that burst ${withHeadroom.wpCpuS.toFixed(2)} s; the same burst before headroom ran: ${alone.wpCpuS.toFixed(2)} s, node -> linked to the speakers ${dist(alone.lat)}`);
  console.log(`    WirePlumber CPU for moving those ${alone.moves} streams to another sink by target.object (headroom's way), nothing else running: ${alone.movesCpuS.toFixed(2)} s`);
  console.log(`(d) one new stream at a time (${single.length}/20): node -> linked into the bus ${dist(single)}   goal 50 ms`);
  console.log(`(e) 50 streams at once, --auto-promote: ${promoted.lat.length}/50 routed; node -> linked into the bus ${dist(promoted.lat)}; WirePlumber CPU ${promoted.wpCpuS.toFixed(2)} s`);
} finally {
  for (const p of players) p.kill('SIGTERM');
  await watcher.stop();
  daemon?.kill('SIGTERM');
  await daemon;
  await pw.stop();
}

#!/usr/bin/env node
// npm run bench:live: CPU (% of one core, from /proc/<pid>/task/*/schedstat over 10 s) and RSS of the live
// filter-host processing 48 kHz stereo on a private PipeWire, at quantum 1024 and 256,
// with 0 and 8 taps, against the goal (≤ 0.5 % with 8 taps at 1024, RSS ≤ 16 MiB). The CPU is
// split between the main thread (the 100 ms tick, commands, the registry) and the rest (the
// data thread: one callback a graph cycle); "callback µs" is that callback's own time.
// Beside each figure, the reference: the floor, a build of the same program that makes the
// same node with the same ports, links and buffers and copies the samples through without any
// DSP (`make -C native/filter-host floor`): what PipeWire's side of it costs on this machine.
// The two run alternately. Needs `npm run build` first (it drives the filter-host through dist/).
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { cpuNs, statusKib, threadCpuNs } from './lib/proc-stats.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { startPrivatePipewire, dumpGraph } = await import(path.join(root, 'dist/orchestrator/sandbox/private-pipewire.js'));
const { FilterHostProcess } = await import(path.join(root, 'dist/orchestrator/engine/filter-host-process.js'));

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RATE = 48000;

/** Pink-ish programme noise at about -20 dBFS, as a float WAV. */
function noiseWav(file, seconds) {
  const n = seconds * RATE;
  const data = Buffer.alloc(n * 8);
  let seed = 1, b0 = 0, b1 = 0;
  for (let i = 0; i < n; i++) {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    const w = seed / 2 ** 31 - 1;
    b0 = 0.99765 * b0 + w * 0.099046;
    b1 = 0.963 * b1 + w * 0.2965164;
    const v = 0.25 * (b0 + b1 + w * 0.1848);
    data.writeFloatLE(v, 8 * i);
    data.writeFloatLE(v, 8 * i + 4);
  }
  const h = Buffer.alloc(44);
  h.write('RIFF', 0); h.writeUInt32LE(36 + data.length, 4); h.write('WAVEfmt ', 8);
  h.writeUInt32LE(16, 16); h.writeUInt16LE(3, 20); h.writeUInt16LE(2, 22); h.writeUInt32LE(RATE, 24);
  h.writeUInt32LE(RATE * 8, 28); h.writeUInt16LE(8, 32); h.writeUInt16LE(32, 34); h.write('data', 36); h.writeUInt32LE(data.length, 40);
  writeFileSync(file, Buffer.concat([h, data]));
  return file;
}

async function measureOne(pw, file, quantum, taps, variant) {
  await pw.tool(['pw-metadata', '-n', 'settings', '0', 'clock.force-quantum', String(quantum)]);
  const fh = await FilterHostProcess.start({ target: pw.speakers, env: pw.env, variant });
  const app = execa('pw-play', ['--target', 'headroom-processed', '--properties', '{ application.name = "bench-app" }', file], { env: pw.env, reject: false });
  let node;
  while (!(node = (await dumpGraph(pw)).find((o) => o.type === 'PipeWire:Interface:Node' && o.info?.props?.['application.name'] === 'bench-app'))) await sleep(20);
  for (let t = 1; t <= taps; t++) {
    const ready = fh.waitFor((f) => f.kind === 'event' && f.event === 4 && f.a === t);
    await fh.send({ kind: 'addTap', tapId: t, streamSerial: BigInt(node.info.props['object.serial']) });
    const ev = await ready;
    // the engine links its tap to the stream itself (linking by hand raced it: "File exists");
    // all taps are ports of one node: tap t is linked when that node has 2t links from the app
    const linked = (g) => g.filter((o) => o.type === 'PipeWire:Interface:Link' && o.info?.['output-node-id'] === node.id && o.info?.['input-node-id'] === ev.b).length >= 2 * t;
    for (let i = 0; !linked(await dumpGraph(pw)); i++) {
      if (i > 250) throw new Error(`tap ${t} was never linked to the bench app`);
      await sleep(20);
    }
  }
  await sleep(1500);
  const m0 = fh.lastMeter, c0 = cpuNs(fh.pid), main0 = threadCpuNs(fh.pid, fh.pid), t0 = process.hrtime.bigint();
  await sleep(SECONDS * 1000);
  const c1 = cpuNs(fh.pid), main1 = threadCpuNs(fh.pid, fh.pid), t1 = process.hrtime.bigint(), m1 = fh.lastMeter;
  const wall = Number(t1 - t0) / 1e9;
  const result = {
    quantum,
    taps,
    measuredQuantum: m1.quantum,
    cpuPercent: ((c1 - c0) / 1e9 / wall) * 100,
    mainPercent: ((main1 - main0) / 1e9 / wall) * 100,
    rssMiB: statusKib(fh.pid, 'VmRSS') / 1024,
    peakRssMiB: statusKib(fh.pid, 'VmHWM') / 1024,
    busCallUs: Number(m1.timing.sumUs - m0.timing.sumUs) / Math.max(1, Number(m1.timing.calls - m0.timing.calls)),
    spikes: m1.timing.spikes,
    underruns: m1.underruns - m0.underruns,
  };
  app.kill('SIGTERM');
  await app;
  await fh.close();
  return result;
}

await execa('make', ['-s', '-C', path.join(root, 'native/filter-host'), 'floor'], { stdio: 'inherit' });
const tmp = await mkdtemp(path.join(os.tmpdir(), 'headroom-bench-live-'));
const pw = await startPrivatePipewire();
try {
  const file = noiseWav(path.join(tmp, 'noise.wav'), SECONDS + 8);
  // this kind of machine is shared: each configuration runs REPEATS times, headroom and the
  // floor alternately, and the median of each counts
  const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
  const median = (runs) => {
    runs.sort((a, b) => a.cpuPercent - b.cpuPercent);
    return { ...runs[Math.floor(runs.length / 2)], cpuMin: runs[0].cpuPercent, cpuMax: runs.at(-1).cpuPercent };
  };
  const rows = [];
  for (const quantum of [1024, 256])
    for (const taps of [0, 8]) {
      const runs = { release: [], floor: [] };
      // alternately, each first in turn
      for (let i = 0; i < REPEATS; i++) for (const v of i % 2 ? ['floor', 'release'] : ['release', 'floor']) runs[v].push(await measureOne(pw, file, quantum, taps, v));
      rows.push({ ...median(runs.release), floor: median(runs.floor) });
    }
  const range = (r) => `${r.cpuPercent.toFixed(2)} (${r.cpuMin.toFixed(2)}–${r.cpuMax.toFixed(2)})`;
  const withFloor = (v, f, digits) => `${v.toFixed(digits)} (${f.toFixed(digits)})`;
  const columns = [
    ['quantum', 7, (r) => String(r.measuredQuantum)],
    ['taps', 4, (r) => String(r.taps)],
    ['CPU %', 18, range],
    ['floor %', 18, (r) => range(r.floor)],
    ['DSP %', 5, (r) => (r.cpuPercent - r.floor.cpuPercent).toFixed(2)],
    ['main % (floor)', 14, (r) => withFloor(r.mainPercent, r.floor.mainPercent, 2)],
    ['µs (floor)', 12, (r) => withFloor(r.busCallUs, r.floor.busCallUs, 1)],
    ['RSS MiB', 7, (r) => r.rssMiB.toFixed(1)],
    ['peak RSS', 8, (r) => r.peakRssMiB.toFixed(1)],
    ['spikes', 6, (r) => String(r.spikes)],
    ['underruns', 9, (r) => String(r.underruns)],
  ];
  console.log(`filter-host, 48 kHz stereo, CPU over ${SECONDS} s from /proc schedstat (% of one core, median of ${REPEATS} and range), on ${os.cpus()[0]?.model ?? 'this CPU'}`);
  console.log("floor: the same node, ports and links without the DSP (PipeWire's side); main: the main thread's part; µs: the callback's own time a cycle");
  console.log(columns.map(([name, w]) => name.padEnd(w)).join('  '));
  for (const r of rows) console.log(columns.map(([, w, cell]) => cell(r).padEnd(w)).join('  '));
  const goal = rows.find((r) => r.quantum === 1024 && r.taps === 8);
  console.log(
    `goal (quantum 1024, 8 taps): CPU ${goal.cpuPercent.toFixed(2)} % vs ≤ 0.5 % (${goal.cpuPercent <= 0.5 ? 'met' : 'not met'}; the floor alone: ${goal.floor.cpuPercent.toFixed(2)} %); ` +
      `RSS ${goal.peakRssMiB.toFixed(1)} MiB vs ≤ 16 MiB (${goal.peakRssMiB <= 16 ? 'met' : 'not met'}); loudnessd: 21 % for 8 streams`,
  );
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
} finally {
  await pw.stop();
  await rm(tmp, { recursive: true, force: true });
}

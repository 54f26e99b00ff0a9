// Listening like a user across the graph's changes: one tone plays through the bus (left
// channel) and straight to the speakers (right channel) while PipeWire runs at quantum 256,
// 1024 and 2048, and while an app that asks for low latency starts and stops. Every steady
// stretch must be continuous at an unchanged level; a change may cost at most two quanta.
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { gaps, lastAbove, onset, play, recordSpeakers, report, rmsDb, RATE, sine, splitLeftBusRightDirect, writeSignal, type Gap } from './audio.js';
import { useFilterHosts, usePrivatePipewire } from './sandbox.js';

const box = usePrivatePipewire();
const { filterHost, app } = useFilterHosts(box);

/** Marks (seconds since the tone was first heard) of the changes, and what each allows. */
interface Change {
  label: string;
  at: number;
  /** the largest quantum on either side of the change: it may cost twice this in silence */
  quantum: number;
}

describe('filter-host continuity', () => {
  it('plays a tone without a gap or a level change at quanta 256, 1024 and 2048 and across quantum changes', async () => {
    const { pw, dir } = box;
    const forceQuantum = (q: number) => pw.tool(['pw-metadata', '-n', 'settings', '0', 'clock.force-quantum', String(q)]);
    const fh = await filterHost();
    await fh.send({ kind: 'bypass', on: true }); // the bus's level is then the app's: −20 dBFS
    await forceQuantum(256);
    const ears = await recordSpeakers(pw, dir, 'continuity-out.wav');
    const tone = app(writeSignal(path.join(dir, 'continuity-in.wav'), 38, sine(-20, 441)), 'tone-app');
    await splitLeftBusRightDirect(pw, (await tone.node()).id);
    const t0 = Date.now();
    const mark = (label: string, quantum: number): Change => ({ label, at: (Date.now() - t0) / 1000, quantum });
    const changes: Change[] = [];
    try {
      await sleep(7000);
      await forceQuantum(1024);
      changes.push(mark('256 -> 1024', 1024));
      await sleep(7000);
      await forceQuantum(2048);
      changes.push(mark('1024 -> 2048', 2048));
      await sleep(7000);
      await forceQuantum(0);
      changes.push(mark('2048 -> default', 2048));
      await sleep(3000);
      // a game or a voice call: asks for 256 frames, plays 6 s, and goes
      const lowLatency = play(pw, writeSignal(path.join(dir, 'low-latency.wav'), 6, sine(-40, 3000)), { name: 'low-latency-app', target: 'headroom-processed', latency: '256/48000' });
      changes.push(mark('low-latency app starts', 1024));
      await lowLatency.proc;
      changes.push(mark('low-latency app ends', 1024));
      await tone.proc;
    } finally {
      await forceQuantum(0);
    }
    const out = await ears.stop();
    // the tone's own start, on the direct path; the recording's clock for the marks
    const start = onset(out, 1, 1e-3), end = lastAbove(out, 1, 1e-3);
    const linkedAt = onset(out, 0, 1e-3, start); // the bus side plays once the split link exists
    expect(start).toBeGreaterThanOrEqual(0);
    const offset = linkedAt / RATE; // t0 was taken right after the split
    const frame = (s: number) => Math.round((offset + s) * RATE);
    const steady: [string, number, number, number][] = [
      ['quantum 256', frame(0.5), frame(changes[0]!.at - 0.3), 256],
      ['quantum 1024', frame(changes[0]!.at + 0.5), frame(changes[1]!.at - 0.3), 1024],
      ['quantum 2048', frame(changes[1]!.at + 0.5), frame(changes[2]!.at - 0.3), 2048],
      ['default quantum', frame(changes[2]!.at + 0.5), frame(changes[3]!.at - 0.3), 1024],
      ['low-latency app playing', frame(changes[3]!.at + 1), frame(changes[4]!.at - 0.3), 256],
      ['after the low-latency app', frame(changes[4]!.at + 0.5), end - RATE / 2, 1024],
    ];
    const seconds = steady.reduce((sum, [, a, b]) => sum + (b - a) / RATE, 0);
    const busGaps = gaps(out, 0, start, end), directGaps = gaps(out, 1, start, end);
    const found = steady.map(([label, a, b, quantum]) => ({ label, ...losses(busGaps, directGaps, a, b, quantum), ...levels(out, a, b, [...busGaps, ...directGaps]) }));
    const atChanges = changes.map((c) => ({ ...c, ...losses(busGaps, directGaps, frame(c.at - 0.3), frame(c.at + 1), c.quantum) }));
    report('continuity: steady stretches', found);
    report('continuity: changes', atChanges);
    report('continuity: gaps (s, frames) bus/direct', [busGaps, directGaps].map((g) => g.map(([a, n]) => [(a - linkedAt) / RATE, n])));
    expect(seconds).toBeGreaterThanOrEqual(20);
    for (const s of found) {
      // the bus loses nothing the direct path keeps; a missed deadline at quantum 256 (5.3 ms)
      // on a busy 2-core machine, seen on both stacks on both paths, may cost the bus, one
      // client more in the cycle, more than the direct path: measured 0 in most runs, up to
      // 512 frames on a loaded Debian 12 and once 1761 in a CI run on Debian 13 (cause not
      // found), and 10978 against the direct path's own 4864 while other work loaded the
      // machine. At quantum 256 the bus may lose 2048 frames, and once more what the direct
      // path lost to the machine's load; at larger quanta one quantum
      const allowed = s.quantum === 256 ? 2048 + s.directLost : s.quantum;
      expect(s.busLost - s.directLost, `${s.label}: the bus lost more than the direct path`).toBeLessThanOrEqual(allowed);
      expect(s.median, `${s.label}: the bus level moved`).toBeCloseTo(-20, 1);
      expect(s.low, `${s.label}: the bus level dips`).toBeGreaterThan(-20.5);
      expect(s.high, `${s.label}: the bus level jumps`).toBeLessThan(-19.5);
    }
    // a change may cost at most two quanta of silence beyond what the direct path lost.
    // PipeWire's own module-loopback (pw-loopback in this test's place, 1.4.2, 6 runs) loses
    // one quantum at 256 -> 1024 in 5 runs and at 1024 -> 2048 in 5; the bus lost one at
    // 1024 -> 2048 in 3 of 18 runs, and two once, in a CI run (at some changes PipeWire
    // refuses the capture's trigger of the playback, counted). A stalled bus, or one losing
    // every second cycle, loses far more
    for (const c of atChanges) expect(c.busLost - c.directLost, `${c.label}: silence through the bus`).toBeLessThanOrEqual(2 * c.quantum);
  });
});

/** The frames each path lost to gaps in [from, to). */
function losses(bus: Gap[], direct: Gap[], from: number, to: number, quantum: number) {
  const inside = (g: Gap) => g[0] + g[1] > from && g[0] < to;
  const lost = (gs: Gap[]) => gs.filter(inside).reduce((s, [, n]) => s + n, 0);
  return { quantum, busLost: lost(bus), directLost: lost(direct) };
}

/** The bus channel's level over 50 ms windows free of gaps, in dB of the sine's peak (a
 * sine's RMS is 3 dB under its peak): the median, and the 2nd and 98th percentiles (a lone
 * window torn by a missed deadline is counted by the gaps, not here). */
function levels(out: Float32Array, from: number, to: number, skip: Gap[]) {
  const w = RATE / 20, dbs: number[] = [];
  for (let a = from; a + w <= to; a += w) {
    if (skip.some(([g, n]) => g < a + w + RATE / 100 && g + n > a - RATE / 100)) continue;
    dbs.push(rmsDb(out, 0, a, a + w) + 3.0103);
  }
  dbs.sort((x, y) => x - y);
  const at = (q: number) => dbs[Math.min(dbs.length - 1, Math.floor(q * dbs.length))] ?? -200;
  return { median: at(0.5), low: at(0.02), high: at(0.98) };
}

// meters/tick at 10 Hz while someone listens, although the engine leaves out unchanged frames.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MeterTicks } from '../../../src/orchestrator/daemon/meter-ticks.js';
import type { Frame } from '../../../src/wire/filter-host-protocol.js';

type Meter = Extract<Frame, { kind: 'meter' }>;
const loud = { momentary: -20, shortTerm: -20, integrated: -20, truePeakDbtp: -3 };
const meter = (agcGainDb: number): Meter => ({
  kind: 'meter', seq: 1, input: loud, output: loud, agcGainDb, agcTargetLufs: -18, compressorReductionDb: 0, limiterReductionDb: 0,
  rate: 48000, quantum: 1024, bypass: false, active: true, targetLinked: true, underruns: 0,
  timing: { calls: 1n, sumUs: 1n, maxUs: 1, spikes: 0, lastSpikeUs: 0, lastSpikeAtCall: 0n },
});

describe('MeterTicks', () => {
  let sent: { at: number; gain: number }[];
  let listening: boolean;
  let ticks: MeterTicks;
  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    listening = true;
    ticks = new MeterTicks((_topic, data) => sent.push({ at: Date.now(), gain: ((data as () => { agc: { gainDb: number } })()).agc.gainDb }), () => listening, () => ({}));
  });
  afterEach(() => {
    ticks.stop();
    vi.useRealTimers();
  });

  it('repeats the last reading every 100 ms (the first half a tick late) for at most a second', () => {
    const t0 = Date.now();
    ticks.onMeter(meter(1));
    vi.advanceTimersByTime(3000);
    expect(sent.map((s) => s.at - t0)).toEqual([0, 150, 250, 350, 450, 550, 650, 750, 850, 950]);
    expect(new Set(sent.map((s) => s.gain))).toEqual(new Set([1]));
  });

  it('a frame on time is not doubled, and a new frame replaces the repeated one', () => {
    const t0 = Date.now();
    for (let i = 0; i < 5; i++) {
      ticks.onMeter(meter(i));
      vi.advanceTimersByTime(100);
    }
    ticks.onMeter(meter(9));
    vi.advanceTimersByTime(160);
    expect(sent.map((s) => [s.at - t0, s.gain])).toEqual([[0, 0], [100, 1], [200, 2], [300, 3], [400, 4], [500, 9], [650, 9]]);
  });

  it('nothing goes out, and nothing is scheduled, while nobody listens', () => {
    listening = false;
    ticks.onMeter(meter(1));
    vi.advanceTimersByTime(2000);
    expect(sent).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

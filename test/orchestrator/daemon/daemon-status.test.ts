import { describe, expect, it } from 'vitest';
import { buildStatus } from '../../../src/orchestrator/daemon/daemon-status.js';
import { HEALTHY, PIPEWIRE_GONE } from '../../../src/policy/health.js';
import type { Frame } from '../../../src/wire/filter-host-protocol.js';

const meter = (active: boolean): Extract<Frame, { kind: 'meter' }> => ({
  kind: 'meter', seq: 2,
  input: { momentary: -23.5, shortTerm: -24.25, integrated: -25, truePeakDbtp: -6 },
  output: active ? { momentary: -18, shortTerm: -18.5, integrated: -19.75, truePeakDbtp: -1.25 } : { momentary: -200, shortTerm: -200, integrated: -19.75, truePeakDbtp: -200 },
  agcGainDb: 5.5, agcTargetLufs: -18, compressorReductionDb: 1.5, limiterReductionDb: 0.75,
  rate: 48000, quantum: 1024, bypass: false, active, targetLinked: true, underruns: 0,
  timing: { calls: 1n, sumUs: 1n, maxUs: 1, spikes: 0, lastSpikeUs: 0, lastSpikeAtCall: 0n },
});

const NOW = Date.parse('2026-12-03T15:00:00Z');
const status = (over: Partial<Parameters<typeof buildStatus>[0]>) =>
  buildStatus({
    pid: 7, version: '0.1.0', startedAt: NOW - 13 * 60_000, now: NOW, profile: 'default', bypass: false, processedSink: 'headroom-processed', preferredSink: 'speakers',
    filterHost: { state: 'running', restarts: 0 }, routed: [], gainOf: () => undefined, loudness: new Map(), health: HEALTHY, ...over,
  });

describe('buildStatus', () => {
  it("the daemon's own start time and uptime, and its health", () => {
    const s = status({ health: PIPEWIRE_GONE });
    expect(s.daemon).toMatchObject({ startedAt: '2026-12-03T14:47:00.000Z', uptimeSeconds: 780 });
    expect(s.health.state).toBe('unhealthy');
    expect(s.health.reasons[0]?.code).toBe('pipewire_gone');
  });

  it('a live reading as it is; an idle bus has no M and S but keeps I', () => {
    expect(status({ meter: meter(true), meterAt: NOW - 300 }).meters).toMatchObject({ active: true, ageSeconds: 0.3, momentaryLufs: -18, shortTermLufs: -18.5, integratedLufs: -19.7 });
    expect(status({ meter: meter(false), meterAt: NOW - 900 }).meters).toMatchObject({ active: false, ageSeconds: 0.9, momentaryLufs: null, shortTermLufs: null, integratedLufs: -19.7 });
  });

  it('a reading older than 1.5 s is no reading: every level null, not active', () => {
    expect(status({ meter: meter(true), meterAt: NOW - 1600 }).meters).toMatchObject({ active: false, ageSeconds: 1.6, momentaryLufs: null, shortTermLufs: null, integratedLufs: null, truePeakDbtp: null });
  });
});

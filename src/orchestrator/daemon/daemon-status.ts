// The `status` answer, assembled from what the daemon's parts know. Pure.
import type { LayerAReason } from '../../policy/layer-a.js';
import type { DaemonStatus, FilterHostState, Health, Tick } from '../../wire/control-protocol.js';
import { streamIdentity } from '../../graph/streams.js';
import type { Frame } from '../../wire/filter-host-protocol.js';
import type { RoutedStream } from '../pipewire/router.js';

type Meter = Extract<Frame, { kind: 'meter' }>;

/** A reading older than this is not shown as live (the engine writes at least once a second). */
export const STALE_SECONDS = 1.5;

/** -200 LUFS is "no measurement": null in JSON. */
const level = (v: number): number | null => (v <= -199 ? null : Math.round(v * 10) / 10);
const db = (v: number) => Math.round(v * 10) / 10;

/** The `meters/tick` event (10 Hz): the bus's loudness in and out and what its stages do. */
export function meterTick(m: Meter, settings: Readonly<Record<string, unknown>>): Tick {
  const loud = (x: Meter['output']) => ({ momentaryLufs: level(x.momentary), shortTermLufs: level(x.shortTerm), integratedLufs: level(x.integrated), truePeakDbtp: level(x.truePeakDbtp) });
  return {
    ...loud(m.output),
    input: loud(m.input),
    agc: { gainDb: db(m.agcGainDb), targetLufs: db(m.agcTargetLufs), minGainDb: Number(settings['agc.min_gain_db']), maxGainDb: Number(settings['agc.max_gain_db']) },
    compressorReductionDb: db(m.compressorReductionDb),
    limiterReductionDb: db(m.limiterReductionDb),
    ceilingDbtp: Number(settings['limiter.ceiling_dbtp']),
    bypass: m.bypass,
    active: m.active,
    rate: m.rate,
    underruns: m.underruns,
  };
}

export function buildStatus(s: {
  pid: number;
  version: string;
  startedAt: number;
  now: number;
  profile: string;
  bypass: boolean;
  processedSink: string | null;
  preferredSink: string | null;
  filterHost: { state: FilterHostState; restarts: number };
  routed: Iterable<RoutedStream>;
  gainOf: (serial: number) => { gainDb: number; reason: LayerAReason } | undefined;
  loudness: ReadonlyMap<number, number>;
  meter?: Meter;
  /** when the meter frame came (ms) */
  meterAt?: number;
  health: Health;
}): DaemonStatus {
  const m = s.meter;
  const ageSeconds = Math.round((s.now - (s.meterAt ?? s.now)) / 100) / 10;
  const live = ageSeconds <= STALE_SECONDS;
  const now = (v: number) => (live ? level(v) : null);
  return {
    daemon: { pid: s.pid, version: s.version, startedAt: new Date(s.startedAt).toISOString(), uptimeSeconds: Math.round((s.now - s.startedAt) / 1000), profile: s.profile, bypass: s.bypass },
    health: s.health,
    sinks: { processed: s.processedSink, preferred: s.preferredSink },
    filterHost: s.filterHost,
    streams: [...s.routed].map((r) => {
      const a = s.gainOf(r.stream.serial);
      return {
        serial: r.stream.serial, nodeId: r.stream.nodeId, app: r.stream.app, ...streamIdentity(r.stream), route: r.decision.route, rule: r.decision.rule,
        layerA: { gainDb: a ? Math.round(a.gainDb * 10) / 10 : null, reason: a?.reason ?? null },
        loudnessLufs: level(s.loudness.get(r.stream.serial) ?? -200),
      };
    }),
    meters: m
      ? {
          active: live && m.active,
          ageSeconds,
          momentaryLufs: now(m.output.momentary),
          shortTermLufs: now(m.output.shortTerm),
          integratedLufs: now(m.output.integrated),
          truePeakDbtp: now(m.output.truePeakDbtp),
          agcGainDb: Math.round(m.agcGainDb * 10) / 10,
          compressorReductionDb: Math.round(m.compressorReductionDb * 10) / 10,
          limiterReductionDb: Math.round(m.limiterReductionDb * 10) / 10,
        }
      : null,
  };
}

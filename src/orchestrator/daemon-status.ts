// The `status` answer, assembled from what the daemon's parts know. Pure.
import type { Frame } from '../wire/filter-host-protocol.js';
import type { FilterHostState } from './filter-host-supervisor.js';
import type { RoutedStream } from './router.js';

type Meter = Extract<Frame, { kind: 'meter' }>;

export interface DaemonStatus {
  daemon: { pid: number; version: string; uptimeSeconds: number; profile: string; bypass: boolean };
  sinks: { processed: string | null; preferred: string | null };
  filterHost: { state: FilterHostState; restarts: number };
  streams: { serial: number; nodeId: number; app: string; route: 'processed' | 'direct'; rule: string }[];
  meters: {
    momentaryLufs: number | null;
    shortTermLufs: number | null;
    integratedLufs: number | null;
    truePeakDbtp: number | null;
    agcGainDb: number;
    compressorReductionDb: number;
    limiterReductionDb: number;
  } | null;
}

/** -200 LUFS is "no measurement": null in JSON. */
const level = (v: number): number | null => (v <= -199 ? null : Math.round(v * 10) / 10);

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
  meter?: Meter;
}): DaemonStatus {
  const m = s.meter;
  return {
    daemon: { pid: s.pid, version: s.version, uptimeSeconds: Math.round((s.now - s.startedAt) / 1000), profile: s.profile, bypass: s.bypass },
    sinks: { processed: s.processedSink, preferred: s.preferredSink },
    filterHost: s.filterHost,
    streams: [...s.routed].map((r) => ({ serial: r.stream.serial, nodeId: r.stream.nodeId, app: r.stream.app, route: r.decision.route, rule: r.decision.rule })),
    meters: m
      ? {
          momentaryLufs: level(m.output.momentary),
          shortTermLufs: level(m.output.shortTerm),
          integratedLufs: level(m.output.integrated),
          truePeakDbtp: level(m.output.truePeakDbtp),
          agcGainDb: Math.round(m.agcGainDb * 10) / 10,
          compressorReductionDb: Math.round(m.compressorReductionDb * 10) / 10,
          limiterReductionDb: Math.round(m.limiterReductionDb * 10) / 10,
        }
      : null,
  };
}

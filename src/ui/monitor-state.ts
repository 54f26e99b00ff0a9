// What the monitor shows, folded from the daemon's first answers and its events. Pure:
// no sockets, no timers — the runner feeds it and redraws.
import type { DaemonStatus } from '../orchestrator/daemon/daemon-status.js';
import type { Health } from '../policy/health.js';
import type { EventMessage } from '../wire/control-protocol.js';

/** Readings older than this are shown greyed as "—". */
export const STALE_MS = 1500;
/** Short-term loudness history: 60 s at the 10 Hz tick. */
export const HISTORY_POINTS = 600;

export interface Tick {
  momentaryLufs: number | null;
  shortTermLufs: number | null;
  integratedLufs: number | null;
  truePeakDbtp: number | null;
  agc: { gainDb: number; targetLufs: number; minGainDb: number; maxGainDb: number };
  compressorReductionDb: number;
  limiterReductionDb: number;
  ceilingDbtp: number;
  bypass: boolean;
}

export interface StreamRow {
  serial: number;
  app: string;
  route: string;
  rule: string;
  loudnessLufs: number | null;
  reductionDb: number | null;
}

/** A rule of yours (`headroom route set`). */
export interface RouteRule {
  app: string;
  route: string;
}

export interface MonitorState {
  version: string;
  profile: string;
  /** when the daemon started (ms since the epoch, its own word): the uptime shown */
  startedAt: number;
  health: Health;
  tick?: Tick;
  tickAt: number;
  history: (number | null)[];
  streams: Map<number, StreamRow>;
  rules: RouteRule[];
  topics: string[];
  connected: boolean;
  overflow?: { dropped: number; at: number };
  error?: { message: string; at: number };
  /** a profile that did not reload: shown until a reload or change goes through */
  profileError?: string;
}

export function initialState(status: DaemonStatus, topics: string[], now: number, rules: RouteRule[] = []): MonitorState {
  const streams = new Map<number, StreamRow>();
  for (const s of status.streams) streams.set(s.serial, { serial: s.serial, app: s.app, route: s.route, rule: s.rule, loudnessLufs: s.loudnessLufs, reductionDb: s.layerA.reductionDb });
  return {
    version: status.daemon.version, profile: status.daemon.profile, health: status.health,
    startedAt: Date.parse(status.daemon.startedAt) || now - status.daemon.uptimeSeconds * 1000,
    tickAt: 0, history: [], streams, rules, topics, connected: true,
  };
}

type Data = Record<string, unknown>;

/** Folds one event into the state (a new state object; rows are replaced, not mutated). */
export function applyEvent(s: MonitorState, e: EventMessage, now: number): MonitorState {
  const d = (e.data ?? {}) as Data;
  const streams = new Map(s.streams);
  const row = (serial: number) => streams.get(serial);
  switch (e.topic) {
    case 'meters/tick': {
      const tick = d as unknown as Tick;
      const history = [...s.history, tick.shortTermLufs].slice(-HISTORY_POINTS);
      return { ...s, tick, tickAt: now, history };
    }
    case 'meters/layer_a_level': {
      const r = row(Number(d.serial));
      if (r) streams.set(r.serial, { ...r, loudnessLufs: (d.loudness_lufs as number | null) ?? null, reductionDb: Number(d.reduction_db) });
      return { ...s, streams };
    }
    case 'routing/stream_routed':
      streams.set(Number(d.serial), { serial: Number(d.serial), app: String(d.app), route: String(d.route), rule: String(d.rule), loudnessLufs: row(Number(d.serial))?.loudnessLufs ?? null, reductionDb: row(Number(d.serial))?.reductionDb ?? null });
      return { ...s, streams };
    case 'routing/stream_removed':
      streams.delete(Number(d.serial));
      return { ...s, streams };
    case 'routing/layer_a_detached': {
      const r = row(Number(d.serial));
      if (r) streams.set(r.serial, { ...r, reductionDb: null });
      return { ...s, streams };
    }
    case 'routing/rule_changed': {
      const app = String(d.app);
      const rules = s.rules.filter((r) => r.app.toLowerCase() !== app.toLowerCase());
      return { ...s, rules: d.route === null || d.route === undefined ? rules : [...rules, { app, route: String(d.route) }] };
    }
    case 'profile/changed':
      return { ...s, profile: String(d.profile), profileError: undefined };
    case 'profile/reload_failed':
      return { ...s, profileError: `profile not reloaded: ${String(d.reason)}` };
    case 'daemon/health':
      return { ...s, health: d as unknown as Health };
    case 'daemon/overflow': {
      const dropped = Object.values((d.dropped ?? {}) as Record<string, number>).reduce((a, b) => a + b, 0);
      return { ...s, overflow: { dropped: (s.overflow?.dropped ?? 0) + dropped, at: now } };
    }
    case 'daemon/error':
      return { ...s, error: { message: String(d.message ?? d.what ?? 'error'), at: now } };
    case 'daemon/shutdown':
      return { ...s, connected: false };
    default:
      return s;
  }
}

export function disconnected(s: MonitorState): MonitorState {
  return { ...s, connected: false };
}

export const isStale = (s: MonitorState, now: number) => !s.connected || s.tick === undefined || now - s.tickAt > STALE_MS;

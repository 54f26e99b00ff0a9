// What the monitor shows, folded from the daemon's first answers and its events. Pure:
// no sockets, no timers — the runner feeds it and redraws.
import type { LayerAReason } from '../policy/layer-a.js';
import type { DaemonStatus, EventMessage, Health, OpResult, Tick } from '../wire/control-protocol.js';

/** Readings older than this are shown greyed as "—". */
export const STALE_MS = 1500;
/** Short-term loudness history: 60 s at the 10 Hz tick. */
export const HISTORY_POINTS = 600;

export interface StreamRow {
  serial: number;
  app: string;
  binary: string | null;
  pid: number | null;
  mediaName: string | null;
  route: string;
  rule: string;
  loudnessLufs: number | null;
  /** Layer A's gain (dB, + lifted, - cut) and why; null without a tap */
  gainDb: number | null;
  reason: LayerAReason | null;
}

/** A rule of yours (`headroom route set`). */
export type RouteRule = OpResult<'route.list'>['rules'][number];

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
  /** the app row the keys act on (by serial: it stays on its app as rows come and go) */
  selected?: number;
  help: boolean;
  /** what the last key did, or why it could not */
  notice?: { text: string; at: number };
}

export function initialState(status: DaemonStatus, topics: string[], now: number, rules: RouteRule[] = []): MonitorState {
  const streams = new Map<number, StreamRow>();
  for (const s of status.streams)
    streams.set(s.serial, { serial: s.serial, app: s.app, binary: s.binary, pid: s.pid, mediaName: s.mediaName, route: s.route, rule: s.rule, loudnessLufs: s.loudnessLufs, gainDb: s.layerA.gainDb, reason: s.layerA.reason });
  return {
    version: status.daemon.version, profile: status.daemon.profile, health: status.health,
    startedAt: Date.parse(status.daemon.startedAt) || now - status.daemon.uptimeSeconds * 1000,
    tickAt: 0, history: [], streams, rules, topics, connected: true, help: false,
  };
}

/** Folds one event into the state (a new state object; rows are replaced, not mutated). */
export function applyEvent(s: MonitorState, e: EventMessage, now: number): MonitorState {
  const streams = new Map(s.streams);
  switch (e.topic) {
    case 'meters/tick': {
      const history = [...s.history, e.data.shortTermLufs].slice(-HISTORY_POINTS);
      return { ...s, tick: e.data, tickAt: now, history };
    }
    case 'meters/layer_a_level': {
      const r = streams.get(e.data.serial);
      if (r) streams.set(r.serial, { ...r, loudnessLufs: e.data.loudnessLufs, gainDb: e.data.gainDb, reason: e.data.reason });
      return { ...s, streams };
    }
    case 'routing/stream_routed': {
      const { serial, app, binary, pid, mediaName, route, rule } = e.data;
      const was = streams.get(serial);
      streams.set(serial, { serial, app, binary, pid, mediaName, route, rule, loudnessLufs: was?.loudnessLufs ?? null, gainDb: was?.gainDb ?? null, reason: was?.reason ?? null });
      return { ...s, streams };
    }
    case 'routing/stream_removed':
      streams.delete(e.data.serial);
      return { ...s, streams };
    case 'routing/layer_a_detached': {
      const r = streams.get(e.data.serial);
      if (r) streams.set(r.serial, { ...r, gainDb: null, reason: null });
      return { ...s, streams };
    }
    case 'routing/rule_changed': {
      const { app, route } = e.data;
      const rules = s.rules.filter((r) => r.app.toLowerCase() !== app.toLowerCase());
      return { ...s, rules: route === null ? rules : [...rules, { app, route }] };
    }
    case 'profile/changed':
      return { ...s, profile: e.data.profile, profileError: undefined };
    case 'profile/reload_failed':
      return { ...s, profileError: `profile not reloaded: ${e.data.reason}` };
    case 'daemon/health':
      return { ...s, health: e.data };
    case 'daemon/overflow': {
      const dropped = Object.values(e.data.dropped).reduce((a, b) => a + b, 0);
      return { ...s, overflow: { dropped: (s.overflow?.dropped ?? 0) + dropped, at: now } };
    }
    case 'daemon/error':
      return { ...s, error: { message: e.data.message ?? e.data.what, at: now } };
    case 'daemon/shutdown':
      return { ...s, connected: false };
    default:
      return s;
  }
}

/** The selected row moved by `by` (first row when none was); it stays put at either end. */
export function moveSelection(s: MonitorState, by: number): MonitorState {
  const serials = [...s.streams.keys()];
  if (serials.length === 0) return { ...s, selected: undefined };
  const at = s.selected === undefined ? -1 : serials.indexOf(s.selected);
  const next = at < 0 ? 0 : Math.min(serials.length - 1, Math.max(0, at + by));
  return { ...s, selected: serials[next] };
}

/** The row the keys act on: the selected one while it exists, else the first. */
export function selectedRow(s: MonitorState): StreamRow | undefined {
  return (s.selected === undefined ? undefined : s.streams.get(s.selected)) ?? s.streams.values().next().value;
}

/** Each row's name as shown: the app's, and where two rows share it, what tells them apart
 * (what it plays, else its program or process, else its serial). */
export function rowLabels(rows: readonly StreamRow[]): Map<number, string> {
  const byName = new Map<string, StreamRow[]>();
  for (const r of rows) byName.set(r.app.toLowerCase(), [...(byName.get(r.app.toLowerCase()) ?? []), r]);
  const out = new Map<number, string>();
  for (const same of byName.values()) {
    const distinct = (f: (r: StreamRow) => string | number | null) => same.every((r) => f(r) !== null) && new Set(same.map(f)).size === same.length;
    const tell = same.length < 2 ? undefined
      : distinct((r) => r.mediaName) ? (r: StreamRow) => ` · ${r.mediaName}`
      : distinct((r) => r.pid) ? (r: StreamRow) => ` (pid ${r.pid})`
      : (r: StreamRow) => ` #${r.serial}`;
    for (const r of same) out.set(r.serial, tell ? `${r.app}${tell(r)}` : r.app);
  }
  return out;
}

/** A meter reading that says what the last one said (the screen would not change). */
export function repeatsTick(s: MonitorState, e: EventMessage): boolean {
  return e.topic === 'meters/tick' && s.tick !== undefined && JSON.stringify(s.tick) === JSON.stringify(e.data);
}

export function disconnected(s: MonitorState): MonitorState {
  return { ...s, connected: false };
}

export const isStale = (s: MonitorState, now: number) => !s.connected || s.tick === undefined || now - s.tickAt > STALE_MS;

// Whether sound can flow, told from the graph and the engine's readings: WirePlumber gone,
// the engine's node without its bus ports or unlinked, processed apps not reaching the bus, or
// apps playing into a bus that hears nothing. Pure: the daemon feeds it the graph and the
// clock once a second; a condition counts once it has lasted HEALTH_GRACE_MS (a WirePlumber
// restart or a quantum change is not a fault).
import type { GraphModel } from '../graph/model.js';
import { ENGINE_NODE } from '../wire/node-names.js';
import type { Health, HealthCode, HealthReason } from '../wire/control-protocol.js';
import { busLinksMissing, busPorts } from './link-plan.js';

export const HEALTH_GRACE_MS = 3000;
/** The engine writes a meter frame at least once a second; none for this long is a hung engine. */
const METER_LOST_MS = 1500;

export const HEALTHY: Health = { state: 'ok', reasons: [] };

export interface HealthInputs {
  model: GraphModel;
  busSink: string;
  /** the output the bus plays into */
  target: string;
  engine: 'starting' | 'running' | 'restarting' | 'failed-safe' | 'stopped';
  /** the engine's last meter frame: whether the bus ran, and when the frame came (ms) */
  meter?: { active: boolean; at: number };
  /** streams routed into the bus (excluded ones and those that refuse moving left out) */
  processed: readonly { serial: number; app: string }[];
  now: number;
}

const RESTART_WP = 'Restart WirePlumber: systemctl --user restart wireplumber (headroom repairs routing when it is back)';
const RESTART_US = 'Restart headroom: headroom stop, then headroom start';

/** What is wrong right now (no grace applied). */
export function healthProblems(i: HealthInputs): HealthReason[] {
  const { model: m } = i;
  const out: HealthReason[] = [];
  const wireplumber = [...m.clients.values()].some((c) => /wireplumber/i.test(String(c.props['application.name'] ?? '')));
  if (!wireplumber) out.push({ code: 'wireplumber_gone', message: 'WirePlumber is not running: new apps are not routed and nothing links them', hint: 'Start it: systemctl --user start wireplumber' });
  const target = m.nodeByName(i.target);
  if (!target) out.push({ code: 'output_missing', message: `the output ${i.target} is gone: the bus plays into nothing`, hint: 'Choose another output (wpctl set-default ID), or restart headroom with --sink NAME' });
  if (i.engine === 'failed-safe') {
    out.push({ code: 'failed_safe', message: 'the engine keeps crashing: apps play direct, unprocessed, at a matched volume', hint: 'See the log (journalctl --user -u headroom) and headroom doctor' });
    return out;
  }
  if (i.engine !== 'running') {
    out.push({ code: 'engine_down', message: `the engine is not running (${i.engine}): apps in the bus are silent`, hint: 'headroom restarts it by itself; if this stays, see headroom doctor' });
    return out;
  }
  const [sink, engine] = [i.busSink, ENGINE_NODE].map((n) => m.nodeByName(n));
  if (!sink || !engine) {
    const missing = [[i.busSink, sink], [ENGINE_NODE, engine]].filter(([, n]) => !n).map(([name]) => name);
    out.push({ code: 'engine_missing', message: `the engine's node(s) ${missing.join(', ')} are not in the graph: apps in the bus are silent`, hint: RESTART_US });
    return out;
  }
  if (busPorts(m, engine.id, 'input').length === 0 || busPorts(m, engine.id, 'output').length === 0) {
    out.push({ code: 'engine_no_ports', message: "the engine's node has no bus ports: no sound flows through the bus", hint: RESTART_US });
    return out;
  }
  const unlinkedBus = target && m.portsOf(target.id, 'input').length > 0 ? busLinksMissing(m, sink.id, engine.id, target.id) : [];
  if (unlinkedBus.length > 0) {
    const what = unlinkedBus.includes('input') ? `does not hear ${i.busSink}` : `is not linked to ${i.target}`;
    out.push({ code: 'bus_unlinked', message: `the bus ${what}: processed sound does not reach the speakers`, hint: RESTART_US });
  }
  const intoBus = (nodeId: number) => m.linksFrom(nodeId).some((l) => l.inputNode === sink.id);
  const unlinked = i.processed.filter((s) => {
    const n = m.nodeBySerial(s.serial);
    return n !== undefined && m.portsOf(n.id, 'output').length > 0 && !intoBus(n.id);
  });
  if (unlinked.length > 0)
    out.push({ code: 'streams_unlinked', message: `${unlinked.length} app(s) routed into the bus are not linked to it (${names(unlinked)}): they are silent`, hint: RESTART_WP });
  // WirePlumber 0.4 sets up no new stream while an earlier node's setup is stuck (after a
  // WirePlumber restart, a sink that had played: docs/architecture.md §3)
  const portless = i.processed.filter((s) => {
    const n = m.nodeBySerial(s.serial);
    return n !== undefined && m.portsOf(n.id, 'output').length === 0;
  });
  if (portless.length > 0)
    out.push({
      code: 'streams_no_ports',
      message: `${portless.length} app(s) have no ports (${names(portless)}): WirePlumber has not set them up, so they are silent`,
      hint: RESTART_US,
    });
  const playing = i.processed.filter((s) => {
    const n = m.nodeBySerial(s.serial);
    return n !== undefined && n.state === 'running' && intoBus(n.id);
  });
  const hears = i.meter !== undefined && i.now - i.meter.at < METER_LOST_MS && i.meter.active;
  if (playing.length > 0 && !hears)
    out.push({
      code: 'bus_silent',
      message: `${playing.length} app(s) play into the bus (${names(playing)}) but the engine hears nothing${i.meter && i.now - i.meter.at >= METER_LOST_MS ? ' (no reading from it for seconds)' : ''}`,
      hint: 'Restart headroom: headroom stop, then headroom start; if it stays, see headroom doctor',
    });
  return out;
}

const names = (streams: readonly { app: string }[]) => {
  const shown = [...new Set(streams.map((s) => JSON.stringify(s.app)))];
  return shown.length > 3 ? `${shown.slice(0, 3).join(', ')} and ${shown.length - 3} more` : shown.join(', ');
};

/** Conditions over time: a reason counts once it has lasted the grace. */
export class HealthWatch {
  private since = new Map<HealthCode, number>();
  private reported: Health = HEALTHY;

  constructor(private readonly graceMs = HEALTH_GRACE_MS) {}

  get health(): Health {
    return this.reported;
  }

  /** Takes what is wrong now; returns the reasons that just began and just ended to count. */
  update(problems: readonly HealthReason[], now: number): { health: Health; began: HealthReason[]; ended: HealthReason[] } {
    const seen = new Map<HealthCode, number>();
    for (const p of problems) seen.set(p.code, this.since.get(p.code) ?? now);
    this.since = seen;
    const reasons = problems.filter((p) => now - (seen.get(p.code) ?? now) >= this.graceMs);
    const before = new Set(this.reported.reasons.map((r) => r.code));
    const after = new Set(reasons.map((r) => r.code));
    const began = reasons.filter((r) => !before.has(r.code));
    const ended = this.reported.reasons.filter((r) => !after.has(r.code));
    this.reported = reasons.length === 0 ? HEALTHY : { state: 'unhealthy', reasons };
    return { health: this.reported, began, ended };
  }
}

/** With no PipeWire connection (the daemon waits for it to come back). */
export const PIPEWIRE_GONE: Health = {
  state: 'unhealthy',
  reasons: [{ code: 'pipewire_gone', message: 'PipeWire is not answering: headroom waits for it and sets everything up again when it is back', hint: 'Start it: systemctl --user start pipewire pipewire-pulse wireplumber' }],
};

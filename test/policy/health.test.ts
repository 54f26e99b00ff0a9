import { describe, expect, it } from 'vitest';
import { GraphModel } from '../../src/graph/model.js';
import { HEALTH_GRACE_MS, HealthWatch, healthProblems, type HealthInputs } from '../../src/policy/health.js';

let serial = 5000;
const node = (id: number, name: string, extra: Record<string, unknown> = {}, state = 'running') => ({ id, type: 'PipeWire:Interface:Node', info: { state, props: { 'object.serial': serial++, 'node.name': name, ...extra } } });
const port = (id: number, nodeId: number, direction: 'input' | 'output', channel: string, monitor = false, name?: string) => ({
  id, type: 'PipeWire:Interface:Port', info: { direction, props: { 'object.serial': serial++, 'node.id': nodeId, 'audio.channel': channel, 'port.monitor': monitor, ...(name ? { 'port.name': name } : {}) } },
});
const link = (id: number, outNode: number, outPort: number, inNode: number, inPort: number) => ({
  id, type: 'PipeWire:Interface:Link', info: { 'output-node-id': outNode, 'output-port-id': outPort, 'input-node-id': inNode, 'input-port-id': inPort, props: { 'object.serial': serial++ } },
});
const wireplumber = { id: 2, type: 'PipeWire:Interface:Client', info: { props: { 'object.serial': 2, 'application.name': 'WirePlumber' } } };

/** A healthy session: speakers 30, bus sink 20 (monitor 23/24), the engine 40 (bus-in 41/42,
 * bus-out 51/52, a tap 43/44 fed by the app), app 10 playing into the bus. */
function healthy(): unknown[] {
  return [
    wireplumber,
    node(30, 'speakers'), port(31, 30, 'input', 'FL'), port(32, 30, 'input', 'FR'),
    node(20, 'headroom-processed'), port(21, 20, 'input', 'FL'), port(22, 20, 'input', 'FR'), port(23, 20, 'output', 'FL', true), port(24, 20, 'output', 'FR', true),
    node(40, 'headroom-engine', { 'headroom.node': 'engine' }), port(41, 40, 'input', 'FL', false, 'bus-in-FL'), port(42, 40, 'input', 'FR', false, 'bus-in-FR'),
    port(51, 40, 'output', 'FL', false, 'bus-out-FL'), port(52, 40, 'output', 'FR', false, 'bus-out-FR'),
    port(43, 40, 'input', 'FL', false, 'tap-0-FL'), port(44, 40, 'input', 'FR', false, 'tap-0-FR'),
    link(60, 20, 23, 40, 41), link(61, 20, 24, 40, 42), link(62, 40, 51, 30, 31), link(63, 40, 52, 30, 32),
    { ...node(10, 'app'), info: { state: 'running', props: { 'object.serial': 777, 'node.name': 'app' } } }, port(11, 10, 'output', 'FL'), port(12, 10, 'output', 'FR'),
    link(64, 10, 11, 20, 21), link(65, 10, 12, 20, 22), link(66, 10, 11, 40, 43), link(67, 10, 12, 40, 44),
  ];
}

function inputs(objects: unknown[], over: Partial<HealthInputs> = {}): HealthInputs {
  const model = new GraphModel();
  model.apply(objects);
  return { model, busSink: 'headroom-processed', target: 'speakers', engine: 'running', meter: { active: true, at: 10_000 }, processed: [{ serial: 777, app: 'app' }], now: 10_500, ...over };
}

const codes = (i: HealthInputs) => healthProblems(i).map((r) => r.code);
const without = (objects: unknown[], ...ids: number[]) => objects.filter((o) => !ids.includes((o as { id: number }).id));

describe('healthProblems', () => {
  it('a session where sound flows has none', () => {
    expect(healthProblems(inputs(healthy()))).toEqual([]);
  });

  it('WirePlumber gone', () => {
    expect(codes(inputs(without(healthy(), 2)))).toEqual(['wireplumber_gone']);
  });

  it("the engine's node without its bus ports", () => {
    const r = healthProblems(inputs(without(healthy(), 51, 52, 62, 63)));
    expect(r.map((x) => x.code)).toEqual(['engine_no_ports']);
    expect(r[0]?.hint).toContain('headroom stop, then headroom start');
  });

  it('the bus output unlinked from the speakers, or its input from the bus sink, even with a tap linked', () => {
    expect(healthProblems(inputs(without(healthy(), 62, 63)))[0]?.message).toContain('is not linked to speakers');
    expect(codes(inputs(without(healthy(), 63)))).toEqual([]); // one channel is enough to be heard
    expect(healthProblems(inputs(without(healthy(), 60, 61)))[0]?.message).toContain('does not hear headroom-processed');
    expect(codes(inputs(without(healthy(), 61)))).toEqual(['bus_unlinked']);
  });

  it('a processed app not linked into the bus, named', () => {
    const r = healthProblems(inputs(without(healthy(), 64, 65)));
    expect(r.map((x) => x.code)).toEqual(['streams_unlinked']);
    expect(r[0]?.message).toContain('"app"');
  });

  it('a processed app WirePlumber never set up (no ports), named', () => {
    const r = healthProblems(inputs(without(healthy(), 11, 12, 64, 65)));
    expect(r.map((x) => x.code)).toEqual(['streams_no_ports']);
    expect(r[0]?.message).toContain('"app"');
  });

  it('an app playing into a bus that hears nothing, or an engine that went quiet', () => {
    expect(codes(inputs(healthy(), { meter: { active: false, at: 10_000 } }))).toEqual(['bus_silent']);
    expect(codes(inputs(healthy(), { meter: { active: true, at: 10_000 }, now: 14_000 }))).toEqual(['bus_silent']);
    expect(codes(inputs(healthy(), { meter: undefined }))).toEqual(['bus_silent']);
    // nothing playing: an idle bus is fine
    expect(codes(inputs(healthy(), { meter: { active: false, at: 10_000 }, processed: [] }))).toEqual([]);
    const paused = healthy().map((o) => ((o as { id: number }).id === 10 ? { ...(o as object), info: { state: 'idle', props: { 'object.serial': 777, 'node.name': 'app' } } } : o));
    expect(codes(inputs(paused, { meter: { active: false, at: 10_000 } }))).toEqual([]);
  });

  it('the engine down, failed safe, missing nodes, and the output gone', () => {
    expect(codes(inputs(healthy(), { engine: 'restarting' }))).toEqual(['engine_down']);
    expect(codes(inputs(healthy(), { engine: 'failed-safe' }))).toEqual(['failed_safe']);
    expect(codes(inputs(without(healthy(), 40)))).toEqual(['engine_missing']);
    expect(codes(inputs(healthy(), { target: 'headphones' }))).toContain('output_missing');
  });
});

describe('HealthWatch', () => {
  it('a condition counts once it has lasted the grace; its end is told once', () => {
    const w = new HealthWatch();
    const gone = healthProblems(inputs(without(healthy(), 2)));
    expect(w.update(gone, 0).health.state).toBe('ok');
    expect(w.update(gone, HEALTH_GRACE_MS - 1).began).toEqual([]);
    const at = w.update(gone, HEALTH_GRACE_MS);
    expect(at.health.state).toBe('unhealthy');
    expect(at.began.map((r) => r.code)).toEqual(['wireplumber_gone']);
    expect(w.update(gone, HEALTH_GRACE_MS + 1000).began).toEqual([]); // said once
    const back = w.update([], HEALTH_GRACE_MS + 2000);
    expect(back.health).toEqual({ state: 'ok', reasons: [] });
    expect(back.ended.map((r) => r.code)).toEqual(['wireplumber_gone']);
  });

  it('a blip shorter than the grace (a WirePlumber restart) is never reported', () => {
    const w = new HealthWatch();
    const gone = healthProblems(inputs(without(healthy(), 2)));
    w.update(gone, 0);
    w.update([], 1000);
    expect(w.update(gone, 2000).health.state).toBe('ok');
    expect(w.update(gone, 2000 + HEALTH_GRACE_MS - 1).health.state).toBe('ok');
  });
});

// What to link and unlink so a stream plays into exactly one target node: its output
// ports to the target's input ports channel by channel (a mono stream to every input),
// nothing else — but links into headroom's own engine node (its taps: Layer A listens
// there) stay. Port ids, never names: two pw-play streams share a node name. Pure.
import type { GraphModel } from '../graph/model.js';
import { ENGINE_KIND } from '../wire/node-names.js';

export interface LinkPlan {
  unlink: number[];
  link: [outPort: number, inPort: number][];
}

/** The port pairs that connect a stream's outputs to a node's inputs, channel by channel. */
function wantedLinks(model: GraphModel, streamNode: number, targetNode: number): [number, number][] {
  const outs = model.portsOf(streamNode, 'output');
  const ins = model.portsOf(targetNode, 'input');
  const want: [number, number][] = [];
  for (const o of outs) {
    const matching = o.channel === 'MONO' || outs.length === 1 ? ins : ins.filter((i) => i.channel === o.channel);
    for (const i of matching) want.push([o.id, i.id]);
  }
  return want;
}

/** Whether a node is headroom's engine (an app's link into it feeds a tap). */
export const isEngine = (model: GraphModel, nodeId: number) => model.nodes.get(nodeId)?.props['headroom.node'] === ENGINE_KIND;

export function planLinks(model: GraphModel, streamNode: number, targetNode: number): LinkPlan {
  const want = wantedLinks(model, streamNode, targetNode);
  const key = (a: number, b: number) => `${a}:${b}`;
  const wanted = new Set(want.map(([a, b]) => key(a, b)));
  const have = new Set<string>();
  const unlink: number[] = [];
  for (const l of model.linksFrom(streamNode)) {
    if (isEngine(model, l.inputNode)) continue;
    const k = key(l.outputPort, l.inputPort);
    // anything to another node, and duplicates of a wanted link (audio would play twice)
    if (!wanted.has(k) || have.has(k)) unlink.push(l.id);
    have.add(k);
  }
  return { unlink, link: want.filter(([a, b]) => !have.has(key(a, b))) };
}

/** The bus's ports on the engine node (bus-in-FL, bus-out-FR, …), by direction. */
export function busPorts(model: GraphModel, engine: number, direction: 'input' | 'output') {
  const prefix = direction === 'input' ? 'bus-in-' : 'bus-out-';
  return model.portsOf(engine, direction).filter((p) => p.name?.startsWith(prefix));
}

/** Which of the bus's links are missing (the engine makes them itself): the bus sink's monitor
 * into every bus-in port, and some bus-out port into the real sink. */
export function busLinksMissing(model: GraphModel, busSink: number, engine: number, target: number): ('input' | 'output')[] {
  const missing: ('input' | 'output')[] = [];
  const into = model.linksTo(engine);
  if (busPorts(model, engine, 'input').some((p) => !into.some((l) => l.inputPort === p.id && l.outputNode === busSink))) missing.push('input');
  const outs = new Set(busPorts(model, engine, 'output').map((p) => p.id));
  if (!model.linksFrom(engine).some((l) => outs.has(l.outputPort) && l.inputNode === target)) missing.push('output');
  return missing;
}

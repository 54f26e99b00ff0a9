// What to link and unlink so a stream plays into exactly one target node: its output
// ports to the target's input ports channel by channel (a mono stream to every input),
// nothing else — but links into headroom's own taps (Layer A listens there) stay. Port
// ids, never names: two pw-play streams share a node name. Pure.
import type { GraphModel } from '../graph/model.js';

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

const isTap = (model: GraphModel, nodeId: number) => model.nodes.get(nodeId)?.props['headroom.node'] === 'tap';

export function planLinks(model: GraphModel, streamNode: number, targetNode: number): LinkPlan {
  const want = wantedLinks(model, streamNode, targetNode);
  const key = (a: number, b: number) => `${a}:${b}`;
  const wanted = new Set(want.map(([a, b]) => key(a, b)));
  const have = new Set<string>();
  const unlink: number[] = [];
  for (const l of model.linksFrom(streamNode)) {
    if (isTap(model, l.inputNode)) continue;
    const k = key(l.outputPort, l.inputPort);
    // anything to another node, and duplicates of a wanted link (audio would play twice)
    if (!wanted.has(k) || have.has(k)) unlink.push(l.id);
    have.add(k);
  }
  return { unlink, link: want.filter(([a, b]) => !have.has(key(a, b))) };
}

/** The engine's own links when WirePlumber left them out (it does after a restart): the
 * bus sink's monitor ports into the capture, the output into the real sink, channel by
 * channel. Only for an engine node with no links at all: otherwise WirePlumber is at it. */
export function engineLinksMissing(model: GraphModel, busSink: number, capture: number, output: number, target: number): [number, number][] {
  const pairs = (outs: { id: number; channel?: string }[], ins: { id: number; channel?: string }[]) =>
    outs.flatMap((o) => ins.filter((i) => i.channel === o.channel).map((i) => [o.id, i.id] as [number, number]));
  const monitors = [...model.ports.values()].filter((p) => p.nodeId === busSink && p.direction === 'output' && p.monitor);
  const want: [number, number][] = [];
  if (model.linksTo(capture).length === 0) want.push(...pairs(monitors, model.portsOf(capture, 'input')));
  if (model.linksFrom(output).length === 0) want.push(...pairs(model.portsOf(output, 'output'), model.portsOf(target, 'input')));
  return want;
}

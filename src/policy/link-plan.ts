// What to link and unlink so a stream plays into exactly one target node: its output
// ports to the target's input ports channel by channel (a mono stream to every input),
// nothing else. Port ids, never names: two pw-play streams share a node name. Pure.
import type { GraphModel } from '../graph/model.js';

export interface LinkPlan {
  unlink: number[];
  link: [outPort: number, inPort: number][];
}

export function planLinks(model: GraphModel, streamNode: number, targetNode: number): LinkPlan {
  const outs = model.portsOf(streamNode, 'output');
  const ins = model.portsOf(targetNode, 'input');
  const want: [number, number][] = [];
  for (const o of outs) {
    const matching = o.channel === 'MONO' || outs.length === 1 ? ins : ins.filter((i) => i.channel === o.channel);
    for (const i of matching) want.push([o.id, i.id]);
  }
  const existing = model.linksFrom(streamNode);
  const key = (a: number, b: number) => `${a}:${b}`;
  const wanted = new Set(want.map(([a, b]) => key(a, b)));
  const have = new Set<string>();
  const unlink: number[] = [];
  for (const l of existing) {
    const k = key(l.outputPort, l.inputPort);
    // anything to another node, and duplicates of a wanted link (audio would play twice)
    if (!wanted.has(k) || have.has(k)) unlink.push(l.id);
    have.add(k);
  }
  return { unlink, link: want.filter(([a, b]) => !have.has(key(a, b))) };
}

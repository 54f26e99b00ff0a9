import { describe, expect, it } from 'vitest';
import { GraphModel } from '../../src/graph/model.js';
import { planLinks } from '../../src/policy/link-plan.js';

let serial = 1000;
const node = (id: number) => ({ id, type: 'PipeWire:Interface:Node', info: { props: { 'object.serial': serial++ } } });
const port = (id: number, nodeId: number, direction: 'input' | 'output', channel: string) => ({
  id, type: 'PipeWire:Interface:Port', info: { direction, props: { 'object.serial': serial++, 'node.id': nodeId, 'audio.channel': channel } },
});
const link = (id: number, outNode: number, outPort: number, inNode: number, inPort: number) => ({
  id, type: 'PipeWire:Interface:Link', info: { 'output-node-id': outNode, 'output-port-id': outPort, 'input-node-id': inNode, 'input-port-id': inPort, props: { 'object.serial': serial++ } },
});

function graph(...extra: unknown[]) {
  const g = new GraphModel();
  // stream 10 (ports 11 FL, 12 FR), bus sink 20 (21 FL, 22 FR), speakers 30 (31 FL, 32 FR)
  g.apply([node(10), port(11, 10, 'output', 'FL'), port(12, 10, 'output', 'FR'), node(20), port(21, 20, 'input', 'FL'), port(22, 20, 'input', 'FR'), node(30), port(31, 30, 'input', 'FL'), port(32, 30, 'input', 'FR'), ...extra]);
  return g;
}

describe('planLinks', () => {
  it('links an unlinked stream channel by channel', () => {
    expect(planLinks(graph(), 10, 20)).toEqual({ unlink: [], link: [[11, 21], [12, 22]] });
  });

  it('moves a stream that WirePlumber left on the speakers', () => {
    expect(planLinks(graph(link(40, 10, 11, 30, 31), link(41, 10, 12, 30, 32)), 10, 20)).toEqual({ unlink: [40, 41], link: [[11, 21], [12, 22]] });
  });

  it('removes a second path that would make the stream play twice, keeps the right one', () => {
    expect(planLinks(graph(link(40, 10, 11, 20, 21), link(41, 10, 12, 20, 22), link(42, 10, 11, 30, 31)), 10, 20)).toEqual({ unlink: [42], link: [] });
  });

  it('removes duplicate links to the same ports', () => {
    expect(planLinks(graph(link(40, 10, 11, 20, 21), link(43, 10, 11, 20, 21), link(41, 10, 12, 20, 22)), 10, 20)).toEqual({ unlink: [43], link: [] });
  });

  it('sends a mono stream to every input', () => {
    const g = graph(node(50), port(51, 50, 'output', 'MONO'));
    expect(planLinks(g, 50, 20)).toEqual({ unlink: [], link: [[51, 21], [51, 22]] });
  });

  it("leaves the links into headroom's own taps alone", () => {
    const tap = [
      { id: 50, type: 'PipeWire:Interface:Node', info: { props: { 'object.serial': serial++, 'headroom.node': 'engine' } } },
      port(51, 50, 'input', 'FL'), port(52, 50, 'input', 'FR'),
    ];
    const g = graph(...tap, link(40, 10, 11, 20, 21), link(41, 10, 12, 20, 22), link(42, 10, 11, 50, 51));
    expect(planLinks(g, 10, 20)).toEqual({ unlink: [], link: [] });
  });
});

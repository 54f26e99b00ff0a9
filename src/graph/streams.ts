// Which nodes are application playback streams, and who they belong to. Pure.
import type { GraphClient, GraphModel, GraphNode, Props } from './model.js';

export interface AppStream {
  nodeId: number;
  serial: number;
  nodeName: string;
  /** application.name from the node, else from its client (native PipeWire apps) */
  app: string;
  binary?: string;
  appId?: string;
  /** application.process.id: tells apart two streams of one app name */
  pid?: number;
  /** media.name: what the stream plays (a tab's title, a track) */
  mediaName?: string;
  /** streams that WirePlumber destroys instead of moving when their sink goes away */
  dontReconnect: boolean;
  /** why headroom leaves it alone, when it does */
  excluded?: string;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const truthy = (v: unknown): boolean => v === true || v === 'true' || v === 1 || v === '1';

function clientOf(model: GraphModel, node: GraphNode): GraphClient | undefined {
  const id = node.props['client.id'];
  return typeof id === 'number' ? model.clients.get(id) : undefined;
}

function lookup(key: string, node: Props, client: Props | undefined): string | undefined {
  return text(node[key]) ?? (client ? text(client[key]) : undefined);
}

const pidOf = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
};

/** What tells two streams of one app apart, null where PipeWire does not say (status and
 * the routing/stream_routed event carry it). */
export const streamIdentity = (s: AppStream) => ({ binary: s.binary ?? null, pid: s.pid ?? null, mediaName: s.mediaName ?? null });

/** The reason an app's playback stream is never routed, or undefined when it may be. */
export function exclusionReason(node: GraphNode): string | undefined {
  const p = node.props;
  if (truthy(p['stream.monitor']) || truthy(p['stream.capture.sink'])) return 'a monitor stream';
  if (/peak detect|level meter/i.test(String(p['media.name'] ?? ''))) return 'a level meter';
  return undefined;
}

/** Every app's audio playback stream in the graph, with its app identity (headroom's own
 * engine streams are not an app's). */
export function appStreams(model: GraphModel): AppStream[] {
  const out: AppStream[] = [];
  for (const node of model.nodes.values()) {
    if (node.props['media.class'] !== 'Stream/Output/Audio' || node.props['headroom.node'] !== undefined) continue;
    const client = clientOf(model, node)?.props;
    out.push({
      nodeId: node.id,
      serial: node.serial,
      nodeName: String(node.props['node.name'] ?? ''),
      app: lookup('application.name', node.props, client) ?? String(node.props['node.name'] ?? `node ${node.id}`),
      binary: lookup('application.process.binary', node.props, client),
      appId: lookup('application.id', node.props, client),
      pid: pidOf(lookup('application.process.id', node.props, client) ?? node.props['application.process.id'] ?? client?.['application.process.id']),
      mediaName: text(node.props['media.name']),
      dontReconnect: truthy(node.props['node.dont-reconnect']),
      excluded: exclusionReason(node),
    });
  }
  return out;
}

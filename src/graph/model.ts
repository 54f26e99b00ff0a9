// The PipeWire graph as pw-dump describes it, kept up to date batch by batch. Pure: it
// never talks to PipeWire. Identity is `object.serial`: node ids are reused within
// seconds, so an id that comes back with another serial is a new object.
export type Props = Readonly<Record<string, unknown>>;

export interface GraphNode {
  id: number;
  serial: number;
  props: Props;
  state?: string;
  /** info.params as pw-dump shows them (Props, Format, …) */
  params: Readonly<Record<string, readonly unknown[]>>;
}

export interface GraphPort {
  id: number;
  serial: number;
  nodeId: number;
  direction: 'input' | 'output';
  channel?: string;
  monitor: boolean;
  /** port.name */
  name?: string;
}

export interface GraphLink {
  id: number;
  serial: number;
  outputNode: number;
  outputPort: number;
  inputNode: number;
  inputPort: number;
  state?: string;
}

export interface GraphClient {
  id: number;
  serial: number;
  props: Props;
}

export interface MetadataEntry {
  subject: number;
  key: string;
  type?: string;
  value: unknown;
}

export interface GraphMetadata {
  id: number;
  serial: number;
  name: string;
  entries: readonly MetadataEntry[];
}

export type ObjectKind = 'node' | 'port' | 'link' | 'client' | 'metadata';

export type GraphChange =
  | { kind: 'added'; object: ObjectKind; id: number; serial: number }
  | { kind: 'changed'; object: ObjectKind; id: number; serial: number }
  | { kind: 'removed'; object: ObjectKind; id: number; serial: number };

const TYPES: Readonly<Record<string, ObjectKind>> = {
  'PipeWire:Interface:Node': 'node',
  'PipeWire:Interface:Port': 'port',
  'PipeWire:Interface:Link': 'link',
  'PipeWire:Interface:Client': 'client',
  'PipeWire:Interface:Metadata': 'metadata',
};

type Raw = Record<string, unknown>;

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export class GraphModel {
  readonly nodes = new Map<number, GraphNode>();
  readonly ports = new Map<number, GraphPort>();
  readonly links = new Map<number, GraphLink>();
  readonly clients = new Map<number, GraphClient>();
  readonly metadata = new Map<number, GraphMetadata>();

  /** Applies one pw-dump batch; returns what changed. Malformed entries are skipped. */
  apply(objects: readonly unknown[]): GraphChange[] {
    const changes: GraphChange[] = [];
    for (const o of objects) {
      if (!isObject(o)) continue;
      const id = num(o.id);
      if (id === undefined) continue;
      if (o.info === null && o.type === undefined) {
        const gone = this.remove(id);
        if (gone) changes.push({ kind: 'removed', ...gone });
        continue;
      }
      const kind = TYPES[str(o.type) ?? ''];
      if (!kind) continue;
      const parsed = parse(kind, id, o);
      if (!parsed) continue;
      const map = this.mapOf(kind) as Map<number, { serial: number }>;
      const before = map.get(id);
      if (before && before.serial !== parsed.serial) {
        // the id was reused: the old object is gone
        this.remove(id);
        changes.push({ kind: 'removed', object: kind, id, serial: before.serial });
      }
      const existed = map.has(id);
      map.set(id, parsed);
      changes.push({ kind: existed ? 'changed' : 'added', object: kind, id, serial: parsed.serial });
    }
    return changes;
  }

  nodeBySerial(serial: number): GraphNode | undefined {
    for (const n of this.nodes.values()) if (n.serial === serial) return n;
    return undefined;
  }

  nodeByName(name: string): GraphNode | undefined {
    for (const n of this.nodes.values()) if (n.props['node.name'] === name) return n;
    return undefined;
  }

  // The lookups below run for every stream on every graph change: they loop over the maps
  // rather than copy them into arrays first (the daemon's memory is sized by what it allocates).

  /** Ports of a node in one direction (monitor ports left out), by audio channel. */
  portsOf(nodeId: number, direction: 'input' | 'output'): GraphPort[] {
    const out: GraphPort[] = [];
    for (const p of this.ports.values()) if (p.nodeId === nodeId && p.direction === direction && !p.monitor) out.push(p);
    return out;
  }

  linksFrom(nodeId: number): GraphLink[] {
    const out: GraphLink[] = [];
    for (const l of this.links.values()) if (l.outputNode === nodeId) out.push(l);
    return out;
  }

  linksTo(nodeId: number): GraphLink[] {
    const out: GraphLink[] = [];
    for (const l of this.links.values()) if (l.inputNode === nodeId) out.push(l);
    return out;
  }

  metadataNamed(name: string): GraphMetadata | undefined {
    for (const m of this.metadata.values()) if (m.name === name) return m;
    return undefined;
  }

  private mapOf(kind: ObjectKind): Map<number, unknown> {
    switch (kind) {
      case 'node': return this.nodes;
      case 'port': return this.ports;
      case 'link': return this.links;
      case 'client': return this.clients;
      case 'metadata': return this.metadata;
    }
  }

  private remove(id: number): { object: ObjectKind; id: number; serial: number } | undefined {
    for (const kind of Object.values(TYPES)) {
      const map = this.mapOf(kind) as Map<number, { serial: number }>;
      const o = map.get(id);
      if (o) {
        map.delete(id);
        return { object: kind, id, serial: o.serial };
      }
    }
    return undefined;
  }
}

function parse(kind: ObjectKind, id: number, o: Raw): GraphNode | GraphPort | GraphLink | GraphClient | GraphMetadata | undefined {
  const info = isObject(o.info) ? o.info : {};
  const props: Raw = isObject(info.props) ? info.props : isObject(o.props) ? o.props : {};
  const serial = num(props['object.serial']);
  if (serial === undefined) return undefined;
  switch (kind) {
    case 'node': {
      const params: Record<string, readonly unknown[]> = {};
      if (isObject(info.params)) for (const [k, v] of Object.entries(info.params)) if (Array.isArray(v)) params[k] = v;
      return { id, serial, props, state: str(info.state), params };
    }
    case 'port': {
      const nodeId = num(props['node.id']);
      const direction = str(info.direction);
      if (nodeId === undefined || (direction !== 'input' && direction !== 'output')) return undefined;
      return { id, serial, nodeId, direction, channel: str(props['audio.channel']), monitor: props['port.monitor'] === true, name: str(props['port.name']) };
    }
    case 'link': {
      const ends = ['output-node-id', 'output-port-id', 'input-node-id', 'input-port-id'].map((k) => num(info[k]));
      if (ends.some((e) => e === undefined)) return undefined;
      const [outputNode, outputPort, inputNode, inputPort] = ends as [number, number, number, number];
      return { id, serial, outputNode, outputPort, inputNode, inputPort, state: str(info.state) };
    }
    case 'client':
      return { id, serial, props };
    case 'metadata': {
      const entries: MetadataEntry[] = [];
      if (Array.isArray(o.metadata))
        for (const e of o.metadata)
          if (isObject(e) && num(e.subject) !== undefined && str(e.key) !== undefined)
            entries.push({ subject: num(e.subject) as number, key: str(e.key) as string, type: str(e.type), value: e.value });
      return { id, serial, name: str(props['metadata.name']) ?? '', entries };
    }
  }
}

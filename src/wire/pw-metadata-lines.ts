// Lines of `pw-metadata --monitor` (PipeWire 0.3.65) as changes:
//   update: id:0 key:'default.audio.sink' value:'{"name":"speakers"}' type:'Spa:String:JSON'
//   remove: id:0 key:'test.key'
// Values are printed between single quotes without escaping, so the value is whatever lies
// between " value:'" and the last "' type:'".
export type MetadataChange =
  | { kind: 'update'; subject: number; key: string; value: string; type: string | null }
  | { kind: 'remove'; subject: number; key: string | null };

const UPDATE = /^update: id:(\d+) key:'(.*?)' value:'(.*)' type:'(.*)'$/s;
const REMOVE = /^remove: id:(\d+)(?: key:'(.*)')?$/s;

export function parseMetadataLine(line: string): MetadataChange | undefined {
  let m = UPDATE.exec(line);
  if (m) return { kind: 'update', subject: Number(m[1]), key: m[2] ?? '', value: m[3] ?? '', type: m[4] === '(null)' ? null : (m[4] ?? null) };
  m = REMOVE.exec(line);
  if (m) return { kind: 'remove', subject: Number(m[1]), key: m[2] ?? null };
  return undefined;
}

/** node.name in a default-sink value ('{"name":"speakers"}'), or undefined. */
export function defaultNodeName(value: string): string | undefined {
  try {
    const v = JSON.parse(value) as unknown;
    return typeof v === 'object' && v !== null && typeof (v as { name?: unknown }).name === 'string' ? (v as { name: string }).name : undefined;
  } catch {
    return undefined;
  }
}

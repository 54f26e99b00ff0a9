// What WirePlumber remembers on disk, in $XDG_STATE_HOME/wireplumber/, read the way it
// writes it (read from its source, tags 0.4.13 and 0.5.8). Both versions write GKeyFile
// files: a `[name]` line, then `key=value` lines, the keys escaped by WpState (\\ \s \e \o \c
// for backslash, space, =, [, ]) and the values by GKeyFile (\\ \s \n \t \r).
//   0.4  restore-stream:    one line per field, `Output/Audio:media.role:x:target=NODE`,
//                           `...:volume=0.125`, `...:channelVolumes=1.0;1.0;`, `...:mute=false`
//   0.5  stream-properties: one line per stream, `Output/Audio:media.role:x={"volume":1.0,
//                           "channelVolumes":[...], "mute":false, "target":"NODE"}`
//   both default-nodes:     `default.configured.audio.sink=NODE` (the choice) and
//                           `default.configured.audio.sink.N=NODE` (earlier choices, newest first)
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** The saved state of one stream (by WirePlumber's key: media class, property, value). */
export interface SavedStream {
  key: string;
  target?: string;
  volume?: number;
  channelVolumes?: number[];
  mute?: boolean;
}

/** One stream-state file: restore-stream (WirePlumber 0.4) or stream-properties (0.5). */
export interface SavedStreams {
  file: string;
  streams: SavedStream[];
}

export interface SavedDefaults {
  file: string;
  /** the configured default sink (default.configured.audio.sink) */
  sink?: string;
  /** earlier configured default sinks, newest first */
  earlierSinks: string[];
}

const STREAM_STATE_FILES = ['restore-stream', 'stream-properties'] as const;

export function wireplumberStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_STATE_HOME || path.join(env.HOME || os.homedir(), '.local', 'state'), 'wireplumber');
}

const KEY_ESCAPES: Record<string, string> = { '\\': '\\', s: ' ', e: '=', o: '[', c: ']' };
const VALUE_ESCAPES: Record<string, string> = { '\\': '\\', s: ' ', n: '\n', t: '\t', r: '\r' };
const unescape = (s: string, table: Record<string, string>) => s.replace(/\\(.)/g, (m, c: string) => table[c] ?? m);

/** The key=value lines of a GKeyFile written by WpState, unescaped (comments, groups and
 * lines without `=` skipped). */
export function parseKeyFile(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('='); // an escaped key holds no '='
    if (eq <= 0 || line.startsWith('#') || line.startsWith('[')) continue;
    out.set(unescape(line.slice(0, eq).trimEnd(), KEY_ESCAPES), unescape(line.slice(eq + 1).trimStart(), VALUE_ESCAPES));
  }
  return out;
}

/** "1.0;0.5;" (0.4's array serialiser, ';' inside a value escaped as "\;") */
function parseArray(s: string): string[] {
  return (s.match(/(?:\\.|[^;])*;/g) ?? []).map((v) => v.slice(0, -1).replace(/\\(.)/g, '$1'));
}

const finite = (n: unknown): number | undefined => (typeof n === 'number' && Number.isFinite(n) ? n : undefined);

/** WirePlumber 0.4's restore-stream: one entry per `key:field`. */
export function parseRestoreStream(entries: Map<string, string>): SavedStream[] {
  const streams = new Map<string, SavedStream>();
  for (const [k, v] of entries) {
    const colon = k.lastIndexOf(':');
    if (colon <= 0) continue;
    const key = k.slice(0, colon);
    const s = streams.get(key) ?? { key };
    switch (k.slice(colon + 1)) {
      case 'target': s.target = v; break;
      case 'volume': s.volume = finite(Number(v)); break;
      case 'mute': s.mute = v === 'true'; break;
      case 'channelVolumes': s.channelVolumes = parseArray(v).map(Number); break;
      default: continue;
    }
    streams.set(key, s);
  }
  return [...streams.values()];
}

/** WirePlumber 0.5's stream-properties: one JSON object per key (an unreadable one is
 * kept as a key with no fields). */
export function parseStreamProperties(entries: Map<string, string>): SavedStream[] {
  return [...entries].map(([key, v]) => {
    let j: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(v);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) j = parsed as Record<string, unknown>;
    } catch { /* SPA JSON that is not JSON: nothing we can read */ }
    const s: SavedStream = { key };
    if (typeof j.target === 'string') s.target = j.target;
    if (finite(j.volume) !== undefined) s.volume = finite(j.volume);
    if (typeof j.mute === 'boolean') s.mute = j.mute;
    if (Array.isArray(j.channelVolumes)) s.channelVolumes = j.channelVolumes.map(Number);
    return s;
  });
}

/** default-nodes (the same in 0.4 and 0.5): the configured sink and the earlier ones. */
export function parseDefaultNodes(entries: Map<string, string>): Omit<SavedDefaults, 'file'> {
  const earlier = [...entries]
    .map(([k, v]) => ({ n: /^default\.configured\.audio\.sink\.(\d+)$/.exec(k)?.[1], v }))
    .filter((e) => e.n !== undefined)
    .sort((a, b) => Number(a.n) - Number(b.n))
    .map((e) => e.v);
  const sink = entries.get('default.configured.audio.sink');
  return { ...(sink ? { sink } : {}), earlierSinks: earlier };
}

async function readEntries(file: string): Promise<Map<string, string> | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : parseKeyFile(text);
}

/** Every stream-state file there is (a user who upgraded from 0.4 may have both). */
export async function readSavedStreams(env: NodeJS.ProcessEnv = process.env): Promise<SavedStreams[]> {
  const out: SavedStreams[] = [];
  for (const name of STREAM_STATE_FILES) {
    const file = path.join(wireplumberStateDir(env), name);
    const entries = await readEntries(file);
    if (entries) out.push({ file, streams: name === 'restore-stream' ? parseRestoreStream(entries) : parseStreamProperties(entries) });
  }
  return out;
}

export async function readSavedDefaults(env: NodeJS.ProcessEnv = process.env): Promise<SavedDefaults> {
  const file = path.join(wireplumberStateDir(env), 'default-nodes');
  return { file, ...parseDefaultNodes((await readEntries(file)) ?? new Map()) };
}

/** The key WirePlumber saves a stream's state under (its formKey / findSuitableKey): the
 * media class without "Stream/", then the first of these properties the node has. */
export function streamStateKey(props: Record<string, unknown>): string | undefined {
  const mediaClass = props['media.class'];
  if (typeof mediaClass !== 'string') return undefined;
  for (const p of ['media.role', 'application.id', 'application.name', 'media.name', 'node.name']) {
    const v = props[p];
    if (v !== undefined && v !== null) return `${mediaClass.replace(/^Stream\//, '')}:${p}:${String(v)}`;
  }
  return undefined;
}

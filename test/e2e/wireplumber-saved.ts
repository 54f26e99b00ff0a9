// What the private WirePlumber saved for the next run, in whichever file its version writes
// (0.4: restore-stream, 0.5: stream-properties), and which of it is about headroom's own nodes.
import path from 'node:path';
import { expect } from 'vitest';
import type { PrivatePipewire } from '../../src/orchestrator/sandbox/private-pipewire.js';
import { readSavedStreams, type SavedStream } from '../../src/orchestrator/pipewire/wireplumber-state.js';

/** The one stream-state file of this WirePlumber (a private state dir holds only its own). */
export async function savedStreams(pw: PrivatePipewire): Promise<{ file: 'restore-stream' | 'stream-properties'; streams: SavedStream[] }> {
  const files = await readSavedStreams(pw.env);
  expect(files.map((f) => path.basename(f.file))).toHaveLength(1);
  return { file: path.basename(files[0]!.file) as 'restore-stream' | 'stream-properties', streams: files[0]!.streams };
}

/** headroom's own nodes as WirePlumber keys them: its streams by application.name, the bus sink by node.name. */
const ownKeys = (streams: SavedStream[]) =>
  streams.map((s) => s.key).filter((k) => /:application\.name:headroom$/.test(k) || /:node\.name:headroom-/.test(k)).sort();

/** WirePlumber 0.4 reads state.restore-props / state.restore-target only from its Lua rules,
 * never from a node's properties, and saves every stream; headroom's own nodes are no
 * streams (the bus sink carries device routes, the engine node has no media class), so
 * neither version keeps anything of them.
 * After headroom stopped: WirePlumber remembers no target and no changed volume for any
 * stream, and nothing of headroom's own nodes. */
export function expectLeftAsFound(saved: Awaited<ReturnType<typeof savedStreams>>): void {
  const { file, streams } = saved;
  expect(streams.filter((s) => s.key.startsWith('Output/Audio:')).length).toBeGreaterThan(0); // it did save the apps' state
  expect(streams.filter((s) => s.target !== undefined)).toEqual([]);
  expect(streams.filter((s) => s.volume !== undefined && Math.abs(s.volume - 1) > 1e-6)).toEqual([]);
  expect(streams.filter((s) => s.channelVolumes?.some((v) => Math.abs(v - 1) > 1e-6))).toEqual([]);
  expect(ownKeys(streams), file).toEqual([]);
}

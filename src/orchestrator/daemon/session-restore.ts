// Undo what a killed daemon left in the session, from its journal: delete the
// target.object keys it set on streams that still exist (the same object.serial, and the
// key still naming the bus), take Layer A's gains off them and put back the volumes set while failed safe, give back the default sink it promoted itself to, and remove
// the lingering bus sink when asked to. Then tell what WirePlumber still remembers of the
// bus (0.4's restore-stream or 0.5's stream-properties) for apps with no stream now: only a
// live stream's target can be cleared through PipeWire, so that is doctor's to point out.
import { unlink } from 'node:fs/promises';
import { GraphModel } from '../../graph/model.js';
import { parseDumpOnce } from '../../wire/pw-dump-stream.js';
import { socketPath } from '../control/control-paths.js';
import { run } from '../process/exec.js';
import { createLogger, type Logger } from '../process/log.js';
import { demote } from '../pipewire/auto-promote.js';
import { currentVolume, setChannelVolumesArgv, setVolumeArgv, softGainLeft } from './layer-a.js';
import { readJournal, removeJournal } from '../state/route-journal.js';
import { BUS_SINK } from '../../wire/node-names.js';
import { readSavedStreams, streamStateKey } from '../pipewire/wireplumber-state.js';
import type { RestoreResult } from '../../wire/command-outputs.js';


export async function restoreSession(o: {
  model: GraphModel;
  tool: (argv: readonly string[]) => Promise<string>;
  env: NodeJS.ProcessEnv;
  log: Logger;
  removeSink: boolean;
}): Promise<RestoreResult> {
  const j = await readJournal(o.env);
  let cleared = 0;
  const targets = o.model.metadataNamed('default')?.entries ?? [];
  for (const t of j?.targets ?? []) {
    const node = o.model.nodes.get(t.nodeId);
    if (!node || node.serial !== t.serial) continue; // gone, or the id now belongs to another stream
    const key = targets.find((e) => e.subject === t.nodeId && e.key === 'target.object');
    if (key && key.value !== BUS_SINK) continue; // someone else moved it since: leave it alone
    await o.tool(['pw-metadata', '-d', String(t.nodeId), 'target.object']);
    cleared++;
    o.log.info(`restored ${JSON.stringify(t.app)} (serial ${t.serial}) left by headroom pid ${j?.pid}`);
  }
  let volumes = 0;
  for (const v of j?.volumes ?? []) {
    const node = o.model.nodes.get(v.nodeId);
    if (!node || node.serial !== v.serial) continue; // gone
    if (v.soft) {
      // Layer A's gain in its softVolumes: the user's own channelVolumes again, which the converter follows
      const channels = softGainLeft(o.model, v.nodeId);
      if (!channels) continue;
      await o.tool(setChannelVolumesArgv(v.nodeId, channels));
    } else {
      if (Math.abs(currentVolume(o.model, v.nodeId) - v.volume) < 1e-4) continue; // never turned
      await o.tool(setVolumeArgv(v.nodeId, v.volume));
    }
    volumes++;
    o.log.info(`gave ${JSON.stringify(v.app)} (serial ${v.serial}) its own volume back`);
  }
  // --auto-promote left headroom-processed as the default: give the user's choice back
  const defaultRestored = j?.promotedFrom !== undefined ? await demote(o.tool, j.promotedFrom) : false;
  let sinkRemoved = false;
  const sink = o.model.nodeByName(BUS_SINK);
  if (o.removeSink && sink) {
    await o.tool(['pw-cli', 'destroy', String(sink.id)]);
    sinkRemoved = true;
  }
  if (j) await removeJournal(o.env);
  const playing = new Set([...o.model.nodes.values()].map((n) => streamStateKey(n.props)));
  const rememberedTargets = (await readSavedStreams(o.env)).flatMap((f) => f.streams).filter((s) => s.target === BUS_SINK && !playing.has(s.key)).map((s) => s.key);
  return { journalFound: j !== undefined, ...(j ? { journalPid: j.pid } : {}), targetsCleared: cleared, volumesRestored: volumes, defaultRestored, sinkRemoved, rememberedTargets };
}

/** `stop --restore` with no daemon: what a killed one left undone, its bus sink and its
 * socket removed (nobody answers on it). */
export async function restoreWithoutDaemon(env: NodeJS.ProcessEnv = process.env): Promise<RestoreResult & { staleSocketRemoved: boolean }> {
  const tool = (argv: readonly string[]) => run(argv, { env, timeoutMs: 5000 });
  const model = new GraphModel();
  model.apply(parseDumpOnce(await tool(['pw-dump'])));
  const r = await restoreSession({ model, tool, env, log: createLogger('warn'), removeSink: true });
  const staleSocketRemoved = await unlink(socketPath(env)).then(() => true, () => false);
  return { ...r, staleSocketRemoved };
}

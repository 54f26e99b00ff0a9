// What headroom changed in the user's session, on disk while the daemon runs
// ($XDG_RUNTIME_DIR/headroom/journal.json, written atomically): the streams it gave a
// target.object, and the volumes of the streams Layer A turned down. A daemon killed before it could clean up leaves it behind; the next
// `start`, or `stop --restore`, reads it and undoes exactly that.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomicSync } from './atomic-file.js';
import { runtimeDir } from '../control/control-paths.js';

/** The user's configured default sink before --auto-promote (null: it was unset). */
export type PreviousDefault = { value: string; type: string | null } | null;

/** A stream headroom changed the volume of: either Layer A's gain in its softVolumes (the
 * user's volumes untouched: giving back means the softVolumes its user's volumes make), or
 * its Props.volume as it was before a fail-safe turned it down. */
export type SavedVolume = SoftVolume | FailSafeVolume;
export interface SoftVolume { nodeId: number; serial: number; app: string; soft: true }
export interface FailSafeVolume { nodeId: number; serial: number; app: string; soft?: false; volume: number }

export interface JournalEntry {
  nodeId: number;
  serial: number;
  app: string;
}

export interface Journal {
  pid: number;
  startedAt: number;
  targets: JournalEntry[];
  /** the streams whose volumes headroom changed */
  volumes?: SavedVolume[];
  /** with --auto-promote: the user's configured default sink before (null: it was unset) */
  promotedFrom?: PreviousDefault;
}

export function journalPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(runtimeDir(env), 'journal.json');
}

/** Written before every metadata write: it must survive a killed daemon, not a reboot (the
 * runtime dir and PipeWire's state are gone then), so it is not fsynced. */
export function writeJournal(j: Journal, env: NodeJS.ProcessEnv = process.env): void {
  writeFileAtomicSync(journalPath(env), JSON.stringify(j));
}

/** The journal left on disk, or undefined when there is none (or it is unreadable). */
export async function readJournal(env: NodeJS.ProcessEnv = process.env): Promise<Journal | undefined> {
  try {
    const j = JSON.parse(await readFile(journalPath(env), 'utf8')) as Journal;
    if (typeof j.pid !== 'number' || !Array.isArray(j.targets)) return undefined;
    j.targets = j.targets.filter((t) => Number.isInteger(t.nodeId) && Number.isInteger(t.serial));
    j.volumes = (Array.isArray(j.volumes) ? j.volumes : []).filter((v) => Number.isInteger(v.nodeId) && Number.isInteger(v.serial) && (v.soft === true || (typeof v.volume === 'number' && v.volume >= 0 && v.volume <= 4)));
    return j;
  } catch {
    return undefined;
  }
}

export async function removeJournal(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  await rm(journalPath(env), { force: true });
}

// The daemon's status for `headroom status` (both the fast path and the oclif command):
// the answer and its exit code (4 while sound cannot flow); with no daemon, whether a
// killed one left apps routed to a bus that is gone, and how to give them back.
import { existsSync } from 'node:fs';
import { EXIT_NOT_RUNNING, EXIT_UNHEALTHY, HeadroomError } from '../errors.js';
import { request } from '../orchestrator/control/control-client.js';
import { socketPath } from '../orchestrator/control/control-paths.js';
import type { DaemonStatus } from '../wire/control-protocol.js';
import { readJournal } from '../orchestrator/state/route-journal.js';

/** 0, or 4 while sound cannot flow. */
export const statusExitCode = (s: DaemonStatus) => (s.health.state === 'ok' ? 0 : EXIT_UNHEALTHY);

export async function queryStatus(env: NodeJS.ProcessEnv = process.env): Promise<DaemonStatus> {
  try {
    return await request('status', {}, env);
  } catch (e) {
    if (e instanceof HeadroomError && e.code === 'not_running') throw await notRunning(e, env);
    throw e;
  }
}

/** "Not running", and what a killed daemon left: its journal, its socket. */
async function notRunning(e: HeadroomError, env: NodeJS.ProcessEnv): Promise<HeadroomError> {
  const j = await readJournal(env);
  if (j === undefined && !existsSync(socketPath(env))) return e;
  const left = j
    ? `a killed headroom (pid ${j.pid}) left ${j.targets.length} app(s) routed to its bus${j.volumes?.length ? ` and ${j.volumes.length} volume(s) turned down` : ''}`
    : 'a killed headroom left its socket behind';
  return new HeadroomError('not_running', `the daemon is not running, and ${left}: apps may be silent`, { hint: 'Give everything back: headroom stop --restore', exitCode: EXIT_NOT_RUNNING });
}

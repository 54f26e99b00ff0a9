// `headroom start` without loading oclif, for the arguments bin/run.js understood itself
// (start-flags.ts): the same daemon, the same errors and exit codes.
import { runDaemon } from '../orchestrator/daemon/daemon.js';
import { reportError } from './error-output.js';
import type { StartOptions } from './start-flags.js';

export async function fastStart(o: StartOptions): Promise<void> {
  try {
    await runDaemon(o);
  } catch (e) {
    reportError(e as Error, false, 'start');
  }
}

// `headroom monitor` on a terminal: the full-screen view. The command calls it, and so does
// bin/run.js for a bare `headroom monitor` without loading oclif (a screen left open for
// hours pays for every module it loads, in memory, for as long as it runs).
import { HeadroomError } from '../errors.js';
import { reportError } from './error-output.js';
import { connectMonitor } from './monitor-feed.js';

export async function liveMonitor(topics: string[]): Promise<void> {
  const first = await connectMonitor(topics);
  if (!(process.stdout.isTTY && process.stdin.isTTY)) {
    first.sub.close();
    throw new HeadroomError('usage', 'the live view needs a terminal, and this is not one', { hint: 'In a pipe or a script: headroom monitor --json (the events as NDJSON)' });
  }
  // ink draws nothing until it exits when it believes it runs under CI (CI=1 and the
  // like, read once when ink loads); a person at a terminal wants the live screen
  for (const k of ['CI', 'CONTINUOUS_INTEGRATION']) if (k in process.env) process.env[k] = 'false';
  const { runMonitorTui } = await import('../ui/run-monitor.js');
  await runMonitorTui({ first, topics, reconnect: () => connectMonitor(topics), color: !process.env.NO_COLOR });
}

/** A bare `headroom monitor` from bin/run.js: the same screen, errors and exit codes. */
export async function fastMonitor(): Promise<void> {
  try {
    await liveMonitor(['*']);
  } catch (e) {
    reportError(e as Error, false, 'monitor');
  }
}

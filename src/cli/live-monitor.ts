// `headroom monitor` on a terminal: the full-screen view. The command calls it, and so does
// bin/run.js for a bare `headroom monitor` without loading oclif (a screen left open for
// hours pays for every module it loads, in memory, for as long as it runs).
import { setFlagsFromString } from 'node:v8';
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
  // like, read once when ink loads); a person at a terminal wants the live screen. DEV=true
  // would have ink load React's devtools, a developer's tool the bundle leaves out
  for (const k of ['CI', 'CONTINUOUS_INTEGRATION', 'DEV']) if (k in process.env) process.env[k] = 'false';
  // the screen's young generation keeps the 1 MiB semi-spaces it starts with (bin/run.js's
  // flags let them grow to 4 MiB, which the daemon needs): left open and idle it weighs
  // 70–74 MiB instead of 73–91, at 0.9–1.6 % of a core instead of 0.5–1.5 (bench:monitor,
  // Debian 12, before the screen was bundled). V8 reads the flag at each growth, so setting
  // it here, before the screen loads, takes effect
  setFlagsFromString('--semi-space-growth-factor=1');
  // the screen and its libraries as one module (scripts/bundle.mjs, made by the build)
  const bundle = new URL('../monitor.bundle.js', import.meta.url).href;
  const { runMonitorTui } = (await import(bundle)) as typeof import('../ui/run-monitor.js');
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

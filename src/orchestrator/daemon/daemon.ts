// `headroom start`: the control socket, the running profile (hot-reloaded) and a Session
// on PipeWire, run until SIGTERM/SIGINT/SIGHUP/`stop` (or an internal error). When PipeWire goes away the session is
// opened again once it is back (with backoff); on stop the user's session is left as
// found: volumes and targets given back, the default sink restored, the sink destroyed.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Request, Topic } from '../../wire/control-protocol.js';
import { CONTROL_PROTOCOL } from '../../wire/control-protocol.js';
import { VERSION } from '../../version.js';
import { ActiveProfile, type ProfileEvent } from '../profiles/active-profile.js';
import { ControlServer } from '../control/control-server.js';
import { handleOp, type DaemonContext } from './daemon-ops.js';
import { run } from '../process/exec.js';
import { createLogger, type LogLevel } from '../process/log.js';
import { Session } from './session.js';
import { AppGains } from '../state/app-gains.js';
import { loadUserRules } from '../state/user-rules.js';
import type { Publish } from '../../wire/control-protocol.js';

export interface DaemonOptions {
  /** the profile to run; default: the one chosen last (`profile use`), else "default" */
  profile?: string;
  sink?: string;
  /** make headroom-processed the default sink while running */
  autoPromote?: boolean;
  logLevel: LogLevel;
  env?: NodeJS.ProcessEnv;
}

/** After PipeWire went away, try again this often (doubling up to the max). */
const RECONNECT_FIRST_MS = 250;
/** How long after its processes end a stop still counts as the cause (Ctrl-C to the group). */
const SAME_SIGNAL_MS = 300;
const RECONNECT_MAX_MS = 5000;

/** Every way a daemon is told to end hands everything back first: systemd's SIGTERM, Ctrl-C,
 * the terminal closing (SIGHUP; its stderr then fails with EIO, which must not kill us),
 * and an error of our own (logged, then a clean stop, exit 1). */
function handEverythingBackOnExit(ctx: DaemonContext, log: ReturnType<typeof createLogger>): void {
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => ctx.requestStop(sig));
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  const internal = (e: unknown) => {
    process.exitCode = 1;
    log.error(`internal error, stopping: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    ctx.requestStop('internal error');
  };
  process.on('uncaughtException', internal);
  process.on('unhandledRejection', internal);
}

export async function runDaemon(o: DaemonOptions): Promise<void> {
  const env = o.env ?? process.env;
  const log = createLogger(o.logLevel);
  const tool = (argv: readonly string[]) => run(argv, { env, timeoutMs: 5000 });
  // events go out through the control socket once it listens (the profile reports before that)
  const out: { control?: ControlServer } = {};
  let session: Session | undefined;
  const publish: Publish = (topic, data) => out.control?.publish(topic, data);
  const listens = (topic: Topic) => out.control?.listens(topic) ?? false;
  const onProfile = (e: ProfileEvent) => {
    if (e.kind === 'reload_failed') {
      log.warn(`profile ${e.profile} not reloaded: ${e.file}${e.line ? `:${e.line}` : ''}: ${e.reason}; the running profile stays`);
      publish('profile/reload_failed', { profile: e.profile, file: e.file, line: e.line ?? null, reason: e.reason });
      return;
    }
    if (e.changed.length > 0 || e.reason !== 'set') log.info(`profile ${e.profile} (${e.reason}): ${e.changed.length ? e.changed.join(', ') : 'no value changed'}`);
    publish('profile/changed', { profile: e.profile, reason: e.reason, changed: e.changed });
    void session?.applyProfile(e.changed);
  };
  const profile = await ActiveProfile.open({ profile: o.profile, env, onEvent: onProfile });
  let stopRequested: ((why: string) => void) | undefined;
  const stopped = new Promise<string>((resolve) => (stopRequested = resolve));
  const ctx: DaemonContext = {
    env, log, profile, publish,
    startedAt: Date.now(),
    userRules: await loadUserRules(env),
    gains: await AppGains.load(env, (e) => log.warn(`cannot save the apps' gains: ${e.message}`)),
    session: () => session,
    bypass: false,
    requestStop: (why) => stopRequested?.(why),
  };

  // first: a second daemon is refused before it touches anything
  const control = (out.control = await ControlServer.listen(
    env,
    () => ({ type: 'hello', protocol: CONTROL_PROTOCOL, version: VERSION, pid: process.pid, profile: profile.name }),
    (req: Request) => handleOp(ctx, req),
  ));
  const open = () =>
    Session.open({
      env, log, tool, sink: o.sink, autoPromote: o.autoPromote ?? false,
      profile: () => profile.profile, userRules: ctx.userRules, memory: ctx.gains, bypass: () => ctx.bypass, startedAt: ctx.startedAt, publish, listens,
      onOutputChanged: (sink) => void profile.followDevice(sink).catch((e: Error) => log.warn(`device profile: ${e.message}`)),
    });
  try {
    session = await open();
    await profile.watch();
  } catch (e) {
    await session?.close();
    await profile.close();
    await control.close();
    throw e;
  }
  handEverythingBackOnExit(ctx, log);
  publish('daemon/started', { pid: process.pid, version: VERSION, profile: profile.name });

  // run until told to stop; a lost PipeWire is waited for and the session opened again
  let why: string | undefined;
  let handBackAnyway = false;
  while (why === undefined && session !== undefined) {
    const current: Session = session;
    const ended = await Promise.race([stopped.then((w) => ({ stop: w })), current.lost.then((l) => ({ lost: l }))]);
    if ('stop' in ended) {
      why = ended.stop;
      break;
    }
    // Ctrl-C reaches the whole process group: pw-dump and the engine die of the same signal,
    // and their end can be seen before the daemon's own handler runs. PipeWire is still there
    // then, and everything is handed back as on any stop
    const sameSignal = await Promise.race([stopped, sleep(SAME_SIGNAL_MS).then(() => undefined)]);
    if (sameSignal !== undefined) {
      why = sameSignal;
      handBackAnyway = true;
      break;
    }
    log.warn(`${ended.lost}; reconnecting when PipeWire is back`);
    publish('daemon/error', { what: 'pipewire lost', message: ended.lost });
    await current.close();
    session = undefined;
    for (let delay = RECONNECT_FIRST_MS; why === undefined && session === undefined; delay = Math.min(RECONNECT_MAX_MS, delay * 2)) {
      const w = await Promise.race([stopped, sleep(delay).then(() => undefined)]);
      if (w !== undefined) why = w;
      else session = await open().catch((e: Error) => (log.debug(`not yet: ${e.message}`), undefined));
    }
    if (session) log.info('PipeWire is back: sink, engine and routes recreated');
  }
  log.info(`stopping (${why})`);
  publish('daemon/shutdown', { reason: why ?? 'stopped' });
  const restored = (await session?.close(handBackAnyway)) ?? 0;
  await ctx.gains.flush();
  await profile.close();
  await control.close();
  log.info(`stopped: ${restored} stream(s) handed back`);
}

// `headroom start`: the graph watcher, the filter-host supervisor and the router, run
// until SIGTERM/SIGINT; then the session is put back as it was: target.object keys
// deleted while the streams still exist, the filter-host ended, the lingering sink
// destroyed.
import { setTimeout as sleep } from 'node:timers/promises';
import { HeadroomError } from '../errors.js';
import { VERSION } from '../version.js';
import { CONTROL_PROTOCOL } from '../wire/control-protocol.js';
import { ControlError, ControlServer } from './control-server.js';
import { demote, promote, readConfiguredDefault, type PreviousDefault } from './auto-promote.js';
import { DefaultSinkWatcher } from './default-sink-watcher.js';
import { buildStatus } from './daemon-status.js';
import type { GraphModel } from '../graph/model.js';
import { decideRoute } from '../policy/routing.js';
import type { Route } from '../profile/schema.js';
import { SETTINGS_BY_KEY } from '../profile/schema.js';
import type { Command } from '../wire/filter-host-protocol.js';
import { run } from './exec.js';
import { FilterHostSupervisor } from './filter-host-supervisor.js';
import { GraphWatcher } from './graph-watcher.js';
import { createLogger, type LogLevel } from './log.js';
import { loadProfile } from './profile-files.js';
import { removeJournal, writeJournal } from './route-journal.js';
import { BUS_SINK, Router } from './router.js';
import { restoreSession } from './session-restore.js';
import { loadUserRules, MAX_APP_LENGTH, ruleKey, saveUserRules } from './user-rules.js';
import { ROUTES } from '../profile/schema.js';

export interface DaemonOptions {
  profile: string;
  sink?: string;
  /** make headroom-processed the default sink while running */
  autoPromote?: boolean;
  logLevel: LogLevel;
  env?: NodeJS.ProcessEnv;
}

/** The user's output: default.configured.audio.sink, else default.audio.sink; never the bus. */
export function preferredSink(model: GraphModel): string | undefined {
  const entries = model.metadataNamed('default')?.entries ?? [];
  for (const key of ['default.configured.audio.sink', 'default.audio.sink']) {
    const e = entries.find((x) => x.subject === 0 && x.key === key);
    const name = sinkName(e?.value);
    if (name && name !== BUS_SINK && model.nodeByName(name)) return name;
  }
  for (const n of model.nodes.values()) if (n.props['media.class'] === 'Audio/Sink' && n.props['node.name'] !== BUS_SINK) return String(n.props['node.name']);
  return undefined;
}

function sinkName(value: unknown): string | undefined {
  const v = typeof value === 'string' ? (() => { try { return JSON.parse(value) as unknown; } catch { return undefined; } })() : value;
  return typeof v === 'object' && v !== null && typeof (v as { name?: unknown }).name === 'string' ? (v as { name: string }).name : undefined;
}

export async function runDaemon(o: DaemonOptions): Promise<void> {
  const env = o.env ?? process.env;
  const log = createLogger(o.logLevel);
  const profile = await loadProfile(o.profile, env);
  const tool = (argv: readonly string[]) => run(argv, { env, timeoutMs: 5000 });
  const startedAt = Date.now();
  let bypass = false;
  const userRules = await loadUserRules(env);
  let requestStop: (why: string) => void = () => undefined;
  // filled in as they start; the control socket answers from whatever is there
  const parts: { supervisor?: FilterHostSupervisor; router?: Router; watcher?: GraphWatcher } = {};

  // first: a second daemon is refused before it touches anything
  const control = await ControlServer.listen(
    env,
    () => ({ type: 'hello', protocol: CONTROL_PROTOCOL, version: VERSION, pid: process.pid, profile: profile.name }),
    async (req) => {
      switch (req.op) {
        case 'status':
          return buildStatus({
            pid: process.pid, version: VERSION, startedAt, now: Date.now(), profile: profile.name, bypass,
            processedSink: parts.watcher?.model.nodeByName(BUS_SINK) ? BUS_SINK : null,
            preferredSink: parts.supervisor?.target ?? null,
            filterHost: { state: parts.supervisor?.state ?? 'starting', restarts: parts.supervisor?.restarts ?? 0 },
            routed: parts.router?.routed.values() ?? [],
            meter: parts.supervisor?.current?.lastMeter,
          });
        case 'route.list':
          return {
            streams: [...(parts.router?.routed.values() ?? [])].map((r) => ({ serial: r.stream.serial, app: r.stream.app, route: r.decision.route, rule: r.decision.rule })),
            rules: [...userRules].map(([app, route]) => ({ app, route })),
          };
        case 'route.set':
        case 'route.unset': {
          const app = req.params.app;
          if (typeof app !== 'string' || app.length === 0 || app.length > MAX_APP_LENGTH)
            throw new ControlError('bad_params', `${req.op} needs "app": a name of 1 to ${MAX_APP_LENGTH} characters`);
          if (req.op === 'route.set') {
            const route = req.params.route;
            if (typeof route !== 'string' || !(ROUTES as readonly string[]).includes(route)) throw new ControlError('bad_params', `"route" must be one of ${ROUTES.join(', ')}`);
            userRules.delete(ruleKey(userRules, app));
            userRules.set(app, route as Route);
          } else if (!userRules.delete(ruleKey(userRules, app))) {
            throw new ControlError('not_found', `no route rule for ${JSON.stringify(app)}`);
          }
          await saveUserRules(userRules, env);
          parts.router?.rerouteAll();
          log.info(`route rule ${req.op === 'route.set' ? `set: ${JSON.stringify(app)} -> ${String(req.params.route)}` : `removed: ${JSON.stringify(app)}`}`);
          return { rules: [...userRules].map(([a, route]) => ({ app: a, route })) };
        }
        case 'bypass.set': {
          if (typeof req.params.on !== 'boolean') throw new ControlError('bad_params', 'bypass.set needs {"on": true|false}');
          bypass = req.params.on;
          await parts.supervisor?.send({ kind: 'bypass', on: bypass });
          log.info(`bypass ${bypass ? 'on' : 'off'}`);
          return { bypass };
        }
        case 'shutdown':
          setImmediate(() => requestStop('shutdown requested'));
          return { stopping: true };
      }
    },
  );

  const watcher = (parts.watcher = new GraphWatcher(env));
  try {
    await watcher.ready;
  } catch (e) {
    await control.close();
    throw new HeadroomError('command_failed', `cannot read the PipeWire graph: ${(e as Error).message}`, { hint: 'Is PipeWire running? Try: systemctl --user start pipewire wireplumber', exitCode: 1 });
  }
  // a daemon killed earlier may have left targets behind: undo them before routing anew
  const leftover = await restoreSession({ model: watcher.model, tool, env, log, removeSink: false });
  if (leftover.journalFound) log.warn(`a previous headroom was killed: cleared ${leftover.targetsCleared} stream target(s) it left`);
  const target = o.sink ?? preferredSink(watcher.model);
  if (!target) await control.close();
  if (!target) throw new HeadroomError('command_failed', 'no output device to play to', { hint: 'Connect an audio output, or name one with --sink', exitCode: 1 });

  const dspParams = (): Command[] =>
    Object.entries(profile.settings)
      .filter(([k, v]) => typeof v === 'number' && SETTINGS_BY_KEY.get(k)?.type === 'number' && (SETTINGS_BY_KEY.get(k) as { dsp?: boolean }).dsp)
      .map(([key, value]) => ({ kind: 'setParam', key, value: value as number }));
  const supervisor = (parts.supervisor = new FilterHostSupervisor({ target, env, log, setup: () => [...dspParams(), { kind: 'bypass', on: bypass }] }));
  await supervisor.start();

  // journal first, then the default: a kill in between still finds what to give back
  let promotedFrom: PreviousDefault | undefined;
  if (o.autoPromote) {
    promotedFrom = await readConfiguredDefault(tool);
    await writeJournal({ pid: process.pid, startedAt, targets: [], promotedFrom }, env);
    await promote(tool);
    log.info(`${BUS_SINK} is the default sink while headroom runs (was ${promotedFrom?.value ?? 'unset'})`);
  }

  const fallback = (profile.settings['routing.default'] ?? 'processed') as Route;
  const router = (parts.router = new Router({
    model: watcher.model,
    tool,
    decide: (s) => decideRoute(s, userRules, profile.rules, fallback),
    preferredSink: () => supervisor.target,
    log,
    persist: (targets) => writeJournal({ pid: process.pid, startedAt, targets, promotedFrom }, env),
  }));
  let lost: string | undefined;
  const stopped = new Promise<void>((resolve) => {
    const stop = (why: string) => {
      log.info(`stopping (${why})`);
      resolve();
    };
    requestStop = stop;
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    watcher.on((e) => {
      if (e.kind === 'changes') router.onGraphChanged();
      else if (e.kind === 'problem') log.warn(`pw-dump: ${e.reason}`);
      else {
        lost = `the PipeWire connection was lost (pw-dump exited: ${e.status})`;
        stop(lost);
      }
    });
  });
  // the user switches output (headphones plugged in): the bus follows, unless --sink pinned it
  const defaults = new DefaultSinkWatcher(
    env,
    BUS_SINK,
    (name) => {
      if (!o.sink && name && watcher.model.nodeByName(name) !== undefined) void supervisor.setTarget(name).catch((e: Error) => log.warn(`cannot move the bus to ${name}: ${e.message}`));
    },
    () => log.warn('pw-metadata --monitor exited: output changes are not followed until PipeWire is back'),
  );
  log.info(`headroom running: profile ${profile.name}, playing into ${target}`);
  router.onGraphChanged();
  await stopped;

  // leave the session as found
  const restored = lost ? 0 : await router.restore().catch(() => 0);
  if (!lost && promotedFrom !== undefined) await demote(tool, promotedFrom).catch((e: Error) => log.warn(`could not restore the default sink: ${e.message}`));
  if (restored > 0) await sleep(200); // WirePlumber moves the streams back
  await supervisor.stop();
  if (!lost) {
    const sink = watcher.model.nodeByName(BUS_SINK);
    if (sink) await tool(['pw-cli', 'destroy', String(sink.id)]).catch((e: Error) => log.warn(`could not remove ${BUS_SINK}: ${e.message}`));
  }
  await defaults.stop();
  await watcher.stop();
  if (!lost) await removeJournal(env);
  await control.close();
  log.info(`stopped: ${restored} stream(s) handed back`);
  if (lost) throw new HeadroomError('command_failed', lost, { hint: 'Restart headroom once PipeWire is back (systemd does this by itself)', exitCode: 2 });
}

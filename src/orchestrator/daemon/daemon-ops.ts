// The control socket's ops (docs/architecture.md §4), answered from the daemon's parts. Every input is
// untrusted: checked here, and refused with a typed error that says what was expected.
import { HeadroomError } from '../../errors.js';
import { ROUTES, type Route } from '../../profile/schema.js';
import type { Request, Topic } from '../../wire/control-protocol.js';
import { VERSION } from '../../version.js';
import type { ActiveProfile } from '../profiles/active-profile.js';
import { ControlError } from '../control/control-server.js';
import { PIPEWIRE_GONE } from '../../policy/health.js';
import { buildStatus } from './daemon-status.js';
import type { Logger } from '../process/log.js';
import { profileListing, showProfile } from '../profiles/profile-catalogue.js';
import { loadProfile } from '../profiles/profile-files.js';
import { BUS_SINK } from '../../wire/node-names.js';
import type { Session } from './session.js';
import { MAX_APP_LENGTH, ruleKey, saveUserRules } from '../state/user-rules.js';

export interface DaemonContext {
  env: NodeJS.ProcessEnv;
  log: Logger;
  startedAt: number;
  profile: ActiveProfile;
  userRules: Map<string, Route>;
  session: () => Session | undefined;
  bypass: boolean;
  publish: (topic: Topic, data: unknown) => void;
  requestStop: (why: string) => void;
}

const text = (v: unknown, what: string, max = MAX_APP_LENGTH): string => {
  if (typeof v !== 'string' || v.length === 0 || v.length > max) throw new ControlError('bad_params', `needs "${what}": a string of 1 to ${max} characters`);
  return v;
};

/** Runs a profile/setting call, its user-fixable errors as typed control errors. */
async function guarded<T>(f: () => Promise<T> | T): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof HeadroomError) throw new ControlError(e.code === 'unknown_profile' ? 'not_found' : 'bad_params', `${e.message}${e.hint ? ` (${e.hint})` : ''}`);
    throw e;
  }
}

export function status(c: DaemonContext) {
  const s = c.session();
  const la = s?.layerA;
  return buildStatus({
    pid: process.pid, version: VERSION, startedAt: c.startedAt, now: Date.now(), profile: c.profile.name, bypass: c.bypass,
    processedSink: s?.watcher.model.nodeByName(BUS_SINK) ? BUS_SINK : null,
    preferredSink: s?.supervisor.target ?? null,
    filterHost: { state: s?.supervisor.state ?? 'starting', restarts: s?.supervisor.restarts ?? 0 },
    routed: s?.router.routed.values() ?? [],
    reductionOf: (serial) => la?.reductionOf(serial),
    loudness: la?.loudness() ?? new Map(),
    meter: s?.supervisor.current?.lastMeter,
    meterAt: s?.supervisor.current?.lastMeterAt,
    health: s ? s.health : PIPEWIRE_GONE,
  });
}

function rules(c: DaemonContext) {
  return [...c.userRules].map(([app, route]) => ({ app, route }));
}

export async function handleOp(c: DaemonContext, req: Request): Promise<unknown> {
  const p = req.params;
  switch (req.op) {
    case 'status':
      return status(c);
    case 'route.list':
      return { streams: status(c).streams.map(({ serial, app, route, rule }) => ({ serial, app, route, rule })), rules: rules(c) };
    case 'route.set':
    case 'route.unset': {
      const app = text(p.app, 'app');
      if (req.op === 'route.set') {
        if (typeof p.route !== 'string' || !(ROUTES as readonly string[]).includes(p.route)) throw new ControlError('bad_params', `"route" must be one of ${ROUTES.join(', ')}`);
        c.userRules.delete(ruleKey(c.userRules, app));
        c.userRules.set(app, p.route as Route);
      } else if (!c.userRules.delete(ruleKey(c.userRules, app))) {
        throw new ControlError('not_found', `no route rule for ${JSON.stringify(app)}`);
      }
      await saveUserRules(c.userRules, c.env);
      c.session()?.router.rerouteAll();
      c.log.info(`route rule ${req.op === 'route.set' ? `set: ${JSON.stringify(app)} -> ${String(p.route)}` : `removed: ${JSON.stringify(app)}`}`);
      c.publish('routing/rule_changed', { app, route: req.op === 'route.set' ? p.route : null });
      return { rules: rules(c) };
    }
    case 'profile.list':
      return profileListing(c.env, c.profile.name);
    case 'profile.show': {
      const prof = p.name === undefined || p.name === c.profile.name ? c.profile.profile : await guarded(() => loadProfile(text(p.name, 'name', 64), c.env));
      return showProfile(prof, prof.name === c.profile.name);
    }
    case 'profile.use': {
      const prof = await guarded(() => c.profile.use(text(p.name, 'name', 64)));
      c.log.info(`profile: ${prof.name}`);
      return { profile: prof.name };
    }
    case 'profile.reload': {
      const prof = await guarded(() => c.profile.reload());
      return { profile: prof.name, source: prof.source };
    }
    case 'setting.list':
      return { profile: c.profile.name, settings: c.profile.list() };
    case 'setting.get':
      return guarded(() => c.profile.get(text(p.key, 'key', 64)));
    case 'setting.set': {
      const key = text(p.key, 'key', 64);
      if (!['string', 'number', 'boolean'].includes(typeof p.value)) throw new ControlError('bad_params', 'needs "value": a number, true/false, or text');
      const row = await guarded(() => c.profile.set(key, p.value));
      c.log.info(`setting ${key} = ${String(row.value)} (profile ${c.profile.name})`);
      return row;
    }
    case 'bypass.set': {
      if (typeof p.on !== 'boolean') throw new ControlError('bad_params', 'bypass.set needs {"on": true|false}');
      c.bypass = p.on;
      await c.session()?.supervisor.send({ kind: 'bypass', on: c.bypass });
      c.log.info(`bypass ${c.bypass ? 'on' : 'off'}`);
      return { bypass: c.bypass };
    }
    case 'shutdown':
      setImmediate(() => c.requestStop('shutdown requested'));
      return { stopping: true };
    case 'subscribe':
    case 'unsubscribe':
      throw new ControlError('internal', 'subscriptions are served by the control server');
  }
}

// The control socket's ops (docs/architecture.md §4), answered from the daemon's parts. Every input is
// untrusted: checked here, and refused with a typed error that says what was expected.
import { HeadroomError } from '../../errors.js';
import type { Route } from '../../profile/schema.js';
import type { DaemonStatus, Op, OpParams, OpResult, Publish, Request } from '../../wire/control-protocol.js';
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
import type { AppGains } from '../state/app-gains.js';
import { ruleKey, saveUserRules } from '../state/user-rules.js';

export interface DaemonContext {
  env: NodeJS.ProcessEnv;
  log: Logger;
  startedAt: number;
  profile: ActiveProfile;
  userRules: Map<string, Route>;
  gains: AppGains;
  session: () => Session | undefined;
  bypass: boolean;
  publish: Publish;
  requestStop: (why: string) => void;
}

/** Runs a profile/setting call, its user-fixable errors as typed control errors. */
async function guarded<T>(f: () => Promise<T> | T): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof HeadroomError) throw new ControlError(e.code === 'unknown_profile' ? 'not_found' : 'bad_params', `${e.message}${e.hint ? ` (${e.hint})` : ''}`);
    throw e;
  }
}

export function status(c: DaemonContext): DaemonStatus {
  const s = c.session();
  const la = s?.layerA;
  return buildStatus({
    pid: process.pid, version: VERSION, startedAt: c.startedAt, now: Date.now(), profile: c.profile.name, bypass: c.bypass,
    processedSink: s?.watcher.model.nodeByName(BUS_SINK) ? BUS_SINK : null,
    preferredSink: s?.supervisor.target ?? null,
    filterHost: { state: s?.supervisor.state ?? 'starting', restarts: s?.supervisor.restarts ?? 0 },
    routed: s?.router.routed.values() ?? [],
    gainOf: (serial) => la?.gainOf(serial),
    loudness: la?.loudness() ?? new Map(),
    meter: s?.supervisor.current?.lastMeter,
    meterAt: s?.supervisor.current?.lastMeterAt,
    health: s ? s.health : PIPEWIRE_GONE,
  });
}

function rules(c: DaemonContext) {
  return [...c.userRules].map(([app, route]) => ({ app, route }));
}

type OpHandler<O extends Op> = (c: DaemonContext, p: OpParams<O>) => Promise<OpResult<O>> | OpResult<O>;

/** Every op but the connection's own (subscribe, unsubscribe), its params already checked. */
const HANDLERS: { [O in Exclude<Op, 'subscribe' | 'unsubscribe'>]: OpHandler<O> } = {
  status,
  'route.list': (c) => ({ streams: status(c).streams.map(({ serial, app, route, rule }) => ({ serial, app, route, rule })), rules: rules(c) }),
  'route.set': async (c, { app, route }) => {
    c.userRules.delete(ruleKey(c.userRules, app));
    c.userRules.set(app, route);
    return rulesChanged(c, app, route);
  },
  'route.unset': async (c, { app }) => {
    if (!c.userRules.delete(ruleKey(c.userRules, app))) throw new ControlError('not_found', `no route rule for ${JSON.stringify(app)}`);
    return rulesChanged(c, app, null);
  },
  'profile.list': (c) => profileListing(c.env, c.profile.name),
  'profile.show': async (c, { name }) => {
    const prof = name === undefined || name === c.profile.name ? c.profile.profile : await guarded(() => loadProfile(name, c.env));
    return showProfile(prof, prof.name === c.profile.name);
  },
  'profile.use': async (c, { name }) => {
    const prof = await guarded(() => c.profile.use(name));
    c.log.info(`profile: ${prof.name}`);
    return { profile: prof.name };
  },
  'profile.reload': async (c) => {
    const prof = await guarded(() => c.profile.reload());
    return { profile: prof.name, source: prof.source };
  },
  'setting.list': (c) => ({ profile: c.profile.name, settings: c.profile.list() }),
  'setting.get': (c, { key }) => guarded(() => c.profile.get(key)),
  'setting.set': async (c, { key, value }) => {
    const row = await guarded(() => c.profile.set(key, value));
    c.log.info(`setting ${key} = ${String(row.value)} (profile ${c.profile.name})`);
    return row;
  },
  'setting.reset': async (c, { key }) => {
    const reset = await guarded(() => c.profile.reset(key));
    if (reset.length > 0) c.log.info(`settings reset to profile ${c.profile.name}'s: ${reset.join(', ')}`);
    return { profile: c.profile.name, reset };
  },
  'bypass.set': async (c, { on }) => {
    c.bypass = on;
    await c.session()?.supervisor.send({ kind: 'bypass', on });
    c.log.info(`bypass ${on ? 'on' : 'off'}`);
    return { bypass: on };
  },
  shutdown: (c) => {
    setImmediate(() => c.requestStop('shutdown requested'));
    return { stopping: true as const };
  },
};

async function rulesChanged(c: DaemonContext, app: string, route: Route | null) {
  await saveUserRules(c.userRules, c.env);
  c.session()?.router.rerouteAll();
  c.log.info(`route rule ${route ? `set: ${JSON.stringify(app)} -> ${route}` : `removed: ${JSON.stringify(app)}`}`);
  c.publish('routing/rule_changed', { app, route });
  return { rules: rules(c) };
}

export async function handleOp(c: DaemonContext, req: Request): Promise<unknown> {
  if (req.op === 'subscribe' || req.op === 'unsubscribe') throw new ControlError('internal', 'subscriptions are served by the control server');
  // one op's handler with that op's params (TypeScript cannot pair a union's members itself)
  const handler = HANDLERS[req.op] as OpHandler<typeof req.op>;
  return handler(c, req.params as OpParams<typeof req.op>);
}

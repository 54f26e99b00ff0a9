// Every control-socket op's params and result and every event's payload, declared once as
// schemas (valibot). The daemon checks params against them before an op runs; the client
// checks results and events against them before a command or the monitor reads them. The
// TypeScript types of both sides are inferred from here: nothing is cast at the edges.
import * as v from 'valibot';
import { LAYER_A_REASONS } from '../policy/layer-a.js';
import { ROUTES, RULE_FIELDS } from '../profile/schema.js';

const lufs = v.nullable(v.number());
const text = (max: number, what: string) => v.pipe(v.string(), v.minLength(1, `needs "${what}": a string of 1 to ${max} characters`), v.maxLength(max, `needs "${what}": a string of 1 to ${max} characters`));
/** An app name as the user typed it: any text (it is only ever compared), within reason. */
export const MAX_APP_LENGTH = 256;
const App = text(MAX_APP_LENGTH, 'app');
const Name = (what: string) => text(64, what);
const Route = v.picklist(ROUTES, `"route" must be one of ${ROUTES.join(', ')}`);
const SettingValue = v.union([v.number(), v.boolean(), v.string()], 'needs "value": a number, true/false, or text');
const NoParams = v.object({});
const TOPICS_WANTED = 'needs {"topics": [...]}: up to 64 topic names';
const Topics = v.pipe(v.array(v.pipe(v.string(TOPICS_WANTED), v.maxLength(64, TOPICS_WANTED)), TOPICS_WANTED), v.maxLength(64, TOPICS_WANTED));

export const HEALTH_CODES = [
  'pipewire_gone', 'wireplumber_gone', 'output_missing', 'engine_down', 'failed_safe', 'engine_missing',
  'engine_no_ports', 'bus_unlinked', 'streams_unlinked', 'streams_no_ports', 'bus_silent',
] as const;
export const HealthSchema = v.object({
  state: v.picklist(['ok', 'unhealthy']),
  reasons: v.array(v.object({ code: v.picklist(HEALTH_CODES), message: v.string(), hint: v.string() })),
});

export const FILTER_HOST_STATES = ['starting', 'running', 'restarting', 'failed-safe', 'stopped'] as const;
const Loudness = {
  momentaryLufs: lufs,
  shortTermLufs: lufs,
  integratedLufs: lufs,
  truePeakDbtp: lufs,
};

/** What tells two streams of one app apart: its program, its process, what it plays. */
const StreamIdentity = {
  binary: v.nullable(v.string()),
  pid: v.nullable(v.number()),
  mediaName: v.nullable(v.string()),
};

export const StatusSchema = v.object({
  daemon: v.object({ pid: v.number(), version: v.string(), startedAt: v.string(), uptimeSeconds: v.number(), profile: v.string(), bypass: v.boolean() }),
  /** whether sound can flow; unhealthy: what is wrong and what to do (exit 4) */
  health: HealthSchema,
  sinks: v.object({ processed: v.nullable(v.string()), preferred: v.nullable(v.string()) }),
  filterHost: v.object({ state: v.picklist(FILTER_HOST_STATES), restarts: v.number() }),
  streams: v.array(
    v.object({
      serial: v.number(),
      nodeId: v.number(),
      app: v.string(),
      ...StreamIdentity,
      route: Route,
      rule: v.string(),
      /** Layer A: the gain it gives the app (dB, + lifted, - cut) and why; null when it has no tap */
      layerA: v.object({ gainDb: v.nullable(v.number()), reason: v.nullable(v.picklist(LAYER_A_REASONS)) }),
      /** the app's own loudness (before Layer A), null when not measured */
      loudnessLufs: lufs,
    }),
  ),
  meters: v.nullable(
    v.object({
      /** the bus ran in the last ticks: M and S are live (null while it is idle) */
      active: v.boolean(),
      /** how old the reading is; past a second and a half every reading is null */
      ageSeconds: v.number(),
      ...Loudness,
      agcGainDb: v.number(),
      compressorReductionDb: v.number(),
      limiterReductionDb: v.number(),
    }),
  ),
});

const RuleRow = v.object({ app: v.string(), route: Route });
const Rules = v.object({ rules: v.array(RuleRow) });

export const SettingRowSchema = v.object({
  key: v.string(),
  value: SettingValue,
  /** the profile's own value, before the user's override */
  profileValue: SettingValue,
  overridden: v.boolean(),
  default: SettingValue,
  /** a number's unit ("LUFS", "dB", "ms"), null for the others */
  unit: v.nullable(v.string()),
  /** what it takes, in words: "-40 … -5 LUFS", "true or false", "processed or direct" */
  range: v.string(),
});

export const ProfileListingSchema = v.object({
  /** the running profile; null when no daemon runs */
  active: v.nullable(v.string()),
  /** the profile `headroom start` would run (only when no daemon runs) */
  next: v.optional(v.string()),
  profiles: v.array(v.object({ name: v.string(), builtin: v.boolean(), user: v.boolean(), active: v.boolean(), description: v.nullable(v.string()) })),
});

export const ShownProfileSchema = v.object({
  name: v.string(),
  description: v.string(),
  source: v.string(),
  active: v.boolean(),
  settings: v.record(v.string(), SettingValue),
  rules: v.array(v.object({ match: v.string(), route: v.optional(Route), field: v.optional(v.picklist(RULE_FIELDS)), layerA: v.optional(v.boolean()) })),
  devices: v.array(v.string()),
});

/** Each op: what it takes and what it answers. */
export const OP_SCHEMAS = {
  status: { params: NoParams, result: StatusSchema },
  'route.list': {
    params: NoParams,
    result: v.object({ streams: v.array(v.object({ serial: v.number(), app: v.string(), route: Route, rule: v.string() })), rules: v.array(RuleRow) }),
  },
  'route.set': { params: v.object({ app: App, route: Route }), result: Rules },
  'route.unset': { params: v.object({ app: App }), result: Rules },
  'profile.list': { params: NoParams, result: ProfileListingSchema },
  'profile.show': { params: v.object({ name: v.optional(Name('name')) }), result: ShownProfileSchema },
  'profile.use': { params: v.object({ name: Name('name') }), result: v.object({ profile: v.string() }) },
  'profile.reload': { params: NoParams, result: v.object({ profile: v.string(), source: v.string() }) },
  'setting.get': { params: v.object({ key: Name('key') }), result: SettingRowSchema },
  'setting.set': { params: v.object({ key: Name('key'), value: SettingValue }), result: SettingRowSchema },
  'setting.list': { params: NoParams, result: v.object({ profile: v.string(), settings: v.array(SettingRowSchema) }) },
  /** forgets your change of one key (or, without a key, every change to the profile) */
  'setting.reset': { params: v.object({ key: v.optional(Name('key')) }), result: v.object({ profile: v.string(), reset: v.array(v.string()) }) },
  'bypass.set': { params: v.object({ on: v.boolean('bypass.set needs {"on": true|false}') }), result: v.object({ bypass: v.boolean() }) },
  subscribe: { params: v.object({ topics: v.optional(Topics) }), result: v.object({ topics: v.array(v.string()) }) },
  unsubscribe: { params: v.object({ topics: v.optional(Topics) }), result: v.object({ topics: v.array(v.string()) }) },
  shutdown: { params: NoParams, result: v.object({ stopping: v.literal(true) }) },
} as const;

export const TickSchema = v.object({
  ...Loudness,
  input: v.object(Loudness),
  agc: v.object({ gainDb: v.number(), targetLufs: v.number(), minGainDb: v.number(), maxGainDb: v.number() }),
  compressorReductionDb: v.number(),
  limiterReductionDb: v.number(),
  ceilingDbtp: v.number(),
  bypass: v.boolean(),
  active: v.boolean(),
  rate: v.number(),
  underruns: v.number(),
});

export const LayerALevelSchema = v.object({
  nodeId: v.number(),
  serial: v.number(),
  app: v.string(),
  /** Layer A's gain as a linear factor (on top of the app's own volume) */
  volumeLin: v.number(),
  /** the gain Layer A gives the app (dB, + lifted, - cut) and why */
  gainDb: v.number(),
  reason: v.picklist(LAYER_A_REASONS),
  /** the app's own loudness, before Layer A (null: not measured) */
  loudnessLufs: lufs,
});

const StreamRef = { serial: v.number(), nodeId: v.number(), app: v.string() };
const Counts = v.record(v.string(), v.number());

/** Each topic: what its events carry. */
export const EVENT_SCHEMAS = {
  'daemon/started': v.object({ pid: v.number(), version: v.string(), profile: v.string() }),
  'daemon/shutdown': v.object({ reason: v.string() }),
  /** events a slow subscriber missed, per topic: since the last report and in all */
  'daemon/overflow': v.object({ dropped: Counts, total: Counts }),
  'daemon/error': v.object({ what: v.string(), message: v.optional(v.string()), status: v.optional(v.string()), crashes: v.optional(v.number()) }),
  'daemon/health': HealthSchema,
  'routing/rule_changed': v.object({ app: v.string(), route: v.nullable(Route) }),
  'routing/stream_routed': v.object({ ...StreamRef, ...StreamIdentity, route: Route, rule: v.string(), reason: v.optional(v.string()) }),
  'routing/stream_removed': v.object(StreamRef),
  'routing/layer_a_attached': v.object(StreamRef),
  'routing/layer_a_detached': v.object(StreamRef),
  'meters/tick': TickSchema,
  'meters/layer_a_level': LayerALevelSchema,
  'profile/changed': v.object({ profile: v.string(), reason: v.picklist(['use', 'reload', 'set', 'device']), changed: v.array(v.string()) }),
  'profile/reload_failed': v.object({ profile: v.string(), file: v.string(), line: v.nullable(v.number()), reason: v.string() }),
} as const;

export type Op = keyof typeof OP_SCHEMAS;
export type Topic = keyof typeof EVENT_SCHEMAS;
export type OpParams<O extends Op> = v.InferOutput<(typeof OP_SCHEMAS)[O]['params']>;
export type OpResult<O extends Op> = v.InferOutput<(typeof OP_SCHEMAS)[O]['result']>;
export type EventData<T extends Topic> = v.InferOutput<(typeof EVENT_SCHEMAS)[T]>;
/** One event as it comes off the socket: the topic tells the payload's type. */
export type EventMessage = { [T in Topic]: { type: 'event'; topic: T; data: EventData<T> } }[Topic];

/** Sends an event; a function is called only when someone listens. */
export type Publish = <T extends Topic>(topic: T, data: EventData<T> | (() => EventData<T>)) => void;

export type DaemonStatus = OpResult<'status'>;
export type Health = v.InferOutput<typeof HealthSchema>;
export type HealthCode = (typeof HEALTH_CODES)[number];
export type HealthReason = Health['reasons'][number];
export type SettingRow = v.InferOutput<typeof SettingRowSchema>;
export type ProfileListing = v.InferOutput<typeof ProfileListingSchema>;
export type ShownProfile = v.InferOutput<typeof ShownProfileSchema>;
export type Tick = EventData<'meters/tick'>;
export type LayerALevel = EventData<'meters/layer_a_level'>;
export type FilterHostState = (typeof FILTER_HOST_STATES)[number];

const OWN_MESSAGE = /^(needs |"|\w+\.\w+ needs )/;

/** The first problem of a value against a schema, said in a line: `key: what was wrong`. */
export function firstProblem(issues: readonly v.BaseIssue<unknown>[]): string {
  const i = issues[0];
  if (!i) return 'invalid';
  const where = v.getDotPath(i);
  if (where && i.input === undefined) return `"${where}" is missing`;
  // a message of our own already names the key
  return OWN_MESSAGE.test(i.message) || !where ? i.message : `"${where}": ${i.message}`;
}

// The --json output of the commands that do not ask the daemon (or not only): declared once
// as schemas, the types of the code that makes them inferred from here, and published with
// the control protocol in docs/schema/control.json ("output.<command>").
import * as v from 'valibot';

const lufs = v.nullable(v.number());

export const AnalyzeFieldsSchema = v.object({
  path: v.string(),
  sampleRate: v.number(),
  channels: v.number(),
  durationSeconds: v.number(),
  integratedLufs: lufs,
  loudnessRangeLu: v.nullable(v.number()),
  momentaryMaxLufs: lufs,
  shortTermMaxLufs: lufs,
  samplePeakDbfs: v.nullable(v.number()),
  truePeakDbtp: v.nullable(v.number()),
});

export const RenderResultSchema = v.object({
  input: AnalyzeFieldsSchema,
  output: AnalyzeFieldsSchema,
  /** where the AGC started: settled on the file, or 0 with a cold start */
  initialGainDb: v.number(),
  gainDb: v.object({ min: v.number(), max: v.number() }),
  limiterMaxReductionDb: v.number(),
});

export const CheckSchema = v.object({
  name: v.string(),
  status: v.picklist(['ok', 'warn', 'fail']),
  detail: v.string(),
  /** what to do about it (warn and fail) */
  fix: v.optional(v.string()),
});

const DemoPhaseSchema = v.object({
  /** onsetLufs: the app's momentary loudness at most in the first 1.5 s after it starts (null: it was already playing) */
  apps: v.array(v.object({ name: v.string(), role: v.string(), integratedLufs: lufs, onsetLufs: lufs, truePeakDbtp: v.nullable(v.number()) })),
  /** loudest app minus quietest app, LU */
  spreadLu: v.nullable(v.number()),
  /** the loudest app start: the highest onsetLufs */
  worstOnsetLufs: lufs,
  truePeakDbtp: v.nullable(v.number()),
});

export const RestoreResultSchema = v.object({
  journalFound: v.boolean(),
  /** the pid of the daemon that wrote the journal */
  journalPid: v.optional(v.number()),
  targetsCleared: v.number(),
  volumesRestored: v.number(),
  defaultRestored: v.boolean(),
  sinkRemoved: v.boolean(),
  /** WirePlumber's keys of apps it remembers with the bus as their output, none playing now */
  rememberedTargets: v.array(v.string()),
});

export const ServiceStateSchema = v.object({
  unitPath: v.string(),
  installed: v.boolean(),
  enabled: v.string(),
  active: v.string(),
  /** what the user's systemd says of itself: running, degraded, … or offline (none answers) */
  manager: v.string(),
});

/** Each command's --json output. */
export const OUTPUT_SCHEMAS = {
  analyze: v.object({ files: v.array(AnalyzeFieldsSchema) }),
  render: RenderResultSchema,
  doctor: v.object({ checks: v.array(CheckSchema), ok: v.boolean() }),
  demo: v.object({ before: DemoPhaseSchema, after: DemoPhaseSchema, seconds: v.number() }),
  /** a daemon asked to stop, or (--restore with none running) what was given back */
  stop: v.union([v.object({ stopping: v.literal(true) }), v.object({ stopping: v.literal(false), staleSocketRemoved: v.boolean(), ...RestoreResultSchema.entries })]),
  service: ServiceStateSchema,
  version: v.object({ version: v.string(), node: v.string(), platform: v.string() }),
} as const;

export type AnalyzeFields = v.InferOutput<typeof AnalyzeFieldsSchema>;
export type RenderResult = v.InferOutput<typeof RenderResultSchema>;
export type Check = v.InferOutput<typeof CheckSchema>;
export type RestoreResult = v.InferOutput<typeof RestoreResultSchema>;
export type ServiceState = v.InferOutput<typeof ServiceStateSchema>;
export type CommandOutput<C extends keyof typeof OUTPUT_SCHEMAS> = v.InferOutput<(typeof OUTPUT_SCHEMAS)[C]>;
export type DemoResult = CommandOutput<'demo'>;
export type DemoPhase = DemoResult['before'];
export type DemoAppResult = DemoPhase['apps'][number];

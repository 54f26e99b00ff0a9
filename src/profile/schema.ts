// The one schema for profiles and settings: every key, its type, default, range and
// meaning. The DSP rows mirror native/filter-host/src/dsp/params.c (a test checks it).

export type Route = 'processed' | 'direct';
export const ROUTES: readonly Route[] = ['processed', 'direct'];
export const isRoute = (s: unknown): s is Route => (ROUTES as readonly unknown[]).includes(s);

interface KeyBase {
  key: string;
  doc: string;
}
export interface NumberKey extends KeyBase {
  type: 'number';
  default: number;
  min: number;
  max: number;
  unit: string;
  /** true when the value is a parameter of the C bus chain */
  dsp: boolean;
}
export interface BooleanKey extends KeyBase {
  type: 'boolean';
  default: boolean;
}
export interface EnumKey extends KeyBase {
  type: 'enum';
  default: string;
  values: readonly string[];
}
export type SettingKey = NumberKey | BooleanKey | EnumKey;

const num = (key: string, def: number, min: number, max: number, unit: string, doc: string, dsp = true): NumberKey => ({
  type: 'number', key, default: def, min, max, unit, doc, dsp,
});

export const SETTINGS: readonly SettingKey[] = [
  num('agc.target_lufs', -18, -40, -5, 'LUFS', 'Loudness the bus output is levelled to.'),
  num('agc.max_gain_db', 12, 0, 30, 'dB', 'Most the AGC may boost a quiet programme.'),
  num('agc.min_gain_db', -30, -60, 0, 'dB', 'Most the AGC may cut a loud programme (negative).'),
  num('agc.cut_speed_db_per_s', 20, 0.5, 100, 'dB/s', 'How fast the gain comes down when the programme gets louder.'),
  num('agc.boost_speed_db_per_s', 1.5, 0.05, 20, 'dB/s', 'How fast the gain rises when the programme gets quieter.'),
  num('agc.silence_gate_lufs', -50, -90, -20, 'LUFS', 'Below this momentary loudness the gain is frozen (never boosts silence).'),
  num('compressor.threshold_db', -10, -60, 0, 'dBFS', 'Level above which the compressor reduces gain.'),
  num('compressor.ratio', 4, 1, 20, ':1', 'Input dB above the threshold per output dB.'),
  num('compressor.knee_db', 6, 0, 24, 'dB', 'Width of the soft knee around the threshold.'),
  num('compressor.attack_ms', 5, 0.1, 200, 'ms', 'Time constant of gain reduction.'),
  num('compressor.release_ms', 150, 5, 5000, 'ms', 'Time constant of gain recovery.'),
  num('limiter.ceiling_dbtp', -1, -20, 0, 'dBTP', 'The output true peak never exceeds this.'),
  num('limiter.lookahead_ms', 5, 1, 20, 'ms', 'How far ahead the limiter looks; adds this much latency.'),
  num('limiter.release_ms', 60, 1, 2000, 'ms', 'Time constant of limiter gain recovery.'),
  { type: 'boolean', key: 'layer_a.enabled', default: true, doc: 'Level every app on its own to the target: loud apps cut, quiet apps lifted.' },
  num('layer_a.max_boost_db', 15, 0, 24, 'dB', 'Most Layer A lifts a quiet app.', false),
  num('layer_a.max_reduction_db', 20, 0, 40, 'dB', 'Most Layer A cuts a loud app.', false),
  num('layer_a.gate_lufs', -45, -70, -20, 'LUFS', "Below this an app's own loudness counts as silence: its gain holds, nothing quiet is lifted.", false),
  num('layer_a.threshold_lu', 6, 0, 30, 'LU', 'A loud start or part this far over the target is cut at once, not at the usual speed.', false),
  { type: 'enum', key: 'routing.default', default: 'processed', values: ROUTES, doc: 'Route of streams no rule matches.' },
];

export const SETTINGS_BY_KEY: ReadonlyMap<string, SettingKey> = new Map(SETTINGS.map((s) => [s.key, s]));

export const RULE_FIELDS = ['application.name', 'application.process.binary', 'application.id'] as const;
export type RuleField = (typeof RULE_FIELDS)[number];

/** `[[routing.rules]]`: streams whose field equals `match` (case-insensitive) take `route`
 * (the default when the rule does not say), and Layer A only when `layer_a` is not false. */
export interface RoutingRule {
  match: string;
  route?: Route;
  field?: RuleField;
  layerA?: boolean;
}

export type SettingValue = number | boolean | string;

export interface Profile {
  name: string;
  description: string;
  /** every key of SETTINGS, defaults filled in */
  settings: Record<string, SettingValue>;
  rules: RoutingRule[];
  /** `[devices] sinks = [...]`: output devices (node.name) this profile is switched to on */
  devices: string[];
  /** where it came from: a file path, or "built-in" */
  source: string;
}

export function defaultSettings(): Record<string, SettingValue> {
  const out: Record<string, SettingValue> = Object.create(null);
  for (const s of SETTINGS) out[s.key] = s.default;
  return out;
}

/** Checks one value against its key; returns the typed value or a reason it is wrong. */
export function checkValue(key: string, value: unknown): { ok: true; value: SettingValue } | { ok: false; reason: string } {
  const spec = SETTINGS_BY_KEY.get(key);
  if (!spec) return { ok: false, reason: `unknown key "${key}"` };
  switch (spec.type) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return { ok: false, reason: `${key} must be a number (${spec.unit})` };
      if (value < spec.min || value > spec.max)
        return { ok: false, reason: `${key} = ${value} is out of range [${spec.min}, ${spec.max}] ${spec.unit}` };
      return { ok: true, value };
    case 'boolean':
      if (typeof value !== 'boolean') return { ok: false, reason: `${key} must be true or false` };
      return { ok: true, value };
    case 'enum':
      if (typeof value !== 'string' || !spec.values.includes(value))
        return { ok: false, reason: `${key} must be one of ${spec.values.join(', ')}` };
      return { ok: true, value };
  }
}

/** Parses a command-line value ("-16", "true", "direct") for a key. */
export function parseValue(key: string, text: string): { ok: true; value: SettingValue } | { ok: false; reason: string } {
  const spec = SETTINGS_BY_KEY.get(key);
  if (!spec) return { ok: false, reason: `unknown key "${key}"` };
  if (spec.type === 'number') {
    const n = text.trim() === '' ? NaN : Number(text);
    return checkValue(key, n);
  }
  if (spec.type === 'boolean') {
    if (text === 'true' || text === 'on') return { ok: true, value: true };
    if (text === 'false' || text === 'off') return { ok: true, value: false };
    return { ok: false, reason: `${key} must be true or false` };
  }
  return checkValue(key, text);
}

// Your `set` changes to a profile, as rows and as edits: a value equal to the profile's own
// is no change of yours (nothing is kept for it), `reset` forgets one or all. Pure: the
// daemon and the file-only path (no daemon running) both use these.
import { HeadroomError } from '../errors.js';
import type { SettingRow } from '../wire/control-protocol.js';
import { checkValue, parseValue, SETTINGS, SETTINGS_BY_KEY, type Profile, type SettingKey, type SettingValue } from './schema.js';

export type Overrides = Readonly<Record<string, SettingValue>>;

/** What a key takes, in words: "-40 … -5 LUFS", "true or false", "processed or direct". */
export function rangeOf(s: SettingKey): string {
  if (s.type === 'number') return `${s.min} … ${s.max}${s.unit ? ` ${s.unit}` : ''}`;
  if (s.type === 'boolean') return 'true or false';
  return s.values.join(' or ');
}

export function settingRows(base: Profile, own: Overrides | undefined): SettingRow[] {
  return SETTINGS.map((s) => {
    const profileValue = base.settings[s.key] ?? s.default;
    const overridden = own !== undefined && Object.hasOwn(own, s.key);
    return {
      key: s.key, value: overridden ? own[s.key]! : profileValue, profileValue, overridden, default: s.default,
      unit: s.type === 'number' ? s.unit : null, range: rangeOf(s),
    };
  });
}

export function settingRow(base: Profile, own: Overrides | undefined, key: string): SettingRow {
  const row = settingRows(base, own).find((r) => r.key === key);
  if (!row) throw unknownKey(key);
  return row;
}

/** Your overrides with one key set (a string is parsed: "-16" is a number); equal to the
 * profile's value, the key is no override at all. */
export function withSet(base: Profile, own: Overrides | undefined, key: string, raw: unknown): Record<string, SettingValue> {
  if (!SETTINGS_BY_KEY.has(key)) throw unknownKey(key);
  const c = typeof raw === 'string' ? parseValue(key, raw) : checkValue(key, raw);
  if (!c.ok) throw new HeadroomError('bad_setting', c.reason, { hint: 'Every key with its range: headroom settings' });
  const next: Record<string, SettingValue> = { ...(own ?? {}) };
  if (c.value === base.settings[key]) delete next[key];
  else next[key] = c.value;
  return next;
}

/** Your overrides without `key` (or without any: `key` undefined), and which keys went. */
export function withReset(own: Overrides | undefined, key?: string): { next: Record<string, SettingValue>; reset: string[] } {
  if (key !== undefined && !SETTINGS_BY_KEY.has(key)) throw unknownKey(key);
  const next: Record<string, SettingValue> = { ...(own ?? {}) };
  const reset = key === undefined ? Object.keys(next) : Object.hasOwn(next, key) ? [key] : [];
  for (const k of reset) delete next[k];
  return { next, reset };
}

export function unknownKey(key: string): HeadroomError {
  return new HeadroomError('bad_setting', `unknown setting "${key}"`, { hint: `Keys: ${SETTINGS.map((s) => s.key).join(', ')}` });
}

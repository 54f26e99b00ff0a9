// `--set key=value` items as setting values, checked against the schema. Pure.
import { HeadroomError } from '../errors.js';
import { parseValue, type SettingValue } from './schema.js';

export function parseOverrides(items: readonly string[]): Record<string, SettingValue> {
  const out: Record<string, SettingValue> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new HeadroomError('bad_setting', `--set ${item}: expected key=value`, { hint: 'Example: --set agc.target_lufs=-16' });
    const key = item.slice(0, eq);
    const parsed = parseValue(key, item.slice(eq + 1));
    if (!parsed.ok) throw new HeadroomError('bad_setting', `--set ${item}: ${parsed.reason}`, { hint: 'Keys, ranges and units: the settings table in the README, or headroom settings while headroom runs' });
    out[key] = parsed.value;
  }
  return out;
}

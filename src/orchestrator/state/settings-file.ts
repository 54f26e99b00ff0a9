// What the user chose, kept across restarts in $XDG_STATE_HOME/headroom/settings.json
// (written atomically): the profile picked with `profile use`, and the `set` overrides
// of each profile. An unreadable file counts as no choices and is left alone until the
// next change; values that no longer validate are dropped on load.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { checkValue, type SettingValue } from '../../profile/schema.js';
import { writeFileAtomic } from './atomic-file.js';
import { stateDir } from './state-paths.js';

export interface SavedSettings {
  profile?: string;
  /** per profile name: key -> value */
  overrides: Record<string, Record<string, SettingValue>>;
}

export function settingsPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(stateDir(env), 'settings.json');
}

export async function loadSettings(env: NodeJS.ProcessEnv = process.env): Promise<SavedSettings> {
  const out: SavedSettings = { overrides: Object.create(null) as SavedSettings['overrides'] };
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(settingsPath(env), 'utf8'));
  } catch {
    return out;
  }
  if (typeof raw !== 'object' || raw === null) return out;
  const r = raw as { profile?: unknown; overrides?: unknown };
  if (typeof r.profile === 'string') out.profile = r.profile;
  if (typeof r.overrides === 'object' && r.overrides !== null)
    for (const [profile, values] of Object.entries(r.overrides as Record<string, unknown>)) {
      if (typeof values !== 'object' || values === null) continue;
      const kept: Record<string, SettingValue> = Object.create(null);
      for (const [key, v] of Object.entries(values as Record<string, unknown>)) {
        const c = checkValue(key, v);
        if (c.ok) kept[key] = c.value;
      }
      out.overrides[profile] = kept;
    }
  return out;
}

export async function saveSettings(s: SavedSettings, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  await writeFileAtomic(settingsPath(env), JSON.stringify(s, null, 2));
}

// Settings with no daemon running: read and changed in the saved file alone, for the
// profile `headroom start` would run (your last `profile use`, else "default"). What is
// set here is what the next start runs with.
import type { OpResult } from '../../wire/control-protocol.js';
import { settingRow, settingRows, withReset, withSet } from '../../profile/user-settings.js';
import { loadSettings, saveSettings, type SavedSettings } from '../state/settings-file.js';
import { loadProfile } from './profile-files.js';

async function next(env: NodeJS.ProcessEnv) {
  const saved = await loadSettings(env);
  const base = await loadProfile(saved.profile ?? 'default', env);
  return { saved, base, own: saved.overrides[base.name] };
}

async function keep(saved: SavedSettings, profile: string, own: SavedSettings['overrides'][string], env: NodeJS.ProcessEnv) {
  if (Object.keys(own).length > 0) saved.overrides[profile] = own;
  else delete saved.overrides[profile];
  await saveSettings(saved, env);
}

export async function savedList(env: NodeJS.ProcessEnv): Promise<OpResult<'setting.list'>> {
  const { base, own } = await next(env);
  return { profile: base.name, settings: settingRows(base, own) };
}

export async function savedGet(env: NodeJS.ProcessEnv, key: string): Promise<OpResult<'setting.get'>> {
  const { base, own } = await next(env);
  return settingRow(base, own, key);
}

export async function savedSet(env: NodeJS.ProcessEnv, key: string, value: string | number | boolean): Promise<OpResult<'setting.set'>> {
  const { saved, base, own } = await next(env);
  const changed = withSet(base, own, key, value);
  await keep(saved, base.name, changed, env);
  return settingRow(base, changed, key);
}

export async function savedReset(env: NodeJS.ProcessEnv, key?: string): Promise<OpResult<'setting.reset'>> {
  const { saved, base, own } = await next(env);
  const { next: rest, reset } = withReset(own, key);
  if (reset.length > 0) await keep(saved, base.name, rest, env);
  return { profile: base.name, reset };
}

/** The profile the next start runs; it must load (a broken or unknown one is refused). */
export async function savedUse(env: NodeJS.ProcessEnv, name: string): Promise<OpResult<'profile.use'>> {
  const p = await loadProfile(name, env);
  const saved = await loadSettings(env);
  saved.profile = p.name;
  await saveSettings(saved, env);
  return { profile: p.name };
}

// What `profile list` and `profile show` answer: the daemon's, with its running profile
// marked, or — no daemon running — read from the files and the saved choices alone.
import type { Profile } from '../../profile/schema.js';
import type { ProfileListing, ShownProfile } from '../../wire/control-protocol.js';
import { listProfiles, loadProfile } from './profile-files.js';
import { loadSettings } from '../state/settings-file.js';

/** Every profile, built-in and the user's; `active` is the running one's name, if any. */
export async function profileListing(env: NodeJS.ProcessEnv, active: string | null, next?: string): Promise<ProfileListing> {
  const all = await listProfiles(env);
  const profiles = await Promise.all(
    all.map(async (x) => ({ ...x, active: x.name === active, description: (await loadProfile(x.name, env).catch(() => undefined))?.description ?? null })),
  );
  return { active, ...(next === undefined ? {} : { next }), profiles };
}

export function showProfile(p: Profile, active: boolean): ShownProfile {
  return { name: p.name, description: p.description, source: p.source, active, settings: p.settings, rules: p.rules, devices: p.devices };
}

/** With no daemon: the list, marking what `headroom start` would run (your last
 * `profile use`, else "default"). */
export async function offlineListing(env: NodeJS.ProcessEnv): Promise<ProfileListing> {
  return profileListing(env, null, (await loadSettings(env)).profile ?? 'default');
}

/** With no daemon: a profile as `headroom start` would run it, your `set` changes to it
 * included (default: the one it would run). */
export async function offlineProfile(env: NodeJS.ProcessEnv, name?: string): Promise<ShownProfile> {
  const saved = await loadSettings(env);
  const p = await loadProfile(name ?? saved.profile ?? 'default', env);
  return showProfile({ ...p, settings: { ...p.settings, ...(saved.overrides[p.name] ?? {}) } }, false);
}

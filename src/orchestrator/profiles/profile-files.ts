// Where profiles live: built-ins shipped in profiles/, user profiles in
// $XDG_CONFIG_HOME/headroom/profiles/ (a user profile of the same name wins).
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HeadroomError } from '../../errors.js';
import { parseProfile, ProfileInvalid } from '../../profile/parse.js';
import type { Profile } from '../../profile/schema.js';
import { BUILTIN_PROFILES_DIR } from '../../package-paths.js';

export const BUILTIN_DIR = BUILTIN_PROFILES_DIR;

export function userProfileDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  return path.join(base, 'headroom', 'profiles');
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

async function names(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => f.endsWith('.toml')).map((f) => f.slice(0, -5)).filter((n) => NAME.test(n));
  } catch {
    return [];
  }
}

export async function listProfiles(env: NodeJS.ProcessEnv = process.env): Promise<{ name: string; builtin: boolean; user: boolean }[]> {
  const builtin = new Set(await names(BUILTIN_DIR));
  const user = new Set(await names(userProfileDir(env)));
  return [...new Set([...builtin, ...user])].sort().map((name) => ({ name, builtin: builtin.has(name), user: user.has(name) }));
}

export function profilePath(name: string, user: boolean, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(user ? userProfileDir(env) : BUILTIN_DIR, `${name}.toml`);
}

/** Loads and validates a profile by name. Errors are HeadroomErrors with a hint. */
export async function loadProfile(name: string, env: NodeJS.ProcessEnv = process.env): Promise<Profile> {
  if (!NAME.test(name)) {
    throw new HeadroomError('unknown_profile', `"${name}" is not a profile name`, { hint: 'Profile names are letters, digits, "-" and "_"; see: headroom profile list' });
  }
  for (const user of [true, false]) {
    const file = profilePath(name, user, env);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    try {
      return parseProfile(name, text, file);
    } catch (err) {
      if (err instanceof ProfileInvalid) {
        throw new HeadroomError('bad_profile', err.message, { hint: 'Fix the profile file; every key is listed in the README under Configuration', cause: err });
      }
      throw err;
    }
  }
  const known = (await listProfiles(env)).map((p) => p.name);
  throw new HeadroomError('unknown_profile', `no profile named "${name}"`, { hint: `Known profiles: ${known.join(', ')}` });
}

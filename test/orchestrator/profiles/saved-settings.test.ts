// With no daemon: settings read and changed in the saved file, for the profile the next
// start runs (a temp state dir: nothing of the user's is touched).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { savedGet, savedList, savedReset, savedSet, savedUse } from '../../../src/orchestrator/profiles/saved-settings.js';

let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'headroom-saved-'));
  env = { XDG_STATE_HOME: path.join(dir, 'state'), XDG_CONFIG_HOME: path.join(dir, 'config') };
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const file = async () => JSON.parse(await readFile(path.join(dir, 'state', 'headroom', 'settings.json'), 'utf8')) as { profile?: string; overrides: Record<string, Record<string, unknown>> };

describe('settings with no daemon', () => {
  it('set, get, list and reset the profile the next start runs, in the saved file', async () => {
    expect((await savedList(env)).profile).toBe('default');
    expect(await savedSet(env, 'agc.target_lufs', '-16')).toMatchObject({ value: -16, overridden: true });
    expect(await file()).toEqual({ overrides: { default: { 'agc.target_lufs': -16 } } });
    expect(await savedGet(env, 'agc.target_lufs')).toMatchObject({ value: -16, profileValue: -18 });
    expect(await savedUse(env, 'night')).toEqual({ profile: 'night' });
    expect((await savedList(env)).profile).toBe('night');
    expect((await savedGet(env, 'agc.target_lufs')).overridden).toBe(false); // that change was default's
    expect(await savedReset(env)).toEqual({ profile: 'night', reset: [] });
    await savedUse(env, 'default');
    expect(await savedReset(env, 'agc.target_lufs')).toEqual({ profile: 'default', reset: ['agc.target_lufs'] });
    expect(await file()).toEqual({ profile: 'default', overrides: {} });
  });

  it('an unknown profile or key is refused, the file untouched', async () => {
    await expect(savedUse(env, 'nosuch')).rejects.toMatchObject({ code: 'unknown_profile' });
    await expect(savedSet(env, 'agc.nope', '1')).rejects.toMatchObject({ code: 'bad_setting' });
    await expect(file()).rejects.toThrow(/ENOENT/);
  });
});

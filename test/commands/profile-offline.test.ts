// `profile list` and `profile show` with no daemon running: answered from the profile
// files and the saved choices, as `headroom start` would take them up.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { saveSettings } from '../../src/orchestrator/state/settings-file.js';
import { headroom } from '../helpers/cli.js';
import { useTempHome } from '../helpers/temp-home.js';

const home = useTempHome('profiles');

describe('profiles with no daemon', () => {
  it('lists the built-ins and yours, and names the one `headroom start` would run', async () => {
    await mkdir(path.join(home.dir, 'config', 'headroom', 'profiles'), { recursive: true });
    await writeFile(path.join(home.dir, 'config', 'headroom', 'profiles', 'mine.toml'), 'description = "Mine"\n[agc]\ntarget_lufs = -20.0\n');
    const r = await headroom(['profile', 'list', '--json'], home.env);
    expect(r.code, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout) as { active: null; next: string; profiles: { name: string; user: boolean; active: boolean; description: string }[] };
    expect(list.active).toBeNull();
    expect(list.next).toBe('default');
    expect(list.profiles.map((p) => p.name)).toEqual(['default', 'mine', 'movie', 'music', 'night', 'speech']);
    expect(list.profiles.find((p) => p.name === 'mine')).toMatchObject({ user: true, active: false, description: 'Mine' });
    const text = await headroom(['profile', 'list'], home.env);
    expect(text.stdout).toContain('  mine (yours) — Mine');
    expect(text.stdout).toContain('headroom is not running; `headroom start` runs default');
  });

  it('shows the profile start would run, with your saved changes to it', async () => {
    await saveSettings({ profile: 'night', overrides: { night: { 'agc.target_lufs': -26 } } }, home.env);
    const r = await headroom(['profile', 'show', '--json'], home.env);
    expect(r.code, r.stderr).toBe(0);
    const shown = JSON.parse(r.stdout) as { name: string; active: boolean; settings: Record<string, unknown> };
    expect(shown).toMatchObject({ name: 'night', active: false });
    expect(shown.settings['agc.target_lufs']).toBe(-26);
    expect(shown.settings['limiter.ceiling_dbtp']).toBe(-3);
    expect(JSON.parse((await headroom(['profile', 'list', '--json'], home.env)).stdout).next).toBe('night');
    const other = JSON.parse((await headroom(['profile', 'show', 'music', '--json'], home.env)).stdout) as { name: string; settings: Record<string, unknown> };
    expect(other.name).toBe('music');
    expect(other.settings['agc.target_lufs']).toBe(-14);
  });

  it('a broken profile of yours: file, line and key, exit 2', async () => {
    await mkdir(path.join(home.dir, 'config', 'headroom', 'profiles'), { recursive: true });
    const file = path.join(home.dir, 'config', 'headroom', 'profiles', 'typo.toml');
    await writeFile(file, 'description = "Typo"\n[agc]\ntarget_lufz = -20.0\n');
    const r = await headroom(['profile', 'show', 'typo'], home.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toContain('target_lufz');
    expect((await headroom(['profile', 'show', 'nosuch'], home.env)).stderr).toContain('no profile named "nosuch"');
  });
});

// set, get, settings, reset and profile use with no daemon running: the saved file is
// changed for the next start, and the command says so.
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/orchestrator/state/settings-file.js';
import { headroom } from '../helpers/cli.js';
import { useTempHome } from '../helpers/temp-home.js';
import { schemaErrors } from '../helpers/json-schema.js';

const home = useTempHome('settings');

describe('settings with no daemon', () => {
  it('set KEY=VALUE and get, saved for the next start; reset undoes it', async () => {
    const set = await headroom(['set', 'agc.target_lufs=-16'], home.env);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toBe('agc.target_lufs = -16 LUFS (headroom is not running: saved for the next headroom start)');
    expect(JSON.parse((await headroom(['get', 'agc.target_lufs', '--json'], home.env)).stdout)).toEqual({
      key: 'agc.target_lufs', value: -16, profileValue: -18, overridden: true, default: -18, unit: 'LUFS', range: '-40 … -5 LUFS',
    });
    expect((await loadSettings(home.env)).overrides).toEqual({ default: { 'agc.target_lufs': -16 } });
    const list = await headroom(['settings'], home.env);
    expect(list.stdout).toMatch(/^agc\.target_lufs\s+-16 LUFS\s+-40 … -5 LUFS\s+\(yours; profile: -18\)$/m);
    expect(list.stdout).toMatch(/^layer_a\.enabled\s+true\s+true or false$/m);
    const reset = await headroom(['reset', 'agc.target_lufs', '--json'], home.env);
    expect(JSON.parse(reset.stdout)).toEqual({ profile: 'default', reset: ['agc.target_lufs'] });
    // each --json output as docs/schema/control.json publishes it
    for (const [args, schema] of [[['settings'], 'setting.list.result'], [['get', 'compressor.ratio'], 'setting.get.result'], [['reset', '--all'], 'setting.reset.result'], [['profile', 'list'], 'profile.list.result'], [['profile', 'show'], 'profile.show.result']] as const)
      expect(schemaErrors(schema, JSON.parse((await headroom([...args, '--json'], home.env)).stdout)), args.join(' ')).toEqual([]);
    expect((await loadSettings(home.env)).overrides).toEqual({});
  });

  it('the profile\'s own value is no change of yours; reset needs a key or --all', async () => {
    expect((await headroom(['set', 'agc.target_lufs', '-18'], home.env)).stdout).toContain("the profile's own value: nothing of yours kept");
    expect((await loadSettings(home.env)).overrides).toEqual({});
    const none = await headroom(['reset'], home.env);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('which setting? give a key, or --all');
    expect((await headroom(['reset', '--all'], home.env)).stdout).toBe("nothing of yours to reset (profile default) (headroom is not running: saved for the next headroom start)");
  });

  it('profile use saves the next start\'s profile; an unknown one exits 2 like profile show', async () => {
    expect((await headroom(['profile', 'use', 'night'], home.env)).stdout).toBe('profile night (headroom is not running: the next start runs it)');
    expect((await loadSettings(home.env)).profile).toBe('night');
    const bad = await headroom(['profile', 'use', 'nosuch', '--json'], home.env);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout).error.code).toBe('unknown_profile');
    expect((await headroom(['profile', 'show', 'nosuch'], home.env)).code).toBe(2);
  });

  it('a bad value names its range, exit 2, nothing saved', async () => {
    const r = await headroom(['set', 'agc.target_lufs', '99', '--json'], home.env);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error).toEqual({ code: 'bad_setting', message: 'agc.target_lufs = 99 is out of range [-40, -5] LUFS', hint: 'Every key with its range: headroom settings' });
    expect((await loadSettings(home.env)).overrides).toEqual({});
  });
});

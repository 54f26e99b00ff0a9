import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dsp } from '../../src/native/dsp.js';
import { BUILTIN_DIR } from '../../src/orchestrator/profiles/profile-files.js';
import { parseProfile, ProfileInvalid } from '../../src/profile/parse.js';
import { parseValue, SETTINGS } from '../../src/profile/schema.js';

function problem(source: string) {
  try {
    parseProfile('t', source, 'user.toml');
  } catch (err) {
    if (err instanceof ProfileInvalid) return err.problem;
    throw err;
  }
  throw new Error('expected the profile to be refused');
}

describe('profile schema', () => {
  it('mirrors the C parameter table exactly (key, default, min, max)', () => {
    const c = dsp().params();
    const ts = SETTINGS.filter((s) => s.type === 'number' && s.dsp);
    expect(ts.map((s) => s.key)).toEqual(c.map((p) => p.key));
    for (const p of c) expect(ts.find((s) => s.key === p.key)).toMatchObject({ default: p.default, min: p.min, max: p.max });
  });

  it('parses command-line values: a negative number is a value', () => {
    expect(parseValue('agc.target_lufs', '-16')).toEqual({ ok: true, value: -16 });
    expect(parseValue('agc.target_lufs', '')).toMatchObject({ ok: false });
    expect(parseValue('agc.target_lufs', '0x10')).toMatchObject({ ok: false });
    expect(parseValue('layer_a.enabled', 'off')).toEqual({ ok: true, value: false });
    expect(parseValue('routing.default', 'direct')).toEqual({ ok: true, value: 'direct' });
    expect(parseValue('__proto__', '1')).toMatchObject({ ok: false });
  });
});

describe('parseProfile', () => {
  it('loads every built-in profile, with the targets the README promises', async () => {
    const files = (await readdir(BUILTIN_DIR)).filter((f) => f.endsWith('.toml'));
    expect(files.sort()).toEqual(['default.toml', 'movie.toml', 'music.toml', 'night.toml', 'speech.toml']);
    const target: Record<string, number> = {};
    for (const f of files) {
      const p = parseProfile(f.slice(0, -5), await readFile(path.join(BUILTIN_DIR, f), 'utf8'), f);
      expect(p.description.length).toBeGreaterThan(10);
      target[p.name] = p.settings['agc.target_lufs'] as number;
    }
    expect(target).toMatchObject({ default: -18, music: -14, speech: -16 });
    expect(target.night).toBeLessThan(-18);
  });

  it('fills defaults for keys a profile leaves out', () => {
    const p = parseProfile('t', '[agc]\ntarget_lufs = -20\n', 'x.toml');
    expect(p.settings['agc.target_lufs']).toBe(-20);
    expect(p.settings['limiter.ceiling_dbtp']).toBe(-1);
  });

  it('names file, line and key for an unknown key', () => {
    expect(problem('description = "x"\n\n[agc]\ntarget_lufs = -18\ntarget_lufz = -18\n')).toEqual({
      file: 'user.toml', line: 5, key: 'agc.target_lufz', reason: 'unknown key "agc.target_lufz"',
    });
  });

  it('names file, line and key for an out-of-range value', () => {
    const p = problem('[limiter]\nceiling_dbtp = 3\n');
    expect(p).toMatchObject({ line: 2, key: 'limiter.ceiling_dbtp' });
    expect(p.reason).toMatch(/out of range \[-20, 0\]/);
  });

  it('reports TOML syntax errors with their line', () => {
    expect(problem('[agc]\ntarget_lufs = = -18\n')).toMatchObject({ line: 2 });
  });

  it('refuses wrong types and unknown tables', () => {
    expect(problem('[agc]\ntarget_lufs = "loud"\n').reason).toMatch(/must be a number/);
    expect(problem('[layer_a]\nenabled = 1\n').reason).toMatch(/true or false/);
    expect(problem('[eq]\nbass = 3\n')).toMatchObject({ line: 1, key: 'eq' });
    expect(problem('agc = 3\n').reason).toMatch(/must be a table/);
  });

  it('validates routing rules', () => {
    const ok = parseProfile('t', '[[routing.rules]]\nmatch = "Firefox"\nroute = "direct"\nfield = "application.process.binary"\n', 'x');
    expect(ok.rules).toEqual([{ match: 'Firefox', route: 'direct', field: 'application.process.binary' }]);
    expect(problem('[[routing.rules]]\nmatch = "x"\nroute = "speakers"\n').reason).toMatch(/processed, direct/);
    expect(parseProfile('t', '[[routing.rules]]\nmatch = "Podcasts"\nlayer_a = false\n', 'x').rules).toEqual([{ match: 'Podcasts', layerA: false }]);
    expect(problem('[[routing.rules]]\nmatch = "x"\nlayer_a = "no"\n').reason).toMatch(/layer_a must be true or false/);
    expect(problem('[[routing.rules]]\nmatch = "x"\n').reason).toMatch(/route must be one of processed, direct \(or the rule sets layer_a\)/);
    expect(problem('[[routing.rules]]\nmatch = "x"\nroute = "direct"\nshell = "rm -rf ~"\n').reason).toMatch(/unknown key "shell"/);
  });
});

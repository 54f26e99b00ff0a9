import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadUserRules, ruleKey, rulesPath, saveUserRules } from '../../../src/orchestrator/state/user-rules.js';

let env: NodeJS.ProcessEnv;
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'headroom-rules-'));
  env = { XDG_STATE_HOME: dir };
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('user route rules', () => {
  it('round-trips through $XDG_STATE_HOME/headroom/routes.json (0600)', async () => {
    await saveUserRules(new Map([['Firefox', 'direct'], ['mpv', 'processed']]), env);
    expect(rulesPath(env)).toBe(path.join(dir, 'headroom', 'routes.json'));
    expect((await stat(rulesPath(env))).mode & 0o777).toBe(0o600);
    expect([...(await loadUserRules(env))]).toEqual([['Firefox', 'direct'], ['mpv', 'processed']]);
  });

  it('reads a missing or broken file as no rules, and drops bad entries', async () => {
    expect((await loadUserRules(env)).size).toBe(0);
    await mkdir(path.join(dir, 'headroom'));
    await writeFile(rulesPath(env), '{ not json');
    expect((await loadUserRules(env)).size).toBe(0);
    await writeFile(rulesPath(env), JSON.stringify([{ app: 'ok', route: 'direct' }, { app: 'bad', route: 'loud' }, { app: 3 }, null, { app: 'x'.repeat(300), route: 'direct' }]));
    expect([...(await loadUserRules(env))]).toEqual([['ok', 'direct']]);
  });

  it('finds the rule a new one replaces, whatever its case', () => {
    const rules = new Map([['Firefox', 'direct' as const]]);
    expect(ruleKey(rules, 'FIREFOX')).toBe('Firefox');
    expect(ruleKey(rules, 'mpv')).toBe('mpv');
  });
});

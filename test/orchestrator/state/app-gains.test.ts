import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppStream } from '../../../src/graph/streams.js';
import { appGainsPath, AppGains, MAX_APPS } from '../../../src/orchestrator/state/app-gains.js';

let env: NodeJS.ProcessEnv;
let dir: string;
const errors: Error[] = [];
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'headroom-gains-'));
  env = { XDG_STATE_HOME: dir };
  errors.length = 0;
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const app = (name: string, binary?: string): AppStream => ({ nodeId: 1, serial: 2, nodeName: 'n', app: name, binary, dontReconnect: false });
const load = () => AppGains.load(env, (e) => errors.push(e));

describe("Layer A's memory of each app's gain", () => {
  it('round-trips through $XDG_STATE_HOME/headroom/app-gains.json (0600), by app name and binary, whatever their case', async () => {
    const g = await load();
    g.set(app('Firefox', 'firefox'), -6.456);
    g.set(app('Podcasts', 'gnome-podcasts'), 12);
    await g.flush();
    expect(appGainsPath(env)).toBe(path.join(dir, 'headroom', 'app-gains.json'));
    expect((await stat(appGainsPath(env))).mode & 0o777).toBe(0o600);
    const again = await load();
    expect(again.get(app('firefox', 'FIREFOX'))).toBe(-6.46);
    expect(again.get(app('Podcasts', 'gnome-podcasts'))).toBe(12);
    expect(again.get(app('Firefox', 'other-binary'))).toBeUndefined();
    expect(errors).toEqual([]);
  });

  it('reads a missing or broken file as nothing remembered, drops bad entries, and takes a hostile name as data', async () => {
    expect((await load()).get(app('x'))).toBeUndefined();
    await mkdir(path.join(dir, 'headroom'));
    await writeFile(appGainsPath(env), '{ not json');
    expect((await load()).get(app('x'))).toBeUndefined();
    const hostile = '$(rm -rf ~)\n"; drop';
    await writeFile(appGainsPath(env), JSON.stringify([{ app: 'ok', gainDb: 3, at: 1 }, { app: 'nan', gainDb: 'loud', at: 1 }, { app: 'far', gainDb: 400, at: 1 }, null, { app: 'x'.repeat(300), gainDb: 1, at: 1 }, { app: hostile, gainDb: -2, at: 2 }]));
    const g = await load();
    expect(g.get(app('ok'))).toBe(3);
    expect(g.get(app('nan'))).toBeUndefined();
    expect(g.get(app('far'))).toBeUndefined();
    expect(g.get(app(hostile))).toBe(-2);
  });

  it(`keeps the ${MAX_APPS} most recently settled apps`, async () => {
    const g = await load();
    for (let i = 0; i <= MAX_APPS; i++) g.set(app(`app${i}`), i % 20, 1000 + i);
    g.set(app('app0'), 5, 5000); // settled again: the newest
    await g.flush();
    const raw = JSON.parse(await readFile(appGainsPath(env), 'utf8')) as { app: string }[];
    expect(raw).toHaveLength(MAX_APPS);
    expect(raw.map((e) => e.app)).not.toContain('app1');
    expect((await load()).get(app('app0'))).toBe(5);
  });

  it('a write that fails is reported, and the daemon goes on', async () => {
    await writeFile(path.join(dir, 'headroom'), 'a file where the directory should be');
    const g = await load();
    g.set(app('a'), 1);
    await g.flush();
    expect(errors).toHaveLength(1);
    expect(g.get(app('a'))).toBe(1);
  });
});

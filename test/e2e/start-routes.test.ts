// User route rules with a running daemon: set, persisted across restarts, unset.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { poll } from '../../src/orchestrator/process/poll.js';
import { headroom } from '../helpers/cli.js';
import { sine, writeSignal } from './audio.js';
import { playsOnlyInto, usePrivatePipewire, useSession } from './sandbox.js';

const box = usePrivatePipewire();
const session = useSession(box);

describe('headroom route', () => {
  it('moves an app out of the bus and back, keeps the rule across restarts, and treats hostile names as data', async () => {
    const { pw, dir } = box;
    const watcher = await session.watch();
    const m = watcher.model;
    const app = session.play(writeSignal(path.join(dir, 'routed.wav'), 20, sine(-20)), { name: 'Routed-App' });
    const serial = Number((await app.node()).info?.props?.['object.serial']);
    const on = (sink: string) => playsOnlyInto(m, serial, sink);
    let daemon = session.daemon();
    await daemon.running();
    await poll('the app in the bus', () => on('headroom-processed'), 5000, 5);

    expect((await headroom(['route', 'set', 'routed-app', 'direct'], pw.env)).code).toBe(0);
    await poll('the app straight on the speakers', () => on(pw.speakers), 5000, 5);
    const list = JSON.parse((await headroom(['route', 'list', '--json'], pw.env)).stdout) as { streams: { serial: number; route: string; rule: string }[]; rules: unknown[] };
    expect(list.streams).toContainEqual({ serial, app: 'Routed-App', route: 'direct', rule: 'user' });
    expect(list.rules).toEqual([{ app: 'routed-app', route: 'direct' }]);

    const hostile = '$(rm -rf ~)\n../../etc/passwd __proto__';
    expect((await headroom(['route', 'set', hostile, 'processed'], pw.env)).code).toBe(0);
    const saved = JSON.parse(readFileSync(path.join(pw.env.XDG_STATE_HOME!, 'headroom', 'routes.json'), 'utf8')) as unknown[];
    expect(saved).toEqual([{ app: 'routed-app', route: 'direct' }, { app: hostile, route: 'processed' }]);
    expect((await headroom(['route', 'unset', hostile], pw.env)).code).toBe(0);
    const bad = await headroom(['route', 'set', 'x', 'sideways'], pw.env);
    expect(bad.code).toBe(2);
    const missing = await headroom(['route', 'unset', 'never-set'], pw.env);
    expect(missing.code).toBe(2); // a name you can fix, like any unknown name
    expect(missing.stderr).toContain('no route rule for "never-set"');

    // a restart keeps the rule
    daemon.proc.kill('SIGTERM');
    await daemon.proc;
    daemon = session.daemon();
    await daemon.running();
    await poll('still direct', () => on(pw.speakers) && daemon.log().includes('"Routed-App" (serial'), 5000, 5);
    expect(daemon.log()).toContain(`routed "Routed-App" (serial ${serial}) direct by user rule`);

    expect((await headroom(['route', 'unset', 'ROUTED-APP'], pw.env)).code).toBe(0);
    await poll('back in the bus', () => on('headroom-processed'), 5000, 5);
  });
});

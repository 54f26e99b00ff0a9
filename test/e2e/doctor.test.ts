// `headroom doctor` against a real private PipeWire: all well, then what a killed run
// leaves, then no PipeWire at all.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { headroom } from '../helpers/cli.js';
import { usePrivatePipewire } from './sandbox.js';

const box = usePrivatePipewire();

interface Check { name: string; status: string; detail: string; fix?: string }
const doctor = async (env: NodeJS.ProcessEnv) => {
  const r = await headroom(['doctor', '--json'], env);
  return { code: r.code, ...(JSON.parse(r.stdout) as { checks: Check[]; ok: boolean }) };
};
const check = (checks: Check[], name: string) => checks.find((c) => c.name === name);

describe('headroom doctor', () => {
  it('says what is there, what a killed run left with its fix, and fails without PipeWire', async () => {
    const { pw } = box;
    const good = await doctor(pw.env);
    expect(good.code).toBe(0);
    expect(good.ok).toBe(true);
    expect(check(good.checks, 'pipewire')).toMatchObject({ status: 'ok', detail: expect.stringContaining('libpipewire 0.3') });
    expect(check(good.checks, 'wireplumber')).toMatchObject({ status: 'ok', detail: expect.stringContaining('0.4') });
    expect(check(good.checks, 'filter-host')?.status).toBe('ok');
    expect(check(good.checks, 'leftovers')).toMatchObject({ status: 'ok' });

    // what a killed daemon leaves: a journal, a stale socket, a saved WirePlumber target
    const run = path.join(pw.env.XDG_RUNTIME_DIR!, 'headroom');
    mkdirSync(run, { recursive: true });
    writeFileSync(path.join(run, 'journal.json'), JSON.stringify({ pid: 99999, startedAt: 0, targets: [{ nodeId: 1, serial: 1, app: 'x' }] }));
    writeFileSync(path.join(run, 'control.sock'), '');
    // (a state dir of its own: the running WirePlumber rewrites its file when it likes)
    const state = path.join(box.dir, 'state');
    mkdirSync(path.join(state, 'wireplumber'), { recursive: true });
    writeFileSync(path.join(state, 'wireplumber', 'restore-stream'), '[restore-stream]\nOutput/Audio:media.role:x:target=headroom-processed\n');
    const left = await doctor({ ...pw.env, XDG_STATE_HOME: state });
    expect(left.code).toBe(0); // warnings, nothing broken
    expect(check(left.checks, 'leftovers')).toMatchObject({ status: 'warn', fix: 'Undo it: headroom stop --restore' });
    expect(check(left.checks, 'daemon')).toMatchObject({ status: 'warn', detail: expect.stringContaining('stale socket') });
    expect(check(left.checks, 'wireplumber state')).toMatchObject({ status: 'warn' });

    const none = await doctor({ ...pw.env, PIPEWIRE_REMOTE: 'nobody-here' });
    expect(none.code).toBe(1);
    expect(none.ok).toBe(false);
    expect(check(none.checks, 'pipewire')).toMatchObject({ status: 'fail', fix: expect.stringContaining('systemctl --user start pipewire') });
  });
});
